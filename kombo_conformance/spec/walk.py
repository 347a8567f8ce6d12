"""Visiting every schema object of a bundled OpenAPI document where it is written.

Rules look at schemas in place (not resolved per operation), so a shared component is
reported once, at its own pointer, however many operations use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kombo_conformance.contract import pointer

# Keywords whose value is a map of subschemas, a single subschema, or a list of them.
SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")
SCHEMA_SINGLE = (
    "items", "additionalProperties", "not", "if", "then", "else", "contains",
    "propertyNames", "unevaluatedItems", "unevaluatedProperties",
)  # fmt: skip
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
NOT_DOCUMENT = frozenset({"example", "examples", "x-codeSamples"})


@dataclass(frozen=True)
class SchemaNode:
    pointer: str
    schema: dict[str, Any]


def subschemas(schema: dict[str, Any], where: str) -> Iterator[tuple[str, Any]]:
    """(pointer, subschema) of the direct subschemas of one schema object."""
    for key in SCHEMA_MAPS:
        for name, sub in (schema.get(key) or {}).items():
            yield pointer.join(*pointer.split(where), key, name), sub
    for key in SCHEMA_SINGLE:
        sub = schema.get(key)
        if isinstance(sub, list):
            for i, item in enumerate(sub):
                yield f"{where}/{pointer.escape(key)}/{i}", item
        elif isinstance(sub, dict):
            yield f"{where}/{pointer.escape(key)}", sub
    for key in SCHEMA_LISTS:
        for i, sub in enumerate(schema.get(key) or []):
            yield f"{where}/{key}/{i}", sub


def walk_schema(schema: Any, where: str) -> Iterator[SchemaNode]:
    """The schema at ``where`` and all its subschemas; bare ``$ref``s are skipped."""
    if not isinstance(schema, dict):
        return
    if set(schema) - {"$ref", "description", "summary"}:
        yield SchemaNode(where, schema)
    for ptr, sub in subschemas(schema, where):
        yield from walk_schema(sub, ptr)


def iter_schemas(document: dict[str, Any]) -> Iterator[SchemaNode]:
    """Every schema in paths and components (values of ``schema`` and ``components/schemas``)."""

    def walk(node: Any, where: str) -> Iterator[SchemaNode]:
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, f"{where}/{i}")
        elif isinstance(node, dict):
            for key, value in node.items():
                child = f"{where}/{pointer.escape(str(key))}"
                if key == "schema":
                    yield from walk_schema(value, child)
                elif key not in NOT_DOCUMENT:
                    yield from walk(value, child)

    yield from walk(document.get("paths") or {}, "/paths")
    components = document.get("components") or {}
    for kind, entries in components.items():
        if kind == "schemas":
            for name, schema in (entries or {}).items():
                yield from walk_schema(schema, pointer.join("components", "schemas", name))
        else:
            yield from walk(entries, pointer.join("components", kind))
