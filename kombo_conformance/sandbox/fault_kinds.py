"""What the fault change kinds do to a request or an answer (the machinery behind
``faults.yaml``). Each function reads the switched-on changes of one kind from
:class:`~kombo_conformance.sandbox.faults.Faults`; with no fault on, each is a no-op.

The kinds handled inline where they act are ``delay``, ``replace-response``, ``support``,
``overlap-pages``, ``loop-cursor`` and most ``skip`` steps (:mod:`app`), the ``effect``
step (:mod:`effects`) and ``misdeclare`` (:mod:`general`).
"""

from __future__ import annotations

from typing import Any, Literal

from kombo_conformance.contract import Operation
from kombo_conformance.sandbox.faults import Faults

Envelope = Literal["error", "list", "action"]


def omit_fields(faults: Faults, envelope: Envelope, operation: str | None, body: Any) -> Any:
    """body without the fields ``omit-field`` changes name for this envelope."""
    for change in faults.changes("omit-field", operation):
        if change["envelope"] != envelope:
            continue
        *parents, last = change["field"].split(".")
        node = body
        for step in parents:
            node = node.get(step) if isinstance(node, dict) else None
        present = isinstance(node, dict) and last in node
        if present and (not change.get("when_null") or node[last] is None):
            del node[last]
    return body


def error_code(faults: Faults, operation: str | None, envelope_use_case: str) -> str | None:
    """The code an ``error-code`` change puts in every error (None: no such change)."""
    for change in faults.changes("error-code", operation):
        if change.get("envelope_use_case") in (None, envelope_use_case):
            return change["code"]
    return None


def error_status(faults: Faults, operation: str | None, status: int, code: str) -> int:
    """The status an error answers with after ``error-status`` changes."""
    for change in faults.changes("error-status", operation):
        if change["status"] == status and code in change.get("codes", (code,)):
            return change["to"]
    return status


def query_overrides(faults: Faults, operation: Operation, query: dict[str, Any]) -> dict[str, Any]:
    """The validated query with ``ignore-query-parameter`` names dropped and
    ``force-query-parameter`` values set (where the operation declares the parameter)."""
    ignored = faults.changes("ignore-query-parameter", operation.key)
    forced = faults.changes("force-query-parameter", operation.key)
    if not (ignored or forced):
        return query
    out = {k: v for k, v in query.items() if k not in {c["name"] for c in ignored}}
    declared = operation.conventions.query_parameters
    out.update({c["name"]: c["value"] for c in forced if c["name"] in declared})
    return out


def break_record(faults: Faults, operation: str, record: dict[str, Any]) -> dict[str, Any]:
    """A list record after ``drop-record-field`` and ``replace-record-field`` changes."""
    for change in faults.changes("drop-record-field", operation):
        record.pop(change["field"], None)
    for change in faults.changes("replace-record-field", operation):
        if change["field"] in record:
            record[change["field"]] = change["value"]
    return record


def refused_body(faults: Faults, operation: Operation, body: Any) -> str | None:
    """Why a ``refuse-bodies`` change refuses this (valid) body, if it does: an array
    holding exactly its schema's ``maxItems``, or a non-ASCII string under one of the
    named keys."""
    for change in faults.changes("refuse-bodies", operation.key):
        found = _edge(
            body,
            operation.conventions.request_schema or {},
            bool(change.get("arrays_at_max_items")),
            frozenset(change.get("non_ascii_keys", ())),
            "body",
        )
        if found:
            return found
    return None


def _edge(value: Any, schema: Any, at_max: bool, keys: frozenset[str], where: str) -> str:
    """Where value (under schema) sits on a refused edge, or ''."""
    schema = schema if isinstance(schema, dict) else {}
    if isinstance(value, list):
        top = _max_items(schema)
        if at_max and top is not None and len(value) == top:
            return f"{where}: exactly {top} items"
        items = _branches(schema, "items")
        for i, item in enumerate(value):
            found = _edge(item, items, at_max, keys, f"{where}/{i}")
            if found:
                return found
    elif isinstance(value, dict):
        for key, sub in value.items():
            if key in keys and isinstance(sub, str) and not sub.isascii():
                return f"{where}/{key}: non-ASCII text"
            found = _edge(sub, _property(schema, key), at_max, keys, f"{where}/{key}")
            if found:
                return found
    return ""


def _alternatives(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key) or []:
            if isinstance(branch, dict):
                found += _alternatives(branch)
    return found


def _max_items(schema: dict[str, Any]) -> int | None:
    tops = [s["maxItems"] for s in _alternatives(schema) if isinstance(s.get("maxItems"), int)]
    return min(tops) if tops else None


def _branches(schema: dict[str, Any], key: str) -> dict[str, Any]:
    return next((s[key] for s in _alternatives(schema) if isinstance(s.get(key), dict)), {})


def _property(schema: dict[str, Any], name: str) -> dict[str, Any]:
    for branch in _alternatives(schema):
        found = (branch.get("properties") or {}).get(name)
        if isinstance(found, dict):
            return found
    return {}
