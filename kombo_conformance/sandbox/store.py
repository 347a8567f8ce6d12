"""Per-integration datasets: seeding from the contract, relations, rendering and cursors.

Every integration id (``<slug>:<id>``) gets its own :class:`Dataset`, seeded from
``random.Random(f"{seed}:{integration_id}")``: the same seed and id always give the same
data, and no dataset shares a record with another.

Records live as *entities*, one dict per record of each collection (``ats/jobs``,
``ats/candidates``, ...; a collection is a list operation's path). Keys beginning with
``_`` are the sandbox's own bookkeeping and never leave it. Embedded objects are not
stored: they are *rendered* at read time by projecting the related entity onto the
schema the response asks for, so a stage move shows in the applications list and in the
candidate's ``applications`` at once. Relations are found by naming convention:

- an object property ``x`` with a sibling ``x_id`` is the record of collection ``x``;
- an array property ``xs`` is either the ids stored in ``_x_ids`` or the records of
  collection ``x`` (else ``<owner>_x``: a course's ``revisions``) whose ``<owner>_id``
  points back at this record.

Only the few irregular names are spelled out (:data:`ALIASES`).

At scale (the realistic personality), collections keep their order (:mod:`scale`) and
most records are derived from a few generated ones; with a write lag, list reads see an
entity as it was before recent writes (:meth:`Dataset.listed`).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import random
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kombo_conformance.contract.filter_names import singular
from kombo_conformance.sandbox.data import Generator, allows_null
from kombo_conformance.sandbox.datafiles import personality_data
from kombo_conformance.sandbox.scale import Deriver, Order

# field-name stem -> collection tail, where the stem does not name its collection
ALIASES = {
    "current_stage": "application-stages",
    "stage": "application-stages",
    "contact": "users",
    "course_revision": "course-revisions",
    "assessment_order": "orders",
    "interviewer_user": "users",
    "organizer_user": "users",
    "rejection_reason": "rejection-reasons",
}

# How many records each collection starts with (collections not named: DEFAULT_COUNT), the
# share seeded as deleted, the collections named from a list or in pipelines, and how many
# records a record holds by id: personalities.yaml, `dataset`.
_DATASET = personality_data()["dataset"]
SEED_COUNTS: dict[str, int] = _DATASET["counts"]
DEFAULT_COUNT: int = _DATASET["default_count"]
DELETED_SHARE: float = _DATASET["deleted_share"]
NAMES: dict[str, list[str]] = _DATASET["names"]
PIPELINES: dict[str, list[str]] = _DATASET["pipelines"]
HELD: dict[str, int] = _DATASET["held"]
CURSOR_SECRET = b"kombo-sandbox-cursor"


class CursorError(ValueError):
    pass


@dataclass(frozen=True)
class Outcome:
    """A write that sets ``field`` to the literal ``value`` together with other fields of
    the record (the contract's ``x-kombo-effects``: a rejection sets ``outcome`` DECLINED,
    ``rejection_reason_name`` and ``rejected_at``). A seeded record without that value has
    those fields null (where its schema allows); one with it has the ``stamps`` (set to
    ``now()`` by the write) at its ``changed_at``."""

    field: str
    value: Any
    others: tuple[str, ...]
    stamps: tuple[str, ...]


@dataclass
class Collection:
    name: str  # "ats/jobs"
    schema: dict[str, Any]  # the record schema
    use_case: str
    deleted: str | None = None  # the field only deleted records carry (x-kombo-deleted-marker)
    outcomes: tuple[Outcome, ...] = ()

    @cached_property
    def tail(self) -> str:
        return self.name.split("/", 1)[1]

    @cached_property
    def stem(self) -> str:
        return singular(self.tail).replace("-", "_")


def encode_cursor(scope: str, seq: int) -> str:
    payload = json.dumps({"s": seq, "k": scope}, separators=(",", ":")).encode()
    sig = hmac.new(CURSOR_SECRET, payload, hashlib.sha256).hexdigest()[:12]
    return base64.urlsafe_b64encode(payload + b"." + sig.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, scope: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload, _, sig = raw.rpartition(b".")
        good = hmac.new(CURSOR_SECRET, payload, hashlib.sha256).hexdigest()[:12].encode()
        if not hmac.compare_digest(sig, good):
            raise ValueError("signature")
        data = json.loads(payload)
        seq = data["s"]
        if data["k"] != scope or not isinstance(seq, int):
            raise ValueError("scope")
    except (ValueError, KeyError, TypeError) as exc:
        raise CursorError("the cursor is not one this server issued for this query") from exc
    return seq


class Dataset:
    """One integration's records. All access goes through ``lock``.

    Collections are seeded lazily, each from its own random stream
    (``f"{seed}:{integration}:{collection}"``), so the data does not depend on the order
    in which collections are first read. ``counts`` overrides :data:`SEED_COUNTS`; past
    ``templates`` records a collection's further records are derived cheaply from the
    generated ones (fresh ids, dates and references). With ``lag_s`` > 0 writes reach
    list reads only ``lag_s`` seconds later (:meth:`listed`).
    """

    def __init__(
        self,
        collections: dict[str, Collection],
        seed: int,
        integration: str,
        *,
        counts: Mapping[str, int] | None = None,
        templates: int | None = None,
        lag_s: float = 0.0,
    ) -> None:
        self.collections = collections
        self.integration = integration
        self.seed = seed
        self.counts = SEED_COUNTS if counts is None else counts
        self.templates = templates
        self.lag_s = lag_s
        self.lock = threading.RLock()
        self._orders: dict[str, Order] = {}
        self._entities: dict[str, dict[str, dict[str, Any]]] = {}
        self.extra: dict[str, list[dict[str, Any]]] = {}  # notes, attachments, result links
        self._seq = 0
        self._version = 0
        self._reverse: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
        self._reverse_version = -1
        self._seeding: list[str] = []
        self._memo: dict[tuple[str, str], Any] = {}
        self._targets: dict[tuple[str, str], str | None] = {}
        self._fills: dict[tuple[str, str], Any] = {}  # (entity id, field) -> filler value
        self._relations: dict[tuple[str, str], tuple[str, str | None]] = {}
        self._holds: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
        self._plans: dict[tuple[str, int, bool], tuple[Any, tuple[tuple[Any, ...], ...]]] = {}
        self._warmed: dict[int, tuple[Any, dict[str, Any]]] = {}  # plans of lazy views
        self.rng = random.Random(f"{seed}:{integration}:writes")

    # -- lookup -------------------------------------------------------------------------
    def collection_for(self, use_case: str, stem: str) -> str | None:
        key = (use_case, stem)
        if key not in self._targets:
            tail = ALIASES.get(stem)
            found = None
            for name, coll in self.collections.items():
                if coll.use_case == use_case and (
                    (tail and coll.tail == tail) or (not tail and coll.stem == stem)
                ):
                    found = name
                    break
            self._targets[key] = found
        return self._targets[key]

    def pool(self, collection: str) -> dict[str, dict[str, Any]]:
        """The entities of a collection by id, seeding it on first use."""
        found = self._entities.get(collection)
        if found is None:
            if collection not in self.collections:
                return {}
            found = self._seed_collection(collection)
        return found

    def get(self, collection: str, ident: str) -> dict[str, Any] | None:
        return self.pool(collection).get(ident)

    def is_deleted(self, collection: str, entity: dict[str, Any]) -> bool:
        """Whether the entity carries its collection's deletion marker."""
        marker = self.collections[collection].deleted
        return marker is not None and bool(entity.get(marker))

    def live(self, collection: str | None, ident: Any) -> dict[str, Any] | None:
        """The entity of that id, unless there is none or it is deleted."""
        if collection is None or not isinstance(ident, str):
            return None
        found = self.get(collection, ident)
        return None if found is None or self.is_deleted(collection, found) else found

    def records(self, collection: str) -> list[dict[str, Any]]:
        return list(self.pool(collection).values())

    def remove(self, collection: str, ident: str) -> None:
        if self.pool(collection).pop(ident, None) is not None:
            self._orders.pop(collection, None)

    def clear(self, collection: str) -> None:
        self.pool(collection).clear()
        self._orders.pop(collection, None)

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def touch(self) -> None:
        self._version += 1

    # -- seeding ------------------------------------------------------------------------
    def _refs_for(self, collection: str):
        """Ids a field of ``collection`` may reference. The referenced pools do not change
        while a collection is seeded, so each list is computed once."""
        use_case = self.collections[collection].use_case
        cache: dict[str, list[str]] = {}

        def refs(name: str) -> list[str]:
            stem = name[:-3] if name.endswith("_id") else name
            target = self.collection_for(use_case, stem)
            if target is None or target == collection or target in self._seeding:
                return []
            if target not in cache:
                cache[target] = [
                    i for i, e in self.pool(target).items() if not self.is_deleted(target, e)
                ]
            return cache[target]

        return refs

    def _seed_collection(self, name: str) -> dict[str, dict[str, Any]]:
        coll = self.collections[name]
        if not self._seeding:
            self._memo = {}  # pools do not change while seeding: lookups computed once
        self._seeding.append(name)
        try:
            rng = random.Random(f"{self.seed}:{self.integration}:{name}")
            refs = self._refs_for(name)
            blank = (coll.deleted,) if coll.deleted else ()
            gen = Generator(rng, refs=refs, blank=blank)
            gen.context = name
            for _, target, _ in self._held(name):
                if target not in self._seeding:
                    self.pool(target)
            count = self.counts.get(name, DEFAULT_COUNT)
            generated = min(count, self.templates or count)
            names = _unique_names(name, count)
            pool: dict[str, dict[str, Any]] = {}
            derive = Deriver(
                rng, refs, lambda key, t: self._relation(name, t, key)[0] != "none", blank=blank
            )
            for i in range(count):
                if i < generated:
                    entity = gen.obj(coll.schema, coll.stem)
                    entity["id"] = gen.new_id()
                    derive.templates.append(entity)
                else:
                    entity = derive(i)
                if names:
                    entity["name"] = names[i]
                self._link(coll, entity, i, gen)
                entity["_seq"] = i
                pool[entity["id"]] = entity
            self._entities[name] = pool
            self.touch()
        finally:
            self._seeding.pop()
        return pool

    def _held(self, collection: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(property, target collection, array schema) of the records the collection's
        records hold by id: an array of records ``xs`` whose stem names a collection that
        does not point back (a candidate's ``tags``; not its ``applications``)."""
        found = self._holds.get(collection)
        if found is None:
            coll = self.collections[collection]
            found = self._holds[collection] = []
            for prop, sub in _object_properties(coll.schema).items():
                stem = singular(prop).replace("-", "_")
                target = self.collection_for(coll.use_case, stem) if stem != prop else None
                if (
                    target is None
                    or target == collection
                    or "id" not in _object_properties(_array_items(sub))
                    or f"{coll.stem}_id" in _object_properties(self.collections[target].schema)
                ):
                    continue
                found.append((prop, target, _non_null(sub)))
        return found

    def _link(self, coll: Collection, entity: dict[str, Any], index: int, gen: Generator) -> None:
        """Seed-time relations that generation alone cannot get right (personalities.yaml,
        ``dataset``): pipeline names, records held by id, references into a held pipeline,
        the fields a declared write sets together (:class:`Outcome`), deletion."""
        rng = gen.rng
        cycle = PIPELINES.get(coll.name)
        if cycle:
            entity["name"] = cycle[index % len(cycle)]
            entity["_pipeline"] = index // len(cycle)
            entity["_index"] = index % len(cycle)  # rendered as `index` where a schema has one
        for prop, target, schema in self._held(coll.name):
            if target in PIPELINES:
                pipelines = self._seed_lookup("pipelines", target)
                chosen = rng.choice(pipelines) if pipelines else []
            else:
                ids = self._seed_lookup("sorted", target)
                low = max(HELD["min"], int(schema.get("minItems", 0)))
                chosen = rng.sample(ids, min(len(ids), rng.randint(low, max(low, HELD["max"]))))
            entity[f"_{singular(prop)}_ids"] = chosen
        self._point_into_pipelines(coll, entity, rng)
        for outcome in coll.outcomes:
            _settle(entity, outcome, coll.schema)
        _chronology(entity)
        if (
            coll.deleted in entity
            and "changed_at" in entity
            and rng.random() < DELETED_SHARE
            and coll.name not in NAMES
            and coll.name not in PIPELINES
        ):
            entity[coll.deleted] = entity["changed_at"]

    def _point_into_pipelines(
        self, coll: Collection, entity: dict[str, Any], rng: random.Random
    ) -> None:
        """A reference to a pipeline record (``current_stage_id``) takes one of those that a
        record the entity references holds (its job's ``stages``)."""
        refs = {
            key: self.collection_for(coll.use_case, key[:-3])
            for key, value in entity.items()
            if key.endswith("_id") and isinstance(value, str)
        }
        for key, target in refs.items():
            if target not in PIPELINES:
                continue
            for other, owner in refs.items():
                if owner is None or owner == target:
                    continue
                held = [f"_{singular(p)}_ids" for p, t, _ in self._held(owner) if t == target]
                record = self.pool(owner).get(entity[other]) if held else None
                choices = [i for h in held for i in (record or {}).get(h) or []]
                if choices:
                    entity[key] = rng.choice(choices)
                    break

    def _seed_lookup(self, kind: str, collection: str) -> list[Any]:
        """Lists seeding draws from, computed once per seeding: a pool's sorted ids, or
        its stage pipelines (the live stage ids of each)."""
        key = (kind, collection)
        if key not in self._memo:
            pool = self.pool(collection)
            if kind == "sorted":
                self._memo[key] = sorted(pool)
            else:
                pipelines: dict[int, list[str]] = {}
                for sid, stage in pool.items():
                    if not self.is_deleted(collection, stage):
                        pipelines.setdefault(stage["_pipeline"], []).append(sid)
                self._memo[key] = list(pipelines.values())
        return self._memo[key]

    def insert(self, collection: str, entity: dict[str, Any]) -> None:
        """Add a record written through the API (after every seeded one)."""
        pool = self.pool(collection)
        entity["_seq"] = len(pool) + 1_000_000 + self.next_seq()
        if self.lag_s > 0:
            entity["_visible_at"] = time.monotonic() + self.lag_s
        order = self._orders.get(collection)
        if (
            order is not None
            and len(order.entities) == len(pool)
            and (not order.seqs or order.seqs[-1] <= entity["_seq"])
        ):
            order.append(entity)
        else:
            self._orders.pop(collection, None)
        pool[entity["id"]] = entity
        self.touch()

    def new_id(self) -> str:
        return Generator(self.rng).new_id()

    # -- relations and rendering -------------------------------------------------------
    def _reverse_index(self, collection: str, key: str) -> dict[str, list[dict[str, Any]]]:
        if self._reverse_version != self._version:
            self._reverse = {}
            self._reverse_version = self._version
        index = self._reverse.get((collection, key))
        if index is None:
            index = {}
            for entity in self.ordered(collection):
                value = entity.get(key)
                if isinstance(value, str):
                    index.setdefault(value, []).append(entity)
            self._reverse[(collection, key)] = index
        return index

    def _relation(self, collection: str, entity: dict[str, Any], prop: str):
        """(kind, target) for a property: kind is fk, ids, reverse or none. Cached."""
        key = (collection, prop)
        found = self._relations.get(key)
        if found is not None:
            return found
        coll = self.collections[collection]
        found = ("none", None)
        target = self.collection_for(coll.use_case, prop)
        stem = singular(prop)
        if target and target != collection and f"{prop}_id" in _object_properties(coll.schema):
            found = ("fk", target)
        elif stem != prop and (
            target := self.collection_for(coll.use_case, stem)
            or self.collection_for(coll.use_case, f"{coll.stem}_{stem}")
        ):
            if f"_{stem}_ids" in entity:
                found = ("ids", target)
            elif target != collection and f"{coll.stem}_id" in _object_properties(
                self.collections[target].schema
            ):
                found = ("reverse", target)
        self._relations[key] = found
        return found

    def relation(self, collection: str, prop: str) -> tuple[str, str | None]:
        """(kind, target collection) of a property of the collection's records: fk, ids,
        reverse or none (as its seeded records store it)."""
        sample = next(iter(self.pool(collection).values()), {})
        return self._relation(collection, sample, prop)

    def related(
        self, collection: str, entity: dict[str, Any], prop: str, now: float | None = None
    ) -> tuple[bool, Any]:
        """(is_relation, related (collection, entity) pair or list of pairs or None);
        with ``now``, the related records as lists show them then (:meth:`listed`)."""
        kind, target = self._relation(collection, entity, prop)
        if kind == "none" or target is None:
            return False, None
        if kind == "fk":
            fk = entity.get(f"{prop}_id")
            found = self.pool(target).get(fk) if isinstance(fk, str) else None
            if found is not None and now is not None:
                found = self.listed(found, now)
            return True, (target, found) if found is not None else None
        if kind == "ids":
            pool = self.pool(target)
            rows = [pool[i] for i in entity.get(f"_{singular(prop)}_ids", []) if i in pool]
        else:
            back = f"{self.collections[collection].stem}_id"
            rows = self._reverse_index(target, back).get(entity["id"], [])
        if now is not None:
            rows = [s for s in (self.listed(r, now) for r in rows) if s is not None]
        return True, [(target, r) for r in rows]

    def render(
        self, collection: str, entity: dict[str, Any], schema: Any, now: float | None = None
    ) -> Any:
        """The entity projected onto schema; with ``now``, as list reads show it then."""
        return self._project(collection, entity, schema, 0, now)

    def view(
        self, collection: str, entity: dict[str, Any], schema: Any, now: float | None = None
    ) -> LazyRecord:
        """What :meth:`render` gives, as a mapping that projects each property only when
        it is read (filters read one or two; a full render embeds related records)."""
        plan = self._plan(collection, entity, schema, 0)
        found = self._warmed.get(id(plan))
        if found is None or found[0] is not plan:
            # a full render seeds every collection it reaches: seed them as a render would
            found = self._warmed[id(plan)] = (plan, {step[0]: step for step in plan})
            self._project(collection, entity, schema, 0, now)
        return LazyRecord(self, collection, entity, found[1], now)

    def _plan(
        self, collection: str, entity: dict[str, Any], schema: Any, depth: int
    ) -> tuple[tuple[Any, ...], ...]:
        """How to project an entity of ``collection`` onto ``schema`` (at ``depth``): one
        step per property, relations resolved once (:meth:`_relation` is cached per
        collection and property anyway, first asked with the first entity rendered)."""
        key = (collection, id(schema), depth >= 4)
        found = self._plans.get(key)
        if found is not None and found[0] is schema:
            return found[1]
        required = set(_object_required(schema))
        steps = []
        for prop, sub in _object_properties(schema).items():
            kind, target = self._relation(collection, entity, prop) if depth < 4 else ("none", None)
            if kind == "none" or target is None:
                steps.append((prop, _PLAIN, f"_{prop}", prop in required, allows_null(sub), sub))
            elif kind == "fk":
                steps.append(
                    (prop, _FK, target, f"{prop}_id", _non_null(sub), allows_null(sub), sub)
                )
            elif kind == "ids":
                steps.append((prop, _IDS, target, f"_{singular(prop)}_ids", _array_items(sub)))
            else:
                back = f"{self.collections[collection].stem}_id"
                steps.append((prop, _REVERSE, target, back, _array_items(sub)))
        plan = tuple(steps)
        self._plans[key] = (schema, plan)
        return plan

    def _project(
        self,
        collection: str,
        entity: dict[str, Any],
        schema: Any,
        depth: int,
        now: float | None = None,
    ) -> Any:
        out: dict[str, Any] = {}
        for step in self._plan(collection, entity, schema, depth):
            prop = step[0]
            if step[1] is _PLAIN:
                if prop in entity:
                    out[prop] = entity[prop]
                elif step[2] in entity:
                    out[prop] = entity[step[2]]
                elif step[3]:
                    out[prop] = None if step[4] else self._filler(entity, prop, step[5])
            else:
                out[prop] = self._step_value(collection, entity, step, depth, now)
        return out

    def _step_value(
        self,
        collection: str,
        entity: dict[str, Any],
        step: tuple[Any, ...],
        depth: int,
        now: float | None,
    ) -> Any:
        """One property's projection (_MISSING where the projection leaves it out)."""
        prop, kind = step[0], step[1]
        if kind is _PLAIN:
            if prop in entity:
                return entity[prop]
            if step[2] in entity:
                return entity[step[2]]
            if step[3]:
                return None if step[4] else self._filler(entity, prop, step[5])
            return _MISSING
        if kind is _FK:
            _, _, target, fk_key, child, nullable, sub = step
            fk = entity.get(fk_key)
            found = self.pool(target).get(fk) if isinstance(fk, str) else None
            if found is not None and now is not None:
                found = self.listed(found, now)
            if found is None:
                return None if nullable else self._filler(entity, prop, sub)
            return self._project(target, found, child, depth + 1, now)
        _, _, target, key, item_schema = step
        if kind is _IDS:
            pool = self.pool(target)
            rows = [pool[i] for i in entity.get(key, []) if i in pool]
        else:
            rows = self._reverse_index(target, key).get(entity["id"], [])
        if now is not None:
            rows = [s for s in (self.listed(r, now) for r in rows) if s is not None]
        return [self._project(target, r, item_schema, depth + 1, now) for r in rows]

    def _filler(self, entity: dict[str, Any], prop: str, schema: Any) -> Any:
        """A value for a required field the entity does not store: deterministic per
        (entity, field), so it is generated once and then served from memory."""
        key = (str(entity.get("id")), prop)
        if key not in self._fills:
            gen = Generator(random.Random(f"{entity.get('id')}:{prop}"))
            self._fills[key] = gen.value(_non_null(schema), prop)
        return self._fills[key]

    # -- pagination --------------------------------------------------------------------
    def _order(self, collection: str) -> Order:
        pool = self.pool(collection)
        order = self._orders.get(collection)
        if order is None or len(order.entities) != len(pool):
            order = self._orders[collection] = Order(sorted(pool.values(), key=lambda e: e["_seq"]))
        return order

    def ordered(self, collection: str) -> list[dict[str, Any]]:
        """The entities in ``_seq`` order (kept, not sorted per call: do not mutate)."""
        return self._order(collection).entities

    def sequence(
        self, collection: str, ids: Iterable[str] | None = None
    ) -> tuple[list[int], list[dict[str, Any]]]:
        """(seqs, entities) in ``_seq`` order; with ``ids`` (case-folded) only those."""
        order = self._order(collection)
        return order.with_ids(ids) if ids is not None else (order.seqs, order.entities)

    # -- write lag -----------------------------------------------------------------------
    def listed(self, entity: dict[str, Any], now: float) -> dict[str, Any] | None:
        """The entity as list reads show it at ``now``: None while a create is not
        visible yet, the state before a write while that write is not."""
        if entity.get("_visible_at", 0.0) > now:
            return None
        while (lag := entity.get("_lag")) is not None and lag[0] > now:
            entity = lag[1]
        return entity

    def snapshot(self, entities: Iterable[dict[str, Any]]) -> list[tuple[dict, dict]]:
        """Copies of entities about to be written (see :meth:`publish`)."""
        unique = {id(e): e for e in entities}
        return [(e, copy.deepcopy(e)) for e in unique.values()]

    def publish(self, snapshots: list[tuple[dict, dict]]) -> None:
        """Entities that changed since their snapshot keep showing it for ``lag_s``."""
        now = time.monotonic()
        for entity, before in snapshots:
            if entity == before:
                continue
            node = before  # states older than the last visible one are no longer needed
            while (lag := node.get("_lag")) is not None:
                if lag[0] <= now:
                    del node["_lag"]
                    break
                node = lag[1]
            entity["_lag"] = (now + self.lag_s, before)


_MISSING = object()
# kinds of projection steps (see Dataset._plan)
_PLAIN, _FK, _IDS, _REVERSE = "plain", "fk", "ids", "reverse"


class LazyRecord(dict):
    """A rendered record (:meth:`Dataset.render`) whose properties are projected when
    first read: ``in``, ``[]`` and ``get`` project one property; ``values``, ``items``,
    iteration and the like project them all, in the order a render gives."""

    __slots__ = ("_collection", "_dataset", "_entity", "_full", "_now", "_steps")

    def __init__(
        self,
        dataset: Dataset,
        collection: str,
        entity: dict[str, Any],
        steps: dict[str, tuple[Any, ...]],
        now: float | None,
    ) -> None:
        super().__init__()
        self._dataset, self._collection, self._entity, self._now = dataset, collection, entity, now
        self._steps = steps  # property -> projection step, in render order
        self._full: dict[str, Any] | None = None

    def _value(self, key: Any) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        step = self._steps.get(key) if isinstance(key, str) else None
        if step is None:
            return _MISSING
        value = self._dataset._step_value(self._collection, self._entity, step, 0, self._now)
        dict.__setitem__(self, key, value)
        return value

    def complete(self) -> dict[str, Any]:
        if self._full is None:
            full = {}
            for key in self._steps:
                value = self._value(key)
                if value is not _MISSING:
                    full[key] = value
            self._full = full
        return self._full

    def __contains__(self, key: Any) -> bool:
        return self._value(key) is not _MISSING

    def __getitem__(self, key: Any) -> Any:
        value = self._value(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: Any, default: Any = None) -> Any:
        value = self._value(key)
        return default if value is _MISSING else value

    def values(self):  # type: ignore[override]
        return self.complete().values()

    def items(self):  # type: ignore[override]
        return self.complete().items()

    def keys(self):  # type: ignore[override]
        return self.complete().keys()

    def __iter__(self):
        return iter(self.complete())

    def __len__(self) -> int:
        return len(self.complete())

    def __eq__(self, other: object) -> bool:
        return self.complete() == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.complete())


# pairs that must be ordered (earlier, later) when both are set
ORDERED_PAIRS = (
    ("remote_created_at", "remote_updated_at"),
    ("remote_updated_at", "changed_at"),
    ("remote_created_at", "changed_at"),
    ("opened_at", "closed_at"),
    ("starting_at", "ending_at"),
    ("enrolled_at", "completed_at"),
    ("salary_amount_from", "salary_amount_to"),
)


def _chronology(entity: dict[str, Any]) -> None:
    get = entity.get
    for early, late in ORDERED_PAIRS:
        a = get(early)
        if a is None:
            continue
        b = get(late)
        if b is not None and type(a) is type(b) and a > b:
            entity[early], entity[late] = b, a


def _settle(entity: dict[str, Any], outcome: Outcome, schema: dict[str, Any]) -> None:
    """The fields a declared write sets together agree in a seeded record (:class:`Outcome`)."""
    if outcome.field not in entity:
        return
    fields = _object_properties(schema)
    if entity[outcome.field] != outcome.value:
        for name in outcome.others:
            if name in entity and allows_null(fields.get(name)):
                entity[name] = None
    else:
        for name in outcome.stamps:
            if name in entity and "changed_at" in entity:
                entity[name] = entity["changed_at"]


def _unique_names(collection: str, count: int) -> list[str] | None:
    pool = NAMES.get(collection)
    if not pool:
        return None
    return [pool[i] if i < len(pool) else f"{pool[i % len(pool)]} {i}" for i in range(count)]


def _non_null(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return schema
    t = schema.get("type")
    if isinstance(t, list) and "null" in t:
        rest = [x for x in t if x != "null"]
        return {**schema, "type": rest[0] if len(rest) == 1 else rest}
    for key in ("anyOf", "oneOf"):
        if key in schema:
            branches = [b for b in schema[key] if b.get("type") != "null"]
            if len(branches) == 1:
                return branches[0]
    return schema


def _object_properties(schema: Any) -> dict[str, Any]:
    schema = _non_null(schema)
    if not isinstance(schema, dict):
        return {}
    props = dict(schema.get("properties") or {})
    for part in schema.get("allOf", []):
        props.update(_object_properties(part))
    return props


def _object_required(schema: Any) -> list[str]:
    schema = _non_null(schema)
    if not isinstance(schema, dict):
        return []
    req = list(schema.get("required") or [])
    for part in schema.get("allOf", []):
        req += _object_required(part)
    return req


def _array_items(schema: Any) -> Any:
    schema = _non_null(schema)
    return schema.get("items", {}) if isinstance(schema, dict) else {}
