"""The collections the sandbox keeps records in, and what the contract says about seeding
them: one per list operation, plus the arrays of sub-records that point back at their
parent (``revisions`` with ``course_id``) and the records non-list reads answer
(:mod:`reads`: ``GET /assessment/packages``).

Each collection also gets, from the contract:

- its deletion marker: the ``x-kombo-deleted-marker`` of its list operation's
  ``include_deleted`` (:func:`deletion_markers`); a collection without a list operation,
  the marker any operation declares that its records have;
- its :class:`Outcome` s: the writes (``x-kombo-effects``) that set a field of its records
  to a literal together with other fields (a rejection: ``outcome`` DECLINED with
  ``rejection_reason_name`` and ``rejected_at``), which seeded records keep consistent.
"""

from __future__ import annotations

from dataclasses import replace

from kombo_conformance.contract import Contract
from kombo_conformance.contract.effects import Call, Change, Const, First
from kombo_conformance.contract.records import (
    contract_deletion_markers,
    deletion_markers,
    record_fields,
)
from kombo_conformance.sandbox import reads
from kombo_conformance.sandbox.store import Collection, Outcome


def collections_of(contract: Contract) -> dict[str, Collection]:
    """Every collection of the contract, with its deletion marker and outcomes."""
    out: dict[str, Collection] = {}
    for op in contract.operations.values():
        conv = op.conventions
        if conv.is_list and conv.record_schema:
            name = op.path.strip("/")
            marker = next(iter(deletion_markers(op)), None)
            out[name] = Collection(name, conv.record_schema, op.use_case, marker)
    for coll in list(out.values()):
        for prop, sub in (coll.schema.get("properties") or {}).items():
            items = sub.get("items") if isinstance(sub, dict) else None
            if isinstance(items, dict) and f"{coll.stem}_id" in (items.get("properties") or {}):
                name = f"{coll.use_case}/{coll.stem.replace('_', '-')}-{prop}"
                out.setdefault(name, Collection(name, items, coll.use_case))
    out |= reads.read_collections(contract, out)
    markers = contract_deletion_markers(contract)
    outcomes = outcomes_of(contract)
    listed = {op.path.strip("/") for op in contract.operations.values() if op.conventions.is_list}
    for name, coll in out.items():
        marker = coll.deleted
        if name not in listed:
            fields = record_fields(coll.schema)
            marker = next((m for m in markers if m in fields), None)
        out[name] = replace(coll, deleted=marker, outcomes=tuple(outcomes.get(name, ())))
    return out


def outcomes_of(contract: Contract) -> dict[str, list[Outcome]]:
    """The :class:`Outcome` s of the declared writes, by collection: the changes of one
    write to one record of which exactly one sets a top-level field to a literal."""
    found: dict[str, list[Outcome]] = {}
    for effects in contract.effects.values():
        groups: dict[tuple[str, str], list[Change]] = {}
        for change in effects.changes:
            if isinstance(change, Change) and change.how == "equals" and "." not in change.field:
                groups.setdefault((change.read, str(change.record)), []).append(change)
        for (read, _), changes in groups.items():
            literal = [c for c in changes if isinstance(c.value, Const)]
            if len(literal) != 1:
                continue
            others = [c for c in changes if c is not literal[0]]
            name = reads.collection_name(contract.operation(read))
            found.setdefault(name, []).append(
                Outcome(
                    literal[0].field,
                    literal[0].value.value,
                    tuple(c.field for c in others),
                    tuple(c.field for c in others if _is_now(c.value)),
                )
            )
    return found


def _is_now(value: object) -> bool:
    """Whether a declared value is the time of the write (``now()``, or its fallback)."""
    if isinstance(value, First):
        return any(_is_now(option) for option in value.options)
    return isinstance(value, Call) and value.name == "now"
