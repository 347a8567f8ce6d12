"""Real ids for probes, fetched from the contract's own list operations (never hard-coded).

An id named ``<x>_id`` (a path parameter or a body field) is resolved in this order:

1. from the records already chosen for the request: a record with a list ``<x>s`` of
   objects supplies one of their ids (a job's ``stages`` give ``stage_id``), a record with
   a field ``<x>_id`` supplies that (an application's ``job_id``);
2. from the first page of the list operation of the same use case whose last path segment,
   made singular, is ``x`` or ends/starts with it (``stage`` -> ``/ats/application-stages``,
   ``assessment_order`` -> ``/assessment/orders``). Deleted records are skipped, and so are
   records a connector quirk of kind ``refuse-stage`` names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kombo_conformance.checks.session import Session
from kombo_conformance.contract import Contract, Operation

PAGE = 50


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
            self.cache[key] = (
                [
                    r
                    for r in results or []
                    if isinstance(r, dict)
                    and isinstance(r.get("id"), str)
                    and not r.get("remote_deleted_at")
                ]
                if exchange.status == 200
                else []
            )
        return self.cache[key]

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
        for record in self.chosen:
            nested = record.get(stem + "s")
            if isinstance(nested, list):
                found += [i["id"] for i in nested if isinstance(i, dict) and "id" in i]
            if isinstance(record.get(stem + "_id"), str):
                found.append(record[stem + "_id"])
        return found

    def candidates(self, stem: str, avoid: frozenset[str] = frozenset()) -> list[str]:
        """Ids an ``<stem>_id`` may take, best first."""
        op = list_operation_for(self.ctx.contract, stem, self.ctx.operation.use_case)
        refused = self.refused_names()
        pool = self.records(op) if op is not None and self.usable(op) else []
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
        op = list_operation_for(self.ctx.contract, stem, self.ctx.operation.use_case)
        pool = self.records(op) if op is not None and self.usable(op) else []
        record = next((r for r in pool if r["id"] == ident), None) or self.record(stem, ident)
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
