"""The sandbox carries out the write effects the contract declares (``x-kombo-effects``).

One generic pass per write (:func:`apply`): the ``refs`` must name live records (400
otherwise), then each change is applied to the store in order, then the answer is built.
How a declared change meets the store:

- a field that is a relation stored as ids (a candidate's ``tags``: ``_tag_ids``) holds
  records: ``contains`` finds the record whose ``key`` has the value, or creates it, and
  adds its id; ``lacks`` removes such ids; ``equals`` sets the ids;
- a field that lists the records pointing back (a job's ``applications``) gains or loses
  such records;
- any other field is stored as given, fitted to its schema (unknown object keys dropped,
  ``date-time`` values written in Kombo's form; an unreadable one is a 400);
- a created record gets a new ``id`` and the bookkeeping fields its schema has
  (``remote_id``, ``changed_at``, ``remote_created_at``, ``remote_updated_at``, and the
  deletion marker, null); a changed one a new ``changed_at`` and ``remote_updated_at``, and
  so do the records that list it (an application's candidate).

Connector quirks read here, generically: ``fallback`` (the operation is carried out as the
``fallback_operation``, its path ids taken from the addressed records, plus ``warning``)
and ``refuse-stage`` (a write naming a record called ``stage_name`` is refused with
``error_code``). The fault step ``effect`` makes a write answer as if done and keep nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kombo_conformance.contract.effects import (
    MISSING,
    Change,
    Create,
    Effects,
    Ref,
    dig,
    evaluate,
)
from kombo_conformance.contract.filter_names import singular
from kombo_conformance.contract.records import record_fields
from kombo_conformance.sandbox.data import isoformat, now_iso
from kombo_conformance.sandbox.envelopes import SandboxError
from kombo_conformance.sandbox.filters import parse_instant
from kombo_conformance.sandbox.reads import collection_name
from kombo_conformance.sandbox.store import Dataset
from kombo_conformance.sandbox.validation import invalid

if TYPE_CHECKING:
    from kombo_conformance.sandbox.actions import ActionContext

STAMPS = ("changed_at", "remote_updated_at")
CREATED_STAMPS = ("changed_at", "remote_created_at", "remote_updated_at")


@dataclass(frozen=True, eq=False)
class Rec:
    """A stored record: its collection and entity."""

    collection: str
    entity: dict[str, Any]


@dataclass
class _Write:
    ctx: ActionContext
    effects: Effects
    names: dict[str, Any]  # name -> Rec, list of Rec, or None
    skip: bool  # the `effect` fault step: answer, keep nothing
    warnings: list[str] = field(default_factory=list)

    @property
    def dataset(self) -> Dataset:
        return self.ctx.dataset

    def resolve(self, ref: Ref) -> Any:
        if ref.root == "body":
            return dig(self.ctx.body, ref.keys)
        if ref.root == "path":
            return self.ctx.params.get(ref.keys[0], MISSING)
        return walk(self.dataset, self.names.get(ref.root, MISSING), ref.keys)

    def value(self, declared: Any, item: Any = MISSING) -> Any:
        def resolve(ref: Ref) -> Any:
            found = dig(item, ref.keys) if ref.root == "item" else self.resolve(ref)
            return plain(found)

        return evaluate(declared, resolve, self.call)

    def call(self, name: str) -> Any:
        return now_iso() if name == "now" else self.dataset.new_id()


def walk(dataset: Dataset, node: Any, keys: tuple[str, ...]) -> Any:
    """Follow keys from a record through its fields and relations (``job.stages.0.id``)."""
    for key in keys:
        if node is MISSING or node is None:
            return MISSING
        if isinstance(node, Rec):
            node = _field(dataset, node, key)
        elif isinstance(node, list):
            node = (
                (node[int(key)] if int(key) < len(node) else MISSING)
                if key.isdigit()
                else [walk(dataset, n, (key,)) for n in node]
            )
        else:
            node = dig(node, [key])
    return node


def _field(dataset: Dataset, record: Rec, key: str) -> Any:
    is_relation, related = dataset.related(record.collection, record.entity, key)
    if is_relation:
        if isinstance(related, list):
            return [Rec(c, e) for c, e in related]
        return Rec(*related) if related is not None else None
    if key in record.entity:
        return record.entity[key]
    schema = dataset.collections[record.collection].schema
    return dataset.view(record.collection, record.entity, schema).get(key, MISSING)


def plain(value: Any) -> Any:
    """A value as a template holds it: a record is its id."""
    if isinstance(value, Rec):
        return value.entity.get("id")
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def ids_of(value: Any) -> list[Any]:
    """The ids a value names (records, objects with an ``id``, ids), in order, once each."""
    items = value if isinstance(value, list) else [value]
    found = [i.get("id") if isinstance(i, dict) else plain(i) for i in items]
    return [i for i in dict.fromkeys(found) if i is not None and i is not MISSING]


# -- the write ---------------------------------------------------------------------------
def apply(ctx: ActionContext, effects: Effects) -> tuple[Any, list[str]]:
    """Carry out a write as declared: (the answer's data, warnings)."""
    for quirk in ctx.personality.quirks(ctx.operation.key, "fallback"):
        fallback = ctx.fallback(quirk.options["fallback_operation"])
        if fallback is not None:
            data, warnings = apply(fallback, fallback.contract.effects[fallback.operation.key])
            return data, [*warnings, quirk.options["warning"]]
    write = _Write(
        ctx,
        effects,
        {name: Rec(*pair) for name, pair in ctx.targets.items()},
        ctx.faults.skips("effect", ctx.operation.key),
    )
    for ref in effects.refs:
        write.names[ref.name] = _reference(write, ref)
    _refuse_named(write)
    for change in effects.changes:
        if isinstance(change, Create):
            _create(write, change)
        else:
            _change(write, change)
    if not write.skip:
        write.dataset.touch()
    return _answer(write), write.warnings


def _reference(write: _Write, ref: Any) -> Any:
    """The record(s) a ``refs`` entry names; 400 when one does not exist."""
    given = write.resolve(ref.ref)
    if given is MISSING or given is None:
        return MISSING
    coll = write.dataset.collection_for(write.ctx.operation.use_case, ref.name)
    found = []
    for ident in given if isinstance(given, list) else [given]:
        entity = write.dataset.live(coll, ident)
        if entity is None:
            raise invalid(f"{ref.ref}: no {ref.name.replace('_', ' ')} with id {ident!r}")
        if ref.among is not None and ident not in ids_of(write.resolve(ref.among)):
            raise invalid(f"{ref.ref}: {ident!r} is not one of {ref.among}")
        found.append(Rec(coll, entity))
    return found if isinstance(given, list) else found[0]


def _refuse_named(write: _Write) -> None:
    """Quirk ``refuse-stage``: the connector refuses a write whose body names a record
    called ``stage_name``."""
    named = [write.names.get(r.name) for r in write.effects.refs]
    records = [r for v in named for r in (v if isinstance(v, list) else [v])]
    for quirk in write.ctx.personality.quirks(write.ctx.operation.key, "refuse-stage"):
        wanted = str(quirk.options["stage_name"]).casefold()
        for record in records:
            if isinstance(record, Rec) and str(record.entity.get("name")).casefold() == wanted:
                raise SandboxError(400, quirk.options["error_code"], quirk.description)


def _record(write: _Write, change: Change) -> Rec:
    if change.record.root in ("path", "body"):
        ident = write.resolve(change.record)
        name = change.name
        found = write.names.get(name)
        if isinstance(found, Rec) and found.entity.get("id") == ident:
            return found
        op = write.ctx.contract.operation(change.read)
        coll = collection_name(op)
        entity = write.dataset.live(coll, ident)
        if entity is None:
            raise invalid(f"{change.record}: no {name.replace('_', ' ')} with id {ident!r}")
        return Rec(coll, entity)
    found = write.names.get(change.record.root)
    assert isinstance(found, Rec), change.record
    return found


def _change(write: _Write, change: Change) -> None:
    value = write.value(change.value)
    if value is MISSING:
        return  # the body did not say: nothing to change
    record = _record(write, change)
    changed = _set(write, record, change, value)
    if not changed and change.unchanged_warning:
        write.warnings.append(change.unchanged_warning.format(value=value))
    if changed and not write.skip:
        _touch(write.dataset, record)


def _set(write: _Write, record: Rec, change: Change, value: Any) -> bool:
    """Apply one change to a record; whether it changed anything (nothing stored on skip)."""
    ds, entity = write.dataset, record.entity
    kind, target = ds.relation(record.collection, change.field)
    if kind == "ids":
        key = f"_{singular(change.field)}_ids"
        before = list(entity.get(key) or [])
        after = _ids_after(write, target, before, change, value)
        if after != before and not write.skip:
            entity[key] = after
        return after != before
    if kind == "reverse":
        return _reverse(write, record, target, change, value)
    schema = record_fields(ds.collections[record.collection].schema)
    top, *rest = change.field.split(".")
    current = dig(entity, change.field.split("."))
    if change.how == "equals":
        new = fit(value, _schema_at(schema.get(top), rest), change.field)
        if new == current:
            return False
        if not write.skip:
            _put(entity, change.field.split("."), new)
        return True
    items = list(current) if isinstance(current, list) else []
    wanted = _key(value, change.key)
    match = [i for i in items if _key(i, change.key) == wanted]
    if (change.how == "contains") == bool(match):
        return False
    if change.how == "contains":
        items.append({change.key: value} if change.key and not isinstance(value, dict) else value)
    else:
        items = [i for i in items if _key(i, change.key) != wanted]
    if not write.skip:
        _put(entity, change.field.split("."), items)
    return True


def _key(item: Any, key: str | None) -> Any:
    return item.get(key) if key and isinstance(item, dict) else item


def _ids_after(
    write: _Write, target: str, before: list[str], change: Change, value: Any
) -> list[str]:
    ds, key = write.dataset, change.key or "id"
    pool = ds.pool(target)

    def matching(wanted: Any) -> list[str]:
        return [i for i in before if (pool.get(i) or {}).get(key) == wanted]

    if change.how == "lacks":
        gone = set(matching(_key(value, key)))
        return [i for i in before if i not in gone]
    wanted = value if change.how == "equals" and isinstance(value, list) else [value]
    ids = [_find_or_create(write, target, key, w) for w in wanted]
    if change.how == "equals":
        return list(dict.fromkeys(ids))
    return before if ids[0] in before else [*before, ids[0]]


def _find_or_create(write: _Write, target: str, key: str, value: Any) -> str:
    """The id of the record of target whose ``key`` is the value's (created if none)."""
    ds, wanted = write.dataset, _key(value, key)
    if key == "id":
        if ds.get(target, wanted) is None:
            raise invalid(f"body: no {target} record with id {wanted!r}")
        return str(wanted)
    found = next((e for e in ds.records(target) if e.get(key) == wanted), None)
    if found is None:
        found = _insert(write, target, value if isinstance(value, dict) else {key: value})
    return found["id"]


def _reverse(write: _Write, record: Rec, target: str, change: Change, value: Any) -> bool:
    ds = write.dataset
    back = f"{ds.collections[record.collection].stem}_id"
    key = change.key or "id"
    wanted = _key(value, key)
    owned = [e for e in ds.records(target) if e.get(back) == record.entity["id"]]
    match = [e for e in owned if e.get(key) == wanted and not ds.is_deleted(target, e)]
    if change.how == "equals" or (change.how == "contains") == bool(match):
        return False  # nothing to do (`equals` on records pointing back: not supported)
    if write.skip:
        return True
    if change.how == "contains":
        given = value if isinstance(value, dict) else {key: value}
        _insert(write, target, {**given, back: record.entity["id"]})
    else:
        for entity in match:
            ds.remove(target, entity["id"])
    return True


def _create(write: _Write, create: Create) -> None:
    ds = write.dataset
    coll = collection_name(write.ctx.contract.operation(create.read))
    if create.each is None:
        elements: list[Any] = [MISSING]
    else:
        over = write.value(create.each)
        elements = [] if over in (MISSING, None) else over if isinstance(over, list) else [over]
    if create.replace and not write.skip:
        ds.clear(coll)
    made = []
    for element in elements:
        reused = _reused(write, coll, create, element)
        if reused is not None:
            if create.unchanged_warning:
                write.warnings.append(create.unchanged_warning)
            made.append(reused)
            continue
        given = {name: write.value(value, element) for name, value in create.fields}
        entity = _insert(write, coll, {k: v for k, v in given.items() if v is not MISSING})
        made.append(Rec(coll, entity))
    if create.name:
        write.names[create.name] = made[0] if create.each is None else made


def _reused(write: _Write, coll: str, create: Create, element: Any) -> Rec | None:
    if not create.reuse:
        return None
    wanted = [(d.split("."), write.value(v, element)) for d, v in create.reuse]
    for entity in write.dataset.records(coll):
        if write.dataset.is_deleted(coll, entity):
            continue
        record = Rec(coll, entity)
        if all(_holds(walk(write.dataset, record, tuple(keys)), w) for keys, w in wanted):
            return record
    return None


def _holds(found: Any, wanted: Any) -> bool:
    return wanted in found if isinstance(found, list) else found == wanted


def _insert(write: _Write, coll: str, given: dict[str, Any]) -> dict[str, Any]:
    """Store a new record of coll (nothing on the ``effect`` fault step); the objects given
    for a field listing the records that point back (a course's ``revisions``) become such
    records."""
    ds = write.dataset
    subs = {n: v for n, v in given.items() if ds.relation(coll, n)[0] == "reverse"}
    entity = _new_entity(write, coll, {n: v for n, v in given.items() if n not in subs})
    if write.skip:
        return entity
    ds.insert(coll, entity)
    back = f"{ds.collections[coll].stem}_id"
    for name, items in subs.items():
        target = ds.relation(coll, name)[1]
        assert target is not None
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict):
                _insert(write, target, {**item, back: entity["id"]})
    return entity


def _new_entity(write: _Write, coll: str, given: dict[str, Any]) -> dict[str, Any]:
    """A new record of coll: bookkeeping fields, then the given ones fitted to the schema
    (relations stored as the store keeps them)."""
    ds = write.dataset
    fields = record_fields(ds.collections[coll].schema)
    stamp = now_iso()
    entity: dict[str, Any] = {"id": ds.new_id()}
    if "remote_id" in fields:
        entity["remote_id"] = ds.new_id()[:10]
    entity |= {name: stamp for name in CREATED_STAMPS if name in fields}
    marker = ds.collections[coll].deleted
    if marker in fields:
        entity[marker] = None
    for name, value in given.items():
        if ds.relation(coll, name)[0] == "ids":
            entity[f"_{singular(name)}_ids"] = ids_of(value)
        else:
            entity[name] = fit(value, fields.get(name), name)
    return entity


def _answer(write: _Write) -> Any:
    from kombo_conformance.sandbox.actions import default_data

    declared = write.effects.answers
    if isinstance(declared, Ref) and not declared.keys and declared.root in write.names:
        found = write.names[declared.root]
        if isinstance(found, Rec):
            return found.collection, found.entity
    if declared is None:
        return default_data(write.ctx)
    schema = (write.ctx.operation.conventions.success_schema or {}).get("properties", {})
    return fit(write.value(declared), schema.get("data"), "data")


# -- storing values ----------------------------------------------------------------------
def _touch(dataset: Dataset, record: Rec) -> None:
    """A changed record, and the records listing it, get new change stamps."""
    stamp = now_iso()
    entities = [record.entity]
    stem = dataset.collections[record.collection].stem
    use_case = dataset.collections[record.collection].use_case
    for key, value in record.entity.items():
        if key.endswith("_id") and isinstance(value, str) and key != "remote_id":
            coll = dataset.collection_for(use_case, key[:-3])
            lists = coll and any(
                singular(p).replace("-", "_") == stem
                for p in record_fields(dataset.collections[coll].schema)
            )
            if lists and (parent := dataset.get(coll, value)) is not None:
                entities.append(parent)
    for entity in entities:
        for name in STAMPS:
            if name in entity:
                entity[name] = stamp


def _put(entity: dict[str, Any], keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        if not isinstance(entity.get(key), dict):
            entity[key] = {}
        entity = entity[key]
    entity[keys[-1]] = value


def _branches(schema: Any) -> list[dict[str, Any]]:
    if not isinstance(schema, dict):
        return []
    found = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key) or []:
            found += _branches(part)
    return found


def _schema_at(schema: Any, keys: list[str]) -> Any:
    for key in keys:
        schema = next(
            (b["properties"][key] for b in _branches(schema) if key in (b.get("properties") or {})),
            None,
        )
    return schema


def fit(value: Any, schema: Any, where: str) -> Any:
    """A value as the schema stores it: object keys it does not know dropped, date-times in
    Kombo's form (400 when unreadable)."""
    branches = _branches(schema)
    if isinstance(value, str) and any(b.get("format") == "date-time" for b in branches):
        try:
            return isoformat(parse_instant(value))
        except ValueError:
            raise invalid(f"{where}: {value!r} is not an ISO 8601 date-time") from None
    if isinstance(value, dict):
        props: dict[str, Any] = {}
        for b in branches:
            props.update(b.get("properties") or {})
        if not props:
            return value
        return {k: fit(v, props[k], f"{where}.{k}") for k, v in value.items() if k in props}
    if isinstance(value, list):
        items = next((b["items"] for b in branches if isinstance(b.get("items"), dict)), None)
        return [fit(v, items, where) for v in value]
    return value
