"""What lets a dataset hold many records: an ordered index, and records derived cheaply.

- :class:`Order`: a collection's entities in ``_seq`` order, so a list page bisects on
  its cursor instead of sorting, and an index by case-folded id for the ``ids`` filter.
- :class:`Deriver`: past a collection's generated records (the *templates*), further
  records are copies with a fresh id and remote id, dates drawn from a shared pool of
  timestamps and references drawn anew; everything is deterministic from the seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from kombo_conformance.sandbox.data import _ID_TABLE, quick_date_time
from kombo_conformance.sandbox.datafiles import personality_data

_SCALE = personality_data()["scale"]  # personalities.yaml
DERIVED_REMOTE_ID: int = _SCALE["derived_remote_id"]  # derived records' remote ids count up
STAMPS: int = _SCALE["stamps"]  # distinct timestamps derived records draw their dates from


class Order:
    """A collection's entities in ``_seq`` order (for bisecting on a cursor), and by
    case-folded id (for the ``ids`` filter, built on first use; a list only where two ids
    fold alike)."""

    __slots__ = ("by_id", "entities", "seqs")

    def __init__(self, entities: list[dict[str, Any]]) -> None:
        self.entities = entities
        self.seqs = [e["_seq"] for e in entities]
        self.by_id: dict[str, Any] | None = None

    def append(self, entity: dict[str, Any]) -> None:
        self.entities.append(entity)
        self.seqs.append(entity["_seq"])
        if self.by_id is not None:
            self._index(entity)

    def _index(self, entity: dict[str, Any]) -> None:
        key = entity["id"].casefold()
        found = self.by_id.setdefault(key, entity)
        if found is not entity:
            self.by_id[key] = [*found, entity] if isinstance(found, list) else [found, entity]

    def with_ids(self, ids: Iterable[str]) -> tuple[list[int], list[dict[str, Any]]]:
        if self.by_id is None:
            self.by_id = {}
            for entity in self.entities:
                self._index(entity)
        found = []
        for ident in set(ids):
            hit = self.by_id.get(ident)
            if hit is not None:
                found += hit if isinstance(hit, list) else [hit]
        found.sort(key=lambda e: e["_seq"])
        return [e["_seq"] for e in found], found


@dataclass(frozen=True)
class Plan:
    """How to derive records from one template: the fields to copy, and those to draw
    anew (dates, references). Relation fields are left out: rendering computes them."""

    base: dict[str, Any]  # the template without its relation fields
    dates: tuple[str, ...]
    fks: tuple[str, ...]
    fk_lists: tuple[str, ...]
    own_lists: tuple[str, ...]  # bookkeeping lists writes may append to: copied


@cache
def _stamps() -> list[str]:
    """The timestamps derived records draw from (one list, shared by every dataset)."""
    rng = random.Random("derived-timestamps")
    return [quick_date_time(rng) for _ in range(STAMPS)]


class Deriver:
    """Records derived cheaply from a collection's generated ones (``templates``): fresh
    id and remote id, dates drawn from a pool of timestamps, references drawn anew;
    nested values are shared with the template (nothing mutates them in place)."""

    def __init__(
        self,
        rng: random.Random,
        refs: Callable[[str], list[str]],
        is_relation: Callable[[str, dict[str, Any]], bool],
        *,
        blank: tuple[str, ...] = (),
    ) -> None:
        self.rng = rng
        self.blank = blank  # fields derived records leave null (the deletion marker)
        self.refs = refs
        self.is_relation = is_relation
        self.templates: list[dict[str, Any]] = []
        self.plans: dict[int, Plan] = {}
        self._targets: dict[str, list[str]] = {}
        self._steps: dict[int, tuple[Any, ...]] = {}

    def targets(self, field: str) -> list[str]:
        """The ids a reference field (``x_id`` or ``x_ids``) may take."""
        if field not in self._targets:
            self._targets[field] = self.refs(field[:-1] if field.endswith("_ids") else field)
        return self._targets[field]

    def plan(self, k: int) -> Plan:
        template = self.templates[k]
        base, dates, fks, fk_lists, own_lists = {}, [], [], [], []
        for key, value in template.items():
            if not key.startswith("_") and self.is_relation(key, template):
                continue
            base[key] = value
            if key.startswith("_") and isinstance(value, list):
                own_lists.append(key)
            if key.startswith("_") or key in ("id", "remote_id", *self.blank):
                continue
            if key.endswith("_at") and isinstance(value, str):
                dates.append(key)
            elif key.endswith("_id") and not key.endswith("_remote_id") and isinstance(value, str):
                fks.append(key)
            elif key.endswith("_ids") and isinstance(value, list) and value:
                fk_lists.append(key)
        return Plan(base, tuple(dates), tuple(fks), tuple(fk_lists), tuple(own_lists))

    def __call__(self, index: int) -> dict[str, Any]:
        k = index % len(self.templates)
        steps = self._steps.get(k)
        if steps is None:
            steps = self._steps[k] = self._compile(k)
        base, has_remote_id, blank, own_lists, dates, fks, fk_lists = steps
        rng = self.rng
        entity = base.copy()
        entity["id"] = rng.randbytes(24).translate(_ID_TABLE).decode("ascii")  # quick_id
        if has_remote_id:
            entity["remote_id"] = str(DERIVED_REMOTE_ID + index)
        for key in blank:
            entity[key] = None
        for key in own_lists:
            entity[key] = list(entity[key])
        if dates:
            stamps, draw = _stamps(), rng.random
            for key in dates:
                entity[key] = stamps[int(draw() * STAMPS)]
        for key, ids in fks:
            entity[key] = ids[int(rng.random() * len(ids))]
        for key, ids, n in fk_lists:
            entity[key] = rng.sample(ids, n)
        return entity

    def _compile(self, k: int) -> tuple[Any, ...]:
        """The plan for template k in the form :meth:`__call__` runs fastest: reference
        fields with no ids to draw from are left out (they draw nothing)."""
        plan = self.plans.get(k) or self.plans.setdefault(k, self.plan(k))
        template = self.templates[k]
        fks = []
        for key in plan.fks:
            ids = self.targets(key)
            if ids:
                fks.append((key, ids))
        fk_lists = []
        for key in plan.fk_lists:
            ids = self.targets(key)
            if ids:
                fk_lists.append((key, ids, min(len(template[key]), len(ids))))
        return (
            plan.base,
            "remote_id" in plan.base,
            tuple(key for key in self.blank if key in plan.base),
            plan.own_lists,
            plan.dates,
            tuple(fks),
            tuple(fk_lists),
        )
