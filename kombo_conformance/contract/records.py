"""Which operation reads which records, by Kombo's naming convention.

- An id named ``<x>_id`` names a record of the list operation of the same use case whose
  last literal path segment, made singular, is ``x`` (``application_id`` ->
  ``GET /ats/applications``), else ends or starts with it (``stage`` ->
  ``/ats/application-stages``, ``assessment_order`` -> ``/assessment/orders``).
- A read operation answers records: a list operation those of ``data.results``; another
  ``GET`` those of the one array of objects in its ``data`` (``data.results`` of
  ``GET /ats/candidates/{candidate_id}/attachments``, ``data.packages`` of
  ``GET /assessment/packages``).

Shared by the probes (ids for requests), write effects and the sandbox.
"""

from __future__ import annotations

from typing import Any

from kombo_conformance.contract.model import Contract, Operation


def _singular(segment: str) -> str:
    stem = segment.replace("-", "_")
    return stem[:-1] if stem.endswith("s") else stem


def resource_of(path: str) -> str:
    """The last literal path segment, singular: ``/ats/jobs/{job_id}/applications`` ->
    ``application``."""
    literal = [s for s in path.strip("/").split("/") if not s.startswith("{")]
    return _singular(literal[-1]) if literal else ""


def list_operation_for(
    contract: Contract, stem: str, use_case: str, *, exact_only: bool = False
) -> Operation | None:
    """The list operation whose records an ``<stem>_id`` names, in the same use case."""
    lists = [op for op in contract.operations.values() if op.conventions.is_list]
    for exact in (True,) if exact_only else (True, False):
        for op in lists:
            if op.use_case != use_case:
                continue
            res = resource_of(op.path)
            if res == stem if exact else (res.endswith("_" + stem) or stem.endswith("_" + res)):
                return op
    return None


def records_of(op: Operation) -> tuple[str, dict[str, Any]] | None:
    """(the ``data`` property holding the records, their schema) of a read operation, or
    None when it answers no records."""
    if op.method != "GET":
        return None
    if op.conventions.is_list:
        return "results", op.conventions.record_schema or {}
    data = ((op.conventions.success_schema or {}).get("properties") or {}).get("data") or {}
    arrays = [
        (name, sub["items"])
        for name, sub in (data.get("properties") or {}).items()
        if isinstance(sub, dict)
        and isinstance(sub.get("items"), dict)
        and "id" in (sub["items"].get("properties") or {})
    ]
    return arrays[0] if len(arrays) == 1 else None


def record_fields(schema: Any) -> dict[str, Any]:
    """The properties of a record schema (through ``allOf``)."""
    if not isinstance(schema, dict):
        return {}
    found = dict(schema.get("properties") or {})
    for part in schema.get("allOf") or []:
        found.update(record_fields(part))
    return found


DELETED_MARKER = "x-kombo-deleted-marker"  # on include_deleted (contracts/shared.yaml)


def deletion_markers(operation: Operation) -> dict[str, str]:
    """Fields of ``operation``'s records that only deleted records carry, which a list hides
    unless asked (the ``x-kombo-deleted-marker`` of its parameters), each with the rule
    that says so: null on every record seen is no evidence against a claim on them."""
    found = {}
    for param in operation.definition.get("parameters") or []:
        marker = param.get(DELETED_MARKER)
        if isinstance(marker, str):
            found[marker] = (
                f"only deleted records carry it ({DELETED_MARKER} of {param.get('name')}: "
                f"{param.get('description', '').strip()!r})"
            )
    return found


def contract_deletion_markers(contract: Contract) -> tuple[str, ...]:
    """Every field any operation declares only deleted records carry (:func:`deletion_markers`),
    for records read outside a list operation (embedded, nested, looked up)."""
    found: dict[str, None] = {}
    for op in contract.operations.values():
        found |= dict.fromkeys(deletion_markers(op))
    return tuple(found)


def is_deleted(record: Any, markers: tuple[str, ...] | dict[str, Any]) -> bool:
    """Whether a record carries one of the deletion markers."""
    return isinstance(record, dict) and any(record.get(m) for m in markers)
