"""Request bodies for probes: the contract's own example, with real ids put in.

The base body is the first ``examples`` value (or ``example``) of the operation's JSON
request body, else a minimal body built from the schema (required properties only, first
enum/const value, formats honoured). Every ``<x>_id`` field is then given a real id
(:mod:`kombo_conformance.checks.lookup`); an optional property whose ids cannot be found
is dropped, a required one makes the body unusable (None).
"""

from __future__ import annotations

import copy
from typing import Any

from kombo_conformance.checks.lookup import Lookup, stem_of
from kombo_conformance.contract import Operation
from strategies.urls import SAFE_HOST, confine_values

UNRESOLVED = object()
SAMPLE_DATA = "SGVsbG8gZnJvbSBrb21iby1jb25mb3JtYW5jZS4="  # base64 of a short text
FORMAT_SAMPLES = {
    "date-time": "2024-05-01T10:00:00.000Z",
    "uri": f"https://{SAFE_HOST}/conformance",
    "email": "conformance@example.com",
    "date": "2024-05-01",
}


def request_example(operation: Operation) -> Any:
    """The operation's first documented request example, else a minimal valid body."""
    content = (operation.definition.get("requestBody") or {}).get("content") or {}
    for media_type, entry in content.items():
        if not media_type.split(";")[0].strip().endswith("json") or not isinstance(entry, dict):
            continue
        for example in (entry.get("examples") or {}).values():
            if isinstance(example, dict) and "value" in example:
                return copy.deepcopy(example["value"])
        if "example" in entry:
            return copy.deepcopy(entry["example"])
    schema = operation.conventions.request_schema
    return minimal(schema) if schema is not None else None


def branches(schema: Any) -> list[dict[str, Any]]:
    if not isinstance(schema, dict):
        return []
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [b for b in schema[key] if isinstance(b, dict)]
    return [schema]


def minimal(schema: Any, name: str = "") -> Any:
    """A small value valid against ``schema`` (first branch of unions)."""
    if not isinstance(schema, dict):
        return None
    schema = branches(schema)[0]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return next((v for v in schema["enum"] if v is not None), None)
    types = schema.get("type")
    kind = next((t for t in types if t != "null"), "null") if isinstance(types, list) else types
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        return {k: minimal(props.get(k), k) for k in schema.get("required", []) if k in props}
    if kind == "array":
        count = schema.get("minItems", 0)
        return [minimal(schema.get("items"), name) for _ in range(count)]
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1) if schema.get("minimum", 1) < 1e300 else 1
    if kind == "boolean":
        return False
    if kind == "string":
        if name == "data":
            return SAMPLE_DATA
        return FORMAT_SAMPLES.get(schema.get("format", ""), f"conformance {name}".strip())
    return None


def _required(schema: Any) -> set[str]:
    return {r for b in branches(schema) for r in b.get("required", [])}


def _property(schema: Any, key: str) -> Any:
    for b in branches(schema):
        if key in (b.get("properties") or {}):
            return b["properties"][key]
    return None


def with_real_ids(lookup: Lookup, value: Any, schema: Any) -> Any:
    """``value`` with every ``<x>_id`` string replaced by a real id (an ``<x>_ids`` list of
    strings by one real id); UNRESOLVED if a required one has none."""
    if isinstance(value, list):
        items = schema.get("items") if isinstance(schema, dict) else None
        out = [with_real_ids(lookup, v, items) for v in value]
        return [v for v in out if v is not UNRESOLVED]
    if not isinstance(value, dict):
        return value
    required = _required(schema)
    result: dict[str, Any] = {}
    for key, sub in value.items():
        stem = stem_of(key)
        many = key[:-4] if key.endswith("_ids") and isinstance(sub, list) and sub else None
        if stem and isinstance(sub, str):
            resolved: Any = lookup.choose(stem) or UNRESOLVED
        elif many and all(isinstance(i, str) for i in sub):
            chosen = lookup.choose(many)
            resolved = [chosen] if chosen else UNRESOLVED
        else:
            resolved = with_real_ids(lookup, sub, _property(schema, key))
        if resolved is UNRESOLVED:
            if key in required:
                return UNRESOLVED
            continue
        result[key] = resolved
    return result


def safe_example(operation: Operation, data_url: str | None) -> Any:
    """:func:`request_example` with every URL in it made one the user chose (``data_url``)
    or one that never resolves (``strategies.urls``): the contract's examples name real
    hosts (``example.com``, ``linkedin.com``), and a target may fetch what it is sent."""
    return confine_values(request_example(operation), data_url)


def base_body(lookup: Lookup, operation: Operation) -> Any:
    """The (safe) example body with real ids, UNRESOLVED when it cannot be made."""
    body = safe_example(operation, lookup.ctx.data_url)
    if body is None:
        return None
    return with_real_ids(lookup, body, operation.conventions.request_schema)
