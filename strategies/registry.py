"""Find the strategy that answers a JSON schema, by the schema's shape (never by path).

``strategy_for(schema)`` walks ``SHAPES`` in order and returns the first match's strategy.
Schemas are expected dereferenced (no ``$ref``); a ``$ref`` node matches nothing. Strategies
that draw URLs use ``strategy_for(schema, data_url=...)`` (see ``strategies.urls``).

Recognised shapes (each strategy draws values valid against its schema; rules stated only
in prose are not encoded here: generation reads the strict document, where the declared
prose rules are part of the schema, and ``schemathesis_hooks`` keeps only replaced bodies
that the strict schema accepts):

``attributes``
    array whose ``items.anyOf`` branches have ``properties.type.const`` TEXT and SUB_RESULT
    -> ``attributes()`` (bounded by ``maxItems``).
``attachments``
    array of objects one of whose properties is a MIME-typed string (a pattern accepting
    ``type/subtype`` and refusing a file name) -> ``attachments(schema)``: which properties
    an item sends comes from the item schema and the rules it holds; realistic values
    where it leaves freedom (bounded by ``maxItems``; at most ``attachments.MAX_DRAWN`` drawn).
``kombo-date``
    string with the Kombo date ``pattern`` and/or ``format: date-time`` -> ``pattern_dates()``.
``id-list``
    string described as a "comma-separated list of ... IDs" -> ``id_lists()``; Kombo ids, or
    remote ids when the description says "remote IDs".
``cursor``
    string described as a "cursor ... used for pagination" -> ``cursors()``.

Not recognised on purpose: ``remote_fields`` objects, which are plain objects of objects and
indistinguishable by shape; use ``strategies.remote_fields.remote_fields(schema)`` directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from strategies.attachments import attachments, describes_files
from strategies.attributes import attributes
from strategies.dates import KOMBO_DATE_PATTERN, pattern_dates
from strategies.ids import cursors, id_lists, remote_ids

Schema = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Shape:
    """A named schema shape: a predicate on the schema and a strategy factory for it.

    ``build(schema, data_url)``: ``data_url`` is the user's file URL, or ``None``.
    """

    name: str
    matches: Callable[[Schema], bool]
    build: Callable[[Schema, str | None], st.SearchStrategy[Any]]


def _types(schema: Schema) -> set[str]:
    kind = schema.get("type")
    return set(kind) if isinstance(kind, list) else {kind} if kind else set()


def _properties(schema: Schema) -> dict[str, Schema]:
    properties = schema.get("properties")
    return properties if isinstance(properties, dict) else {}


def _is_attributes(schema: Schema) -> bool:
    branches = schema.get("items", {}).get("anyOf", []) if "array" in _types(schema) else []
    consts = {_properties(branch).get("type", {}).get("const") for branch in branches}
    return {"TEXT", "SUB_RESULT"} <= consts


def _is_attachments(schema: Schema) -> bool:
    return "array" in _types(schema) and describes_files(schema)


def _is_kombo_date(schema: Schema) -> bool:
    return "string" in _types(schema) and (
        schema.get("pattern") == KOMBO_DATE_PATTERN or schema.get("format") == "date-time"
    )


_ID_LIST = re.compile(r"comma-separated list of (?:\w+ )?IDs", re.IGNORECASE)
_CURSOR = re.compile(r"cursor\b.*\bpagination", re.IGNORECASE | re.DOTALL)


def _description(schema: Schema) -> str:
    return schema.get("description", "") if "string" in _types(schema) else ""


def _build_id_list(schema: Schema) -> st.SearchStrategy[str]:
    remote = "remote IDs" in _description(schema)
    return id_lists(remote_ids()) if remote else id_lists()


def _max_items(schema: Schema, cap: int) -> int:
    """The schema's ``maxItems``, drawn lists being at most ``cap`` long (a generation size,
    not a limit of the contract)."""
    return min(schema.get("maxItems", cap), cap)


SHAPES: tuple[Shape, ...] = (
    Shape("attributes", _is_attributes, lambda s, _: attributes(max_size=_max_items(s, 8))),
    Shape(
        "attachments",
        _is_attachments,
        attachments,
    ),
    Shape("kombo-date", _is_kombo_date, lambda s, _: pattern_dates()),
    Shape(
        "id-list",
        lambda s: bool(_ID_LIST.search(_description(s))),
        lambda s, _: _build_id_list(s),
    ),
    Shape("cursor", lambda s: bool(_CURSOR.search(_description(s))), lambda s, _: cursors()),
)


def shape_of(schema: Schema) -> str | None:
    """Name of the first shape ``schema`` matches, or ``None``."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return None
    return next((shape.name for shape in SHAPES if shape.matches(schema)), None)


def strategy_for(schema: Schema, data_url: str | None = None) -> st.SearchStrategy[Any] | None:
    """The strategy for the first shape ``schema`` matches, or ``None`` if none does.

    URLs it draws are ``data_url`` when given, else on an unresolvable host.
    """
    name = shape_of(schema)
    if name is None:
        return None
    return next(shape.build(schema, data_url) for shape in SHAPES if shape.name == name)
