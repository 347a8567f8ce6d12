"""Secret masking: the one place that decides what is a secret and how it is hidden.

Three layers, applied by every producer of text that may reach disk or a terminal:

* by name: headers in ``SECRET_HEADERS``, query parameters and body keys in
  ``SECRET_KEYS`` (compared case-insensitively, ``-`` and ``_`` alike) have their value
  replaced by ``MASK``. Plain ``key`` is *not* a secret name: Kombo bodies use it for
  attribute names;
* by value: every occurrence of a known secret (the API key, passed in as ``secrets``)
  is replaced inside any string, also in its URL-, JSON- and HTML-escaped forms;
* by shape: ``Bearer <token>`` / ``Basic <token>`` and ``name=value`` / ``"name": "value"``
  for secret names are masked inside free text (error messages, response excerpts, URLs).
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

MASK = "***"
API_KEY_ENV = "KOMBO_API_KEY"

SECRET_HEADERS: frozenset[str] = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "cookie",
        "set-cookie",
        "x-auth-token",
        "x-access-token",
    }
)
SECRET_KEYS: frozenset[str] = frozenset(
    {
        "api_key",
        "apikey",
        "access_token",
        "token",
        "secret",
        "password",
        "passwd",
        "client_secret",
        "refresh_token",
        "id_token",
        "private_key",
    }
)

_AUTH_SCHEMES = ("Bearer", "Basic")


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "_")


_SECRET_NAMES: frozenset[str] = frozenset(_norm(n) for n in SECRET_KEYS | SECRET_HEADERS)


def is_secret_name(name: str) -> bool:
    """Whether a header, query parameter or body key with this name holds a secret."""
    return _norm(name) in _SECRET_NAMES


def _names_pattern() -> str:
    names = sorted(_SECRET_NAMES, key=len, reverse=True)
    return "|".join(re.escape(n).replace("_", "[-_]") for n in names)


_NAMES = _names_pattern()
# Credentials after an auth scheme. "Basic" is also an English word, so its credential must
# look like base64 rather than a lowercase word ("basic validation" is left alone).
_SCHEME_TOKENS = (
    re.compile(r"\b(bearer)(\s+)[A-Za-z0-9._~+/=-]+", re.I),
    re.compile(r"\b(basic)(\s+)(?!(?-i:[a-z]+)\b)[A-Za-z0-9+/]+=*", re.I),
)
# "name": "value" (JSON or Python repr), the value up to its closing quote.
_QUOTED_PAIR = re.compile(
    rf"""(?<![\w-])(["']?)({_NAMES})\1(\s*[:=]\s*)(["'])((?:\\.|(?!\4).)*)\4""", re.I
)
# name=value / name: value, the value up to a separator; skips values that are already
# masked, shell variables, containers, JSON literals and auth schemes (handled above).
_BARE_PAIR = re.compile(
    rf"""(?<![\w-])({_NAMES})(["']?\s*[:=]\s*)"""
    rf"""(?![\s"'{{\[$*])(?!(?:{"|".join(_AUTH_SCHEMES)})\s|(?:null|true|false)\b)"""
    r"""([^\s&"'<>,;]+)""",
    re.I,
)


def _secret_variants(secrets: Iterable[str]) -> list[str]:
    """The secrets and their escaped forms, longest first so overlaps mask fully."""
    variants: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        variants.update(
            {secret, quote(secret, safe=""), json.dumps(secret)[1:-1], html.escape(secret)}
        )
    return sorted(variants, key=len, reverse=True)


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask known secret values, auth tokens and secret ``name=value`` pairs in free text."""
    for variant in _secret_variants(secrets):
        text = text.replace(variant, MASK)
    for pattern in _SCHEME_TOKENS:
        text = pattern.sub(lambda m: f"{m[1]}{m[2]}{MASK}", text)
    text = _QUOTED_PAIR.sub(
        lambda m: f"{m[1]}{m[2]}{m[1]}{m[3]}{m[4]}{_mask_header_value(m[5])}{m[4]}", text
    )
    return _BARE_PAIR.sub(lambda m: f"{m[1]}{m[2]}{MASK}", text)


def _mask_header_value(value: str) -> str:
    """Keep the auth scheme (``Bearer ***``) so a reader still sees how it authenticated."""
    scheme, _, rest = value.partition(" ")
    if rest and scheme.capitalize() in _AUTH_SCHEMES:
        return f"{scheme} {MASK}"
    return MASK


def mask_headers(
    headers: Mapping[str, Any] | Iterable[tuple[str, Any]] | None, secrets: Iterable[str] = ()
) -> dict[str, str]:
    """A copy of ``headers`` with secret headers masked and known secrets hidden elsewhere."""
    secrets = tuple(secrets)
    pairs = headers.items() if isinstance(headers, Mapping) else (headers or ())
    return {
        name: _mask_header_value(str(value))
        if is_secret_name(name)
        else mask_text(str(value), secrets)
        for name, value in pairs
    }


def _mask_query(query: str) -> str:
    """Mask secret parameters, keeping every other byte of the query string as it was."""
    parts = []
    for part in query.split("&"):
        name, sep, _ = part.partition("=")
        parts.append(f"{name}={MASK}" if sep and is_secret_name(unquote_plus(name)) else part)
    return "&".join(parts)


def mask_url(url: str, secrets: Iterable[str] = ()) -> str:
    """Mask secret query parameters, a password in the userinfo and known secrets."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return mask_text(url, secrets)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        user, colon, _ = userinfo.partition(":")
        netloc = f"{user}:{MASK}@{host}" if colon else netloc
    masked = urlunsplit(parts._replace(netloc=netloc, query=_mask_query(parts.query)))
    return mask_text(masked, secrets)


def mask_value(obj: Any, secrets: Iterable[str] = ()) -> Any:
    """Recursively mask a JSON-like value: secret-named keys in mappings lose their value,
    every string (keys included) goes through :func:`mask_text`. Tuples become lists."""
    secrets = tuple(secrets)
    if isinstance(obj, str):
        return mask_text(obj, secrets)
    if isinstance(obj, Mapping):
        return {
            mask_value(k, secrets): MASK
            if isinstance(k, str) and is_secret_name(k) and v is not None
            else mask_value(v, secrets)
            for k, v in obj.items()
        }
    if isinstance(obj, list | tuple | set | frozenset):
        return [mask_value(item, secrets) for item in obj]
    return obj


def env_secrets(names: Iterable[str] = (API_KEY_ENV,)) -> list[str]:
    """Secret values found in the environment (by default ``KOMBO_API_KEY``)."""
    return [value for name in names if (value := os.environ.get(name))]


class Redactor:
    """The masking functions bound to a set of known secret values.

    >>> r = Redactor(["sk_live_123"])
    >>> r.text("rejected key sk_live_123")
    'rejected key ***'
    """

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self.secrets: tuple[str, ...] = tuple(dict.fromkeys(s for s in secrets if s))

    def headers(
        self, headers: Mapping[str, Any] | Iterable[tuple[str, Any]] | None
    ) -> dict[str, str]:
        return mask_headers(headers, self.secrets)

    def url(self, url: str) -> str:
        return mask_url(url, self.secrets)

    def body(self, body: Any) -> Any:
        return mask_value(body, self.secrets)

    def text(self, text: str) -> str:
        return mask_text(text, self.secrets)
