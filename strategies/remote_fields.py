"""``remote_fields``: per-connector pass-through objects, built from the schema itself.

Shapes seen in the contract::

    remote_fields:                       # seed 001: one object
      type: object
      properties: {smartrecruiters: {...}, recruitee: {...}, workday: {...}}

    remote_fields:                       # seed 000: allOf of objects
      allOf:
        - {type: object, properties: {icims: {...}, oracle: {...}}}
        - {type: object, properties: {greenhouse: {...}, workable: {...}}}

Every key below ``remote_fields`` is a connector slug. ``from_schema`` covers the JSON schema
subset these use (objects, allOf, enum, const, scalar types and type lists, arrays).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]

_SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(max_size=30),
    "boolean": st.booleans(),
    "integer": st.integers(-(2**31), 2**31 - 1),
    "number": st.floats(allow_nan=False, allow_infinity=False),
    "null": st.none(),
}


def merge_all_of(schema: Schema) -> Schema:
    """Fold ``allOf`` object schemas into one (properties and ``required`` united)."""
    if "allOf" not in schema:
        return schema
    merged: Schema = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Schema] = dict(merged.get("properties", {}))
    required: list[str] = list(merged.get("required", []))
    for part in schema["allOf"]:
        part = merge_all_of(part)
        for key, sub in part.get("properties", {}).items():
            properties[key] = {"allOf": [properties[key], sub]} if key in properties else sub
        required += [key for key in part.get("required", []) if key not in required]
        if "type" in part:
            merged.setdefault("type", part["type"])
    merged["properties"] = {key: merge_all_of(sub) for key, sub in properties.items()}
    if required:
        merged["required"] = required
    return merged


def from_schema(schema: Schema) -> st.SearchStrategy[Any]:
    """Values valid against ``schema`` (the subset above; unknown keywords are ignored)."""
    schema = merge_all_of(schema)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return st.one_of([from_schema(sub) for sub in schema[keyword]])
    kind = schema.get("type", "object" if "properties" in schema else None)
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}) for k in kind])
    if kind == "object":
        properties = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: from_schema(v) for k, v in properties.items() if k in required},
            optional={k: from_schema(v) for k, v in properties.items() if k not in required},
        )
    if kind == "array":
        return st.lists(
            from_schema(schema.get("items", {})),
            min_size=schema.get("minItems", 0),
            max_size=schema.get("maxItems", 5),
        )
    if kind in _SCALARS:
        return _SCALARS[kind]
    return st.one_of(_SCALARS["string"], _SCALARS["integer"], _SCALARS["boolean"])


def connectors(schema: Schema) -> list[str]:
    """The connector slugs a ``remote_fields`` schema declares."""
    return list(merge_all_of(schema).get("properties", {}))


def remote_fields(schema: Schema) -> st.SearchStrategy[dict[str, Any]]:
    """``remote_fields`` objects: any subset of connectors, each with schema-valid fields."""
    return from_schema({**merge_all_of(schema), "type": "object"})


def connector_remote_fields(schema: Schema, connector_slug: str) -> st.SearchStrategy[dict]:
    """``{connector_slug: {...}}`` only; raises ``KeyError`` for an undeclared connector."""
    properties = merge_all_of(schema).get("properties", {})
    if connector_slug not in properties:
        raise KeyError(f"{connector_slug!r} is not one of {sorted(properties)}")
    return st.fixed_dictionaries({connector_slug: from_schema(properties[connector_slug])})
