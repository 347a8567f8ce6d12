"""Request bodies of any JSON schema, drawn by schemathesis's own generator with the
project's string formats (Kombo dates, URLs only on hosts the user chose).

``request_bodies(schema)`` honours everything the schema says; give it a schema of the
strict document (``Errata.strict``) and it honours the declared prose rules too, since
those are part of that schema. ``strategies.prose`` breaks them one at a time.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs
from hypothesis import strategies as st
from schemathesis.generation.jsonschema.builder import build

from strategies.dates import pattern_dates
from strategies.urls import URI_FORMATS, data_urls

DRAFT = jsonschema_rs.Draft202012


def formats(data_url: str | None = None) -> dict[str, st.SearchStrategy[str]]:
    """The string formats generation overrides: ``date-time`` and the URI formats."""
    return {"date-time": pattern_dates(), **dict.fromkeys(URI_FORMATS, data_urls(data_url))}


def request_bodies(schema: dict[str, Any], data_url: str | None = None) -> st.SearchStrategy[Any]:
    """Values valid against a (dereferenced) JSON schema."""
    return build(schema, draft=DRAFT, formats=formats(data_url))
