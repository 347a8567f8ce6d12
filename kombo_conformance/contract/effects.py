"""Write effects as contract data: the ``x-kombo-effects`` extension of a write operation.

What a write changes is declared on the operation itself, so that a new operation is
self-contained; ``read_after_write`` verifies the declaration and the sandbox applies it::

    x-kombo-effects:
      refs: [body.rejection_reason_id]           # must exist (else 400); binds `rejection_reason`
      changes:
        - {record: path.application_id, field: outcome, equals: DECLINED}
        - {record: path.application_id, field: rejection_reason_name,
           equals: rejection_reason.name}

The vocabulary (schemas/effects.schema.json; contracts/README.md, "Write effects"):

- ``refs``: body fields ``<x>_id`` / ``<x>_ids`` naming records that must exist, optionally
  ``among`` other records (``{ref: body.stage_id, among: application.job.stages}``).
- ``changes``: ``{record, field, equals|contains|lacks: value}`` changes a field of an
  existing record (``key`` compares list items by a property; ``setup`` is an operation
  read_after_write sends first); ``{creates: <read operation>, fields: {...}}`` adds a
  record (``as`` names it, ``each`` makes one per list element, ``replace`` replaces the
  collection, ``reuse`` takes an existing matching record instead).
- ``answers``: the response's ``data`` (a record name: a path record or an ``as`` name; or a
  template).

Names: every path parameter ``<x>_id`` names its record ``x``; refs and ``as`` add more.
Values (:func:`compile_value`): ``body.<dotted>``, ``path.<param>``, ``item.<dotted>`` and
``<name>.<dotted>`` are references, ``now()`` and ``new_id()`` functions, ``{literal: x}``,
``{first: [...]}`` and ``{each: ..., item: ...}`` operators; other values are literals,
objects and lists templates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from kombo_conformance.contract import pointer as pointers
from kombo_conformance.contract.model import Contract, Operation
from kombo_conformance.contract.profiles import has_field
from kombo_conformance.contract.records import list_operation_for, record_fields, records_of
from kombo_conformance.errors import ContractError

EXTENSION = "x-kombo-effects"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "effects.schema.json"
ROOTS = frozenset({"body", "path", "item"})
FUNCTIONS = {"now()": "now", "new_id()": "new_id"}
_REFERENCE = re.compile(r"^[a-z_][a-z0-9_]*(?:\.[A-Za-z0-9_-]+)*$")


class _Missing:
    """A reference to something the request did not send."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


# -- values ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Ref:
    root: str
    keys: tuple[str, ...] = ()

    def __str__(self) -> str:
        return ".".join((self.root, *self.keys))


@dataclass(frozen=True)
class Call:
    name: str  # now | new_id


@dataclass(frozen=True)
class Const:
    value: Any


@dataclass(frozen=True)
class First:
    options: tuple[Any, ...]


@dataclass(frozen=True)
class Each:
    over: Any
    item: Any


@dataclass(frozen=True)
class Obj:
    fields: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Seq:
    items: tuple[Any, ...]


Value = Ref | Call | Const | First | Each | Obj | Seq


def compile_value(raw: Any, names: Iterable[str] = ()) -> Value:
    """The value a declaration writes; ValueError naming an unknown reference."""
    known = ROOTS | set(names)
    if isinstance(raw, str):
        if raw in FUNCTIONS:
            return Call(FUNCTIONS[raw])
        if _REFERENCE.match(raw):
            root, *keys = raw.split(".")
            if root in known:
                return Ref(root, tuple(keys))
            if keys:
                raise ValueError(
                    f"{raw!r}: unknown name {root!r} (known: {', '.join(sorted(known))}; "
                    "write {literal: ...} for a literal string)"
                )
        return Const(raw)
    if isinstance(raw, list):
        return Seq(tuple(compile_value(v, known) for v in raw))
    if isinstance(raw, dict):
        if set(raw) == {"literal"}:
            return Const(raw["literal"])
        if set(raw) == {"first"} and isinstance(raw["first"], list):
            return First(tuple(compile_value(v, known) for v in raw["first"]))
        if "each" in raw and set(raw) <= {"each", "item"}:
            return Each(
                compile_value(raw["each"], known), compile_value(raw.get("item", "item"), known)
            )
        return Obj(tuple((str(k), compile_value(v, known)) for k, v in raw.items()))
    return Const(raw)


def refs_in(value: Value) -> list[Ref]:
    """Every reference a value reads."""
    if isinstance(value, Ref):
        return [value]
    if isinstance(value, First):
        return [r for v in value.options for r in refs_in(v)]
    if isinstance(value, Each):
        return [*refs_in(value.over), *(r for r in refs_in(value.item) if r.root != "item")]
    if isinstance(value, Obj):
        return [r for _, v in value.fields for r in refs_in(v)]
    if isinstance(value, Seq):
        return [r for v in value.items for r in refs_in(v)]
    return []


def text_of(value: Value) -> str:
    """A value as a declaration writes it (for messages)."""
    if isinstance(value, Ref):
        return str(value)
    if isinstance(value, Call):
        return f"{value.name}()"
    if isinstance(value, Const):
        return value.value if isinstance(value.value, str) else json.dumps(value.value)
    if isinstance(value, First):
        return "the first of [" + ", ".join(text_of(v) for v in value.options) + "]"
    if isinstance(value, Each):
        return f"{{each: {text_of(value.over)}, item: {text_of(value.item)}}}"
    if isinstance(value, Obj):
        return "{" + ", ".join(f"{k}: {text_of(v)}" for k, v in value.fields) + "}"
    return "[" + ", ".join(text_of(v) for v in value.items) + "]"


def dig(value: Any, keys: Iterable[str]) -> Any:
    """Follow keys into dicts; through a list, an index or every element. MISSING where a
    key is absent."""
    for key in keys:
        if value is MISSING or value is None:
            return MISSING
        if isinstance(value, list):
            if key.isdigit():
                value = value[int(key)] if int(key) < len(value) else MISSING
            else:
                value = [v for v in (dig(i, [key]) for i in value) if v is not MISSING]
        elif isinstance(value, dict):
            value = value.get(key, MISSING)
        else:
            return MISSING
    return value


Resolve = Callable[[Ref], Any]  # a reference's value, MISSING when absent
Functions = Callable[[str], Any]  # now() and new_id()


def evaluate(value: Value, resolve: Resolve, call: Functions) -> Any:
    """The value, references resolved; absent ones (MISSING) are left out of templates."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, Ref):
        return resolve(value)
    if isinstance(value, Call):
        return call(value.name)
    if isinstance(value, First):
        found = [evaluate(v, resolve, call) for v in value.options]
        present = [v for v in found if v is not MISSING]
        return next((v for v in present if v is not None), None if present else MISSING)
    if isinstance(value, Each):
        return _each(value, resolve, call)
    if isinstance(value, Obj):
        out = {k: evaluate(v, resolve, call) for k, v in value.fields}
        return {k: v for k, v in out.items() if v is not MISSING}
    out: list[Any] = []
    for item in value.items:
        found = evaluate(item, resolve, call)
        if isinstance(item, Each):
            out += found
        elif found is not MISSING:
            out.append(found)
    return out


def _each(value: Each, resolve: Resolve, call: Functions) -> list[Any]:
    over = evaluate(value.over, resolve, call)
    elements = [] if over is MISSING or over is None else over if isinstance(over, list) else [over]
    out = []
    for element in elements:

        def inner(ref: Ref, element: Any = element) -> Any:
            return dig(element, ref.keys) if ref.root == "item" else resolve(ref)

        found = evaluate(value.item, inner, call)
        if found is not MISSING:
            out.append(found)
    return out


# -- declarations ------------------------------------------------------------------------
@dataclass(frozen=True)
class Reference:
    """A body field naming a record that must exist (``refs``)."""

    ref: Ref
    name: str
    among: Ref | None
    read: str | None  # the list operation of its records, when the contract has one


@dataclass(frozen=True)
class Change:
    """A field of an existing record changes."""

    how: Literal["equals", "contains", "lacks"]
    record: Ref  # path.<x>_id, body.<...>_id, or a bound name
    name: str  # the record's name (x, or the bound name)
    read: str  # the list operation reading the record
    field: str
    value: Value
    key: str | None
    setup: str | None
    unchanged_warning: str | None
    pointer: str


@dataclass(frozen=True)
class Create:
    """New records join the records of a read operation."""

    read: str
    name: str | None
    fields: tuple[tuple[str, Value], ...]
    each: Value | None
    replace: bool
    reuse: tuple[tuple[str, Value], ...]
    unchanged_warning: str | None
    pointer: str


@dataclass(frozen=True)
class Effects:
    """The declared effects of one write operation."""

    operation: str
    refs: tuple[Reference, ...]
    changes: tuple[Change | Create, ...]
    answers: Value | None
    description: str | None
    source: str
    pointer: str

    @property
    def rule(self) -> str:
        """Where the declaration is, for a finding's rule (the operation is named apart)."""
        return f"{EXTENSION} in {Path(self.source).name}"


@cache
def effects_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def stem(name: str) -> str | None:
    """``application_id`` -> ``application``, ``interviewer_user_ids`` -> ``interviewer_user``."""
    for suffix in ("_ids", "_id"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return None


def path_names(op: Operation) -> dict[str, str]:
    """Record name -> path parameter (``application`` -> ``application_id``)."""
    return {stem(p) or p: p for p in op.conventions.path_parameters}


def load_effects(contract: Contract) -> dict[str, Effects]:
    """The declared effects of every operation carrying the extension; ContractError naming
    the file and pointer of the first bad declaration."""
    found: dict[str, Effects] = {}
    for key, op in contract.operations.items():
        if EXTENSION in op.definition:
            found[key] = _Loader(contract, op).load()
    return found


class _Loader:
    def __init__(self, contract: Contract, op: Operation) -> None:
        self.contract = contract
        self.op = op
        self.ptr = f"{op.pointer}/{EXTENSION}"
        self.source = str(contract.source_of(self.ptr) or op.source or "the contract")
        self.names: dict[str, str | None] = {}  # bound name -> the list operation of its records
        for name in path_names(op):
            self.names[name] = self._list_of(name)

    def fail(self, where: str, reason: str) -> ContractError:
        return ContractError(self.source, self.ptr + where, reason)

    def _list_of(self, name: str) -> str | None:
        found = list_operation_for(self.contract, name, self.op.use_case)
        return found.key if found else None

    def load(self) -> Effects:
        raw = self.op.definition[EXTENSION]
        _validate_format(raw, self.fail)
        if self.op.method == "GET":
            raise self.fail("", f"{EXTENSION} belongs on a write operation, not on a GET")
        refs = tuple(self._reference(r, f"/refs/{i}") for i, r in enumerate(raw.get("refs", [])))
        changes = tuple(
            self._create(c, f"/changes/{i}") if "creates" in c else self._change(c, f"/changes/{i}")
            for i, c in enumerate(raw["changes"])
        )
        answers = self._value(raw["answers"], "/answers") if "answers" in raw else None
        return Effects(
            self.op.key, refs, changes, answers, raw.get("description"), self.source, self.ptr
        )

    # -- parts ---------------------------------------------------------------------------
    def _bind(self, name: str, read: str | None, where: str) -> None:
        if name in self.names or name in ROOTS:
            raise self.fail(where, f"the name {name!r} is already bound")
        self.names[name] = read

    def _reference(self, raw: Any, where: str) -> Reference:
        text = raw if isinstance(raw, str) else raw["ref"]
        ref = self._ref(text, where if isinstance(raw, str) else f"{where}/ref")
        name = stem(ref.keys[-1]) or ref.keys[-1]
        among = None
        if isinstance(raw, dict) and "among" in raw:
            among = self._ref(raw["among"], f"{where}/among")
        read = self._list_of(name)
        self._bind(name, read, where)
        return Reference(ref, name, among, read)

    def _ref(self, text: str, where: str) -> Ref:
        value = self._value(text, where)
        if not isinstance(value, Ref):
            raise self.fail(where, f"{text!r} is not a reference")
        return value

    def _value(self, raw: Any, where: str, *, item: bool = False) -> Value:
        try:
            value = compile_value(raw, self.names)
        except ValueError as exc:
            raise self.fail(where, str(exc)) from None
        for ref in refs_in(value):
            self._check_ref(ref, where, item=item)
        return value

    def _check_ref(self, ref: Ref, where: str, *, item: bool) -> None:
        conv = self.op.conventions
        dotted = ".".join(ref.keys)
        if ref.root == "body" and dotted and not has_field(conv.request_schema or {}, dotted):
            raise self.fail(where, f"{ref}: the request body of {self.op.key} has no {dotted!r}")
        if ref.root == "path" and (len(ref.keys) != 1 or ref.keys[0] not in conv.path_parameters):
            params = ", ".join(conv.path_parameters) or "none"
            raise self.fail(where, f"{ref}: not a path parameter of {self.op.key} ({params})")
        if ref.root == "item" and not item:
            raise self.fail(where, f"{ref}: `item` only means something inside `each`")

    def _records(self, key: str, where: str, *, lists_only: bool) -> dict[str, Any]:
        op = self.contract.operations.get(key)
        found = records_of(op) if op is not None else None
        if found is None or (lists_only and not op.conventions.is_list):
            kind = "list operation" if lists_only else "read operation answering records"
            raise self.fail(where, f"{key!r} is not a {kind} of the contract")
        return record_fields(found[1])

    def _field(self, fields: dict[str, Any], name: str, read: str, where: str) -> None:
        if not has_field({"properties": fields}, name):
            raise self.fail(where, f"{name!r} is not a field of the records of {read}")

    def _change(self, raw: dict[str, Any], where: str) -> Change:
        record = self._ref(raw["record"], f"{where}/record")
        name, read = self._record(record, raw.get("read"), f"{where}/record")
        fields = self._records(read, f"{where}/read", lists_only=True)
        self._field(fields, raw["field"], read, f"{where}/field")
        how = next(h for h in ("equals", "contains", "lacks") if h in raw)
        key = raw.get("key")
        if key is not None and not has_field({"properties": fields}, f"{raw['field']}.{key}"):
            raise self.fail(f"{where}/key", f"the items of {raw['field']!r} have no {key!r}")
        setup = raw.get("setup")
        if setup is not None and setup not in self.contract.operations:
            raise self.fail(f"{where}/setup", f"{setup!r} is not an operation of the contract")
        return Change(
            how,
            record,
            name,
            read,
            raw["field"],
            self._value(raw[how], f"{where}/{how}"),
            key,
            setup,
            raw.get("unchanged_warning"),
            self.ptr + where,
        )

    def _record(self, record: Ref, read: str | None, where: str) -> tuple[str, str]:
        """(the record's name, its list operation)."""
        if record.root in ("path", "body"):
            name = stem(record.keys[-1]) if record.keys else None
            if name is None:
                raise self.fail(where, f"{record}: a record is named by an `<x>_id` field")
            default = self._list_of(name)
        elif record.root in self.names and not record.keys:
            name, default = record.root, self.names[record.root]
        else:
            raise self.fail(where, f"{record}: a record is path.<x>_id, body.<...>_id or a name")
        read = read or default
        if read is None:
            raise self.fail(where, f"no list operation reads {name!r} records: name one in `read`")
        return name, read

    def _create(self, raw: dict[str, Any], where: str) -> Create:
        read = raw["creates"]
        fields = self._records(read, f"{where}/creates", lists_only=False)
        each = self._value(raw["each"], f"{where}/each") if "each" in raw else None
        values = []
        for name, value in raw["fields"].items():
            self._field(fields, name, read, f"{where}/fields/{pointers.escape(name)}")
            values.append(
                (name, self._value(value, f"{where}/fields/{name}", item=each is not None))
            )
        reuse = []
        for dotted, value in (raw.get("reuse") or {}).items():
            self._field(fields, dotted.split(".")[0], read, f"{where}/reuse")
            reuse.append((dotted, self._value(value, f"{where}/reuse", item=each is not None)))
        if "as" in raw:
            self._bind(
                raw["as"],
                read if self.contract.operation(read).conventions.is_list else None,
                f"{where}/as",
            )
        return Create(
            read,
            raw.get("as"),
            tuple(values),
            each,
            bool(raw.get("replace", False)),
            tuple(reuse),
            raw.get("unchanged_warning"),
            self.ptr + where,
        )


def _validate_format(raw: Any, fail: Callable[[str, str], ContractError]) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(effects_schema()).iter_errors(raw))
    if error is not None:
        where = pointers.join(*error.absolute_path)
        raise fail(where, f"{EXTENSION}: {error.message}")
