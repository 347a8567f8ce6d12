"""URLs in generated request bodies: the user's own, or a host that can never resolve.

The suite runs against real integrations, and a target may fetch a URL the moment it accepts
a body (Kombo downloads an attachment's ``data_url`` "immediately when receiving the
request"). So a generated body must never name a host somebody owns. This module is the one
place that decides which URLs a body carries:

* the user gave ``data_url`` (``--data-url``): exactly that URL;
* otherwise ``https://files.kombo-conformance.invalid/<path>``: the ``.invalid`` TLD is
  reserved and never resolves (RFC 2606, section 2).

Every source of URL strings in a generated body goes through it: the project's strategies
(``data_urls``), schemathesis's generators for the URI string formats
(``strategies.schemathesis_hooks`` registers ``data_urls`` for ``URI_FORMATS``) and the
contract's own examples, which schemathesis mixes into positive cases (``confine_examples``,
applied by ``kombo_conformance.generation``). One source cannot be shaped: Hypothesis also
draws short string literals of the project's own code (``"http://"``, say) into any text, so
``kombo_conformance.generation`` drops every case that fails ``names_only_allowed_hosts``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from hypothesis import strategies as st

#: Under the reserved ``.invalid`` TLD (RFC 2606, section 2): no request can reach it.
SAFE_HOST = "files.kombo-conformance.invalid"
#: String formats whose generated values are URLs a target might fetch.
URI_FORMATS = ("uri", "uri-reference", "iri", "iri-reference")
#: A string that starts like an absolute URL (``scheme://``).
URL_LIKE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
#: Keywords whose values schemathesis may send as they are (examples and defaults).
EXAMPLE_KEYWORDS = frozenset({"example", "examples", "default"})

_segments = st.lists(
    st.text(
        alphabet=st.characters(categories=("L", "N"), include_characters="-_."),
        min_size=1,
        max_size=20,
    ),
    min_size=1,
    max_size=4,
)
_signatures = st.one_of(st.none(), st.from_regex(r"\A[0-9a-f]{16,64}\Z"))


def _safe_url(segments: list[str], signature: str | None) -> str:
    path = "/".join(quote(segment) for segment in segments)
    return f"https://{SAFE_HOST}/{path}" + (f"?X-Amz-Signature={signature}" if signature else "")


def data_urls(data_url: str | None = None) -> st.SearchStrategy[str]:
    """``data_url`` itself when given, else absolute ``https`` URLs on ``SAFE_HOST``.

    The safe URLs vary in path (non-ASCII percent-encoded, RFC 3986) and sometimes carry a
    signed-URL style query.
    """
    if data_url is not None:
        return st.just(data_url)
    return st.builds(_safe_url, _segments, _signatures)


def confined_url(url: str, data_url: str | None = None) -> str:
    """``url`` made safe: ``data_url`` when given, else ``url`` moved onto ``SAFE_HOST``."""
    if data_url is not None:
        return data_url
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket: keep nothing of it
        return f"https://{SAFE_HOST}/"
    return urlunsplit(("https", SAFE_HOST, parts.path or "/", parts.query, parts.fragment))


def is_allowed_url(url: str, data_url: str | None = None) -> bool:
    """``url`` names ``data_url``'s host or one under ``.invalid`` (no host: not allowed)."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    users_host = urlsplit(data_url).hostname if data_url else None
    return bool(host) and (host == users_host or host.endswith(".invalid"))


def names_only_allowed_hosts(value: Any, data_url: str | None = None) -> bool:
    """Every URL-looking string anywhere in ``value`` passes ``is_allowed_url``."""
    if isinstance(value, str):
        return not URL_LIKE.match(value) or is_allowed_url(value, data_url)
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return all(names_only_allowed_hosts(item, data_url) for item in value)
    return True


def confine_values(node: Any, data_url: str | None = None) -> Any:
    """A copy of ``node`` (a request body) with every URL-looking string made safe."""
    return _confine_values(node, data_url)


def _confine_values(node: Any, data_url: str | None) -> Any:
    if isinstance(node, str):
        return confined_url(node, data_url) if URL_LIKE.match(node) else node
    if isinstance(node, dict):
        return {key: _confine_values(value, data_url) for key, value in node.items()}
    if isinstance(node, list):
        return [_confine_values(value, data_url) for value in node]
    return node


def confine_examples(node: Any, data_url: str | None = None) -> None:
    """Make every URL-looking string below an ``EXAMPLE_KEYWORDS`` key safe, in place.

    Only example and default values change; schemas (``enum``, ``const``, ``format``) and
    descriptions are left alone, so validation reads the document as written.
    """
    if isinstance(node, dict):
        for key, value in node.items():
            if key in EXAMPLE_KEYWORDS:
                node[key] = _confine_values(value, data_url)
            else:
                confine_examples(value, data_url)
    elif isinstance(node, list):
        for value in node:
            confine_examples(value, data_url)
