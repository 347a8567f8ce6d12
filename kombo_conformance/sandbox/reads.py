"""Reads that are not list operations, and the collections their records live in.

A ``GET`` whose ``data`` holds one array of records (:func:`records_of`) reads the
collection named after its last literal path segment (``GET /assessment/packages`` ->
``assessment/packages``; ``GET /ats/candidates/{candidate_id}/attachments`` and
``GET /ats/applications/{application_id}/attachments`` -> ``ats/attachments``). Its path
parameters select the records whose field of the same name matches (``candidate_id``).
Write effects add records to these collections like to any other (``creates``).
"""

from __future__ import annotations

from typing import Any

from kombo_conformance.contract import Contract, Operation
from kombo_conformance.contract.records import record_fields, records_of
from kombo_conformance.sandbox.store import Collection, Dataset


def collection_name(op: Operation) -> str:
    """The collection of the records a read operation answers."""
    if op.conventions.is_list:
        return op.path.strip("/")
    literal = [s for s in op.path.strip("/").split("/") if not s.startswith("{")]
    return f"{op.use_case}/{literal[-1]}"


def read_collections(contract: Contract, known: dict[str, Collection]) -> dict[str, Collection]:
    """Collections of the non-list reads not already in ``known``; reads sharing one get
    every property either declares."""
    out: dict[str, Collection] = {}
    for op in contract.operations.values():
        found = None if op.conventions.is_list or op.general else records_of(op)
        name = collection_name(op)
        if found is None or name in known:
            continue
        schema = found[1]
        if name in out:
            before = out[name].schema
            schema = {
                "type": "object",
                "properties": {**record_fields(before), **record_fields(schema)},
                "required": sorted({*before.get("required", []), *schema.get("required", [])}),
            }
        out[name] = Collection(name, schema, op.use_case)
    return out


def serve(dataset: Dataset, op: Operation, params: dict[str, str]) -> dict[str, Any] | None:
    """The ``data`` of a non-list read of records (None when it is not one): the live
    records of its collection whose fields match the path parameters."""
    found = records_of(op)
    name = collection_name(op)
    if found is None or name not in dataset.collections:
        return None
    schema = dataset.collections[name].schema
    rows = [
        dataset.render(name, entity, schema)
        for entity in dataset.ordered(name)
        if not dataset.is_deleted(name, entity)
        and all(entity.get(key) == value for key, value in params.items())
    ]
    return {found[0]: rows}
