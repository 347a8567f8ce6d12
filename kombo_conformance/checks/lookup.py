"""Real ids for probes, fetched from the contract's own list operations (never hard-coded).

An id named ``<x>_id`` (a path parameter or a body field) is resolved in this order:

1. from the records already chosen for the request: a record with a list ``<x>s`` of
   objects supplies one of their ids (a job's ``stages`` give ``stage_id``), a record with
   a field ``<x>_id`` supplies that (an application's ``job_id``);
2. from the first page of the list operation of the same use case whose last path segment,
   made singular, is ``x`` or ends/starts with it (``stage`` -> the ``application-stages``
   list, ``assessment_order`` -> the assessment ``orders``). Deleted records are skipped, and so are
   records a connector quirk of kind ``refuse-stage`` names;
3. else, for ``<parent>_<child>``, from the ``<child>s`` sub-records of the parent list's
   records (``course_revision`` -> the ``revisions`` of the LMS ``courses``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kombo_conformance.checks.session import Session
from kombo_conformance.contract import Contract, Operation
from kombo_conformance.contract.records import (
    contract_deletion_markers,
    deletion_markers,
    is_deleted,
    list_operation_for,
)

PAGE = 50


def nested_list_for(contract: Contract, stem: str, use_case: str) -> tuple[Operation, str] | None:
    """(list operation, array property) whose records nest the ``<stem>`` sub-records:
    ``course_revision`` -> (``GET /lms/courses``, ``revisions``)."""
    parts = stem.split("_")
    for cut in range(1, len(parts)):
        op = list_operation_for(contract, "_".join(parts[:cut]), use_case, exact_only=True)
        if op is None:
            continue
        field = "_".join(parts[cut:]) + "s"
        prop = ((op.conventions.record_schema or {}).get("properties") or {}).get(field) or {}
        items = prop.get("items") if isinstance(prop, dict) else None
        if isinstance(items, dict) and "id" in (items.get("properties") or {}):
            return op, field
    return None


def stem_of(name: str) -> str | None:
    return name[:-3] if name.endswith("_id") else None


class Lookup:
    """Resolves ids for one probe, caching fetched pages in ``ctx.notes``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ctx = session.ctx
        cache = self.ctx.notes.setdefault("records", {})
        assert isinstance(cache, dict)
        self.cache: dict[str, list[dict[str, Any]]] = cache
        self.chosen: list[dict[str, Any]] = []
        self.avoid: set[str] = set()  # ids never to pick
        self.prefer: Callable[[dict[str, Any]], bool] | None = None  # records to pick first

    def usable(self, op: Operation) -> bool:
        profile = self.ctx.profile
        return profile is None or profile.supports(op.key)

    def records(self, op: Operation, **query: Any) -> list[dict[str, Any]]:
        """Live (not deleted) records of a list operation's first page (cached)."""
        key = op.key + repr(sorted(query.items()))
        if key not in self.cache:
            exchange = self.session.get(op.path, page_size=PAGE, **query)
            data = exchange.json.get("data") if isinstance(exchange.json, dict) else None
            results = data.get("results") if isinstance(data, dict) else None
            markers = deletion_markers(op)
            self.cache[key] = (
                [
                    r
                    for r in results or []
                    if isinstance(r, dict)
                    and isinstance(r.get("id"), str)
                    and not is_deleted(r, markers)
                ]
                if exchange.status == 200
                else []
            )
        return self.cache[key]

    def pool(self, stem: str) -> list[dict[str, Any]]:
        """Live records an ``<stem>_id`` may name: the first page of its list operation, else
        the live sub-records nested in the records of its parent's list."""
        use_case = self.ctx.operation.use_case
        op = list_operation_for(self.ctx.contract, stem, use_case)
        if op is not None:
            return self.records(op) if self.usable(op) else []
        nested = nested_list_for(self.ctx.contract, stem, use_case)
        if nested is None or not self.usable(nested[0]):
            return []
        markers = contract_deletion_markers(self.ctx.contract)
        return [
            item
            for record in self.records(nested[0])
            for item in record.get(nested[1]) or []
            if isinstance(item, dict)
            and isinstance(item.get("id"), str)
            and not is_deleted(item, markers)
        ]

    def refused_names(self) -> set[str]:
        profile = self.ctx.profile
        if profile is None:
            return set()
        return {
            str(q.options.get("stage_name", "")).casefold()
            for q in profile.quirks
            if q.kind == "refuse-stage"
        }

    def _from_chosen(self, stem: str) -> list[str]:
        found: list[str] = []
        markers = contract_deletion_markers(self.ctx.contract)
        for record in self.chosen:
            nested = record.get(stem + "s")
            if isinstance(nested, list):
                found += [
                    i["id"]
                    for i in nested
                    if isinstance(i, dict) and "id" in i and not is_deleted(i, markers)
                ]
            if isinstance(record.get(stem + "_id"), str):
                found.append(record[stem + "_id"])
        return found

    def candidates(self, stem: str, avoid: frozenset[str] = frozenset()) -> list[str]:
        """Ids an ``<stem>_id`` may take, best first."""
        refused = self.refused_names()
        pool = self.pool(stem)
        names = {r["id"]: str(r.get("name") or "").casefold() for r in pool}
        preferred = [r["id"] for r in pool if self.prefer is not None and self.prefer(r)]
        ids = self._from_chosen(stem) or [*preferred, *names]
        skip = set(avoid) | self.avoid
        return [i for i in dict.fromkeys(ids) if i not in skip and names.get(i) not in refused]

    def record(self, stem: str, ident: str) -> dict[str, Any] | None:
        """The record with this id, read through its list operation (``ids=`` filter)."""
        op = list_operation_for(self.ctx.contract, stem, self.ctx.operation.use_case)
        if op is None or not self.usable(op):
            return None
        found = [r for r in self.records(op, ids=ident) if r["id"] == ident]
        return found[0] if found else None

    def choose(self, stem: str, avoid: frozenset[str] = frozenset()) -> str | None:
        """Pick an id for ``<stem>_id`` and remember its record (and the records it names)."""
        ids = self.candidates(stem, avoid)
        if not ids:
            return None
        ident = ids[0]
        record = next((r for r in self.pool(stem) if r["id"] == ident), None) or self.record(
            stem, ident
        )
        if record is not None:
            self.chosen.append(record)
            for key, value in list(record.items()):
                sub = stem_of(key)
                if sub and isinstance(value, str) and sub != stem:
                    related = self.record(sub, value)
                    if related is not None:
                        self.chosen.append(related)
        return ident

    def path(self, operation: Operation, given: dict[str, str] | None = None) -> str | None:
        """The operation's path with real ids, or None when one cannot be found."""
        path = operation.path
        for name in operation.conventions.path_parameters:
            stem = stem_of(name) or name
            ident = (given or {}).get(name) or self.choose(stem)
            if ident is None:
                return None
            path = path.replace("{" + name + "}", ident)
        return path
