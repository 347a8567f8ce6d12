"""Kombo's coverage vocabulary: which datapoint (read model or write action id) stands for
which operations of the contract.

The table is data, ``components/x-kombo-datapoints`` (contracts/general.yaml): per id a
``label``, the ``operations`` it covers and, for a model of nested sub-records, ``items``
(the dotted path to them inside a record). The sandbox turns connector profiles into
coverage declarations with it (:mod:`kombo_conformance.contract.declare`), a target's
declaration is placed at operations with it (:mod:`kombo_conformance.contract.declaration`)
and ``profiles pull`` turns declarations back into profiles. It is the only link between a
datapoint and operations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from kombo_conformance.contract import pointer
from kombo_conformance.contract.model import Contract
from kombo_conformance.contract.profiles import _schema_branches, field_schemas, has_field
from kombo_conformance.errors import ContractError

EXTENSION = "x-kombo-datapoints"
KINDS = {"read_models": "read_model", "write_actions": "write_action"}
SECTIONS = {"read_model": "models", "write_action": "actions"}  # a profile's section per kind
Kind = Literal["read_model", "write_action"]
MAX_DEPTH = 6  # input field paths deeper than this are not listed


@dataclass(frozen=True)
class Datapoint:
    """One row of a coverage grid: a read model or a write action."""

    id: str
    label: str
    kind: Kind
    operations: tuple[str, ...]
    items: str | None = None

    @property
    def category(self) -> str:
        """``ats``, ``assessment`` or ``lms``: the use case of its operations."""
        return self.operations[0].split(" ", 1)[1].strip("/").split("/", 1)[0]

    @property
    def key(self) -> str:
        """The profile key for it: the label in snake_case (contracts/connectors/README.md)."""
        return snake(self.label)


def snake(title: str) -> str:
    """ "Job-specific application stages" -> ``job_specific_application_stages``."""
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def _table(contract: Contract) -> dict[str, Any]:
    return (contract.document.get("components") or {}).get(EXTENSION) or {}


def datapoints(contract: Contract) -> tuple[Datapoint, ...]:
    """Every datapoint the contract declares, checked against its operations (a missing
    operation, a bad ``items`` path or a malformed entry is a :class:`ContractError`)."""
    cached = contract.__dict__.get("_datapoints")
    if cached is not None:
        return cached
    table = _table(contract)
    found: list[Datapoint] = []
    for section, kind in KINDS.items():
        for ident, entry in (table.get(section) or {}).items():
            where = pointer.join("components", EXTENSION, section, ident)
            found.append(_datapoint(contract, where, ident, kind, entry))
    result = tuple(found)
    contract.__dict__["_datapoints"] = result
    return result


def _datapoint(contract: Contract, where: str, ident: str, kind: Kind, entry: Any) -> Datapoint:
    source = contract.source_of(where) or "the contract"
    if not isinstance(entry, dict) or not isinstance(entry.get("label"), str):
        raise ContractError(source, where, "a datapoint needs a `label` (string)")
    operations = entry.get("operations")
    if not isinstance(operations, list) or not operations:
        raise ContractError(source, f"{where}/operations", "a non-empty list of operations")
    unknown = set(entry) - {"label", "operations", "items"}
    if unknown:
        raise ContractError(source, where, f"unknown key(s) {', '.join(sorted(unknown))}")
    for i, key in enumerate(operations):
        if key not in contract.operations:
            raise ContractError(source, f"{where}/operations/{i}", f"no operation {key!r}")
    items = entry.get("items")
    if items is not None:
        record = contract.operations[operations[0]].conventions.record_schema
        if not isinstance(items, str) or record is None or not has_field(record, items):
            raise ContractError(source, f"{where}/items", f"no nested records at {items!r}")
    return Datapoint(ident, entry["label"], kind, tuple(operations), items)


def datapoints_for(contract: Contract, categories: set[str] | None = None) -> list[Datapoint]:
    """The datapoints of the given categories (all when None), in table order."""
    return [d for d in datapoints(contract) if categories is None or d.category in categories]


def record_schema(contract: Contract, point: Datapoint) -> Any:
    """The records a read model describes (the nested ``items`` records for a nested model),
    or None (a write action, or a read that is not a list)."""
    if point.kind != "read_model":
        return None
    record = contract.operations[point.operations[0]].conventions.record_schema
    if record is not None and point.items:
        return {"anyOf": field_schemas(record, point.items)}
    return record


def in_contract(contract: Contract, point: Datapoint | None, name: str) -> bool:
    """Whether the contract has a place for the (dotted) field ``name`` of ``point``: a field of
    a read model's records (of the nested ``items`` records), a path parameter or a request
    body field of a write action. None (a datapoint not in the table): no place."""
    if point is None:
        return False
    if point.kind == "write_action":
        op = contract.operations[point.operations[0]]
        body = op.conventions.request_schema
        return name in op.conventions.path_parameters or (
            body is not None and has_field(body, name)
        )
    record = record_schema(contract, point)
    return record is not None and has_field(record, name)


def contract_fields(contract: Contract, point: Datapoint) -> list[str]:
    """The fields the contract gives a datapoint: a read model's record properties (of the
    nested records for ``items``), a write action's path parameters and request body
    fields (dotted leaf paths). Non-list reads list none."""
    op = contract.operations[point.operations[0]]
    if point.kind == "read_model":
        record = record_schema(contract, point)
        return list(dict.fromkeys(_properties(record))) if record is not None else []
    body = op.conventions.request_schema
    leaves = list(_leaves(body, "", 0)) if body else []
    return list(dict.fromkeys([*op.conventions.path_parameters, *leaves]))


def _properties(schema: Any) -> Iterator[str]:
    for branch in _schema_branches(schema):
        yield from branch.get("properties") or {}


def _nested(schema: Any) -> Any:
    """The object schema a property leads to (through arrays), or None for a leaf."""
    for branch in _schema_branches(schema):
        if branch.get("properties"):
            return schema
        items = branch.get("items")
        if isinstance(items, dict) and any(b.get("properties") for b in _schema_branches(items)):
            return items
    return None


def _leaves(schema: Any, prefix: str, depth: int) -> Iterator[str]:
    for branch in _schema_branches(schema):
        for name, sub in (branch.get("properties") or {}).items():
            path = f"{prefix}{name}"
            inner = _nested(sub) if depth < MAX_DEPTH else None
            if inner is None:
                yield path
            else:
                yield from _leaves(inner, f"{path}.", depth + 1)


def entry_fields(entry: dict[str, Any]) -> list[str]:
    """The fields a profile's ``models``/``actions`` entry says are delivered: its
    ``fields`` and its ``not_in_contract`` ones, in order."""
    return [*(entry.get("fields") or ()), *(entry.get("not_in_contract") or {})]


def profile_entry(profile_section: dict[str, Any], point: Datapoint) -> dict[str, Any] | None:
    """The profile's ``models``/``actions`` entry that describes ``point``: same operation
    and, for a model, the same ``items``."""
    for entry in profile_section.values():
        if entry.get("operation") in point.operations and entry.get("items") == point.items:
            return entry
    return None
