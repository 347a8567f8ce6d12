"""Identifiers, comma-separated id filters and pagination cursors of list endpoints.

Kombo ids are 24 characters of a base58-like alphabet (``8Xi6iZrwusZqJmDGXs49GBmJ``); list
endpoints take ``ids``/``remote_ids``/``user_ids``/``course_ids`` as comma-separated strings
(``222k7eCGyUdgt2JWZDNnkDs3,B5DVmypWENfU6eMe6gYDyJG3``) and ``cursor`` as the opaque ``next``
value of the previous page (base64 JSON in the docs' examples).
"""

from __future__ import annotations

import base64
import json
import re

from hypothesis import strategies as st

from strategies.tagged import Tagged

#: Bitcoin base58: no ``0``, ``O``, ``I`` or ``l``.
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
KOMBO_ID_LENGTH = 24
KOMBO_ID_PATTERN = rf"\A[{BASE58_ALPHABET}]{{{KOMBO_ID_LENGTH}}}\Z"


def kombo_ids() -> st.SearchStrategy[str]:
    """24-character base58 ids such as ``8Xi6iZrwusZqJmDGXs49GBmJ``."""
    return st.text(alphabet=BASE58_ALPHABET, min_size=KOMBO_ID_LENGTH, max_size=KOMBO_ID_LENGTH)


def is_kombo_id(value: str) -> bool:
    return re.match(KOMBO_ID_PATTERN, value) is not None


def remote_ids() -> st.SearchStrategy[str]:
    """Ids of the remote system: numbers, UUIDs, slugs; never containing a comma."""
    return st.one_of(
        st.integers(1, 10**12).map(str),
        st.uuids().map(str),
        st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9_:.-]{0,40}\Z"),
    )


def id_lists(
    ids: st.SearchStrategy[str] | None = None, min_size: int = 1, max_size: int = 10
) -> st.SearchStrategy[str]:
    """Comma-separated, duplicate-free lists of ids (Kombo ids unless ``ids`` is given)."""
    return st.lists(
        ids if ids is not None else kombo_ids(), min_size=min_size, max_size=max_size, unique=True
    ).map(",".join)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def cursors() -> st.SearchStrategy[str]:
    """Opaque cursors shaped like the documented ones: base64 of a small JSON object."""
    payload = st.fixed_dictionaries(
        {"page": st.integers(1, 10_000)},
        optional={"after": kombo_ids(), "note": st.text(max_size=30)},
    )
    return payload.map(lambda obj: _b64(json.dumps(obj, separators=(",", ":")).encode()))


def invalid_cursors() -> st.SearchStrategy[Tagged[str]]:
    """Cursors no server could have issued (the schema, ``type: string``, accepts them all)."""
    return st.one_of(
        st.just(Tagged("", "empty", "prose")),
        st.text(alphabet="!@#$%^&*() ", min_size=1, max_size=20).map(
            lambda s: Tagged(s, "not-base64", "prose")
        ),
        cursors().map(lambda c: Tagged(c[: len(c) // 2], "truncated", "prose")),
        st.binary(min_size=1, max_size=40).map(
            lambda raw: Tagged(_b64(b"\xff" + raw), "base64-of-non-json", "prose")
        ),
    )
