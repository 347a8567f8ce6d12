"""Prose rules in request bodies: where each declared rule applies, whether a body honours
it, and a body that breaks it (and no other rule).

The rules are data (``contracts/errata.yaml``, rule ``prose-rule``; see errata.py): an object
matching ``when`` must match ``then``. They apply to the object schema at ``pointer``, or to
every object schema having all of ``match.properties``. This module finds those places in
one operation's request body (:func:`sites`) and judges or changes bodies there; the
sandbox validates with it, ``negative_bodies``/``edge_bodies`` build their prose mutations
with it and the strategies generate rule-breaking bodies with it. Nothing here knows a
field name: everything comes from the declarations.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator

from kombo_conformance.contract import pointer

if TYPE_CHECKING:
    from kombo_conformance.contract.errata import Errata, Erratum
    from kombo_conformance.contract.model import Contract, Operation

Path = tuple[str, ...]  # object keys; ITEMS steps into every item of an array
ITEMS = "*"
#: ``fill(name, schema)``: a value for property ``name`` valid against ``schema``, or NOTHING.
Fill = Callable[[str, dict[str, Any]], Any]
NOTHING: Any = object()
#: Values tried, in order, where a value must break a constraint but keep its property's schema.
BREAKERS: tuple[Any, ...] = ("not valid!", "!", "", 0, -1, 0.5, True, None, [], {})


@dataclass(frozen=True)
class Site:
    """A prose rule and the place in a request body where it applies."""

    rule: Erratum
    path: Path
    schema: dict[str, Any]  # the (resolved) object schema there

    def property_schema(self, name: str) -> dict[str, Any]:
        return ((self.schema.get("properties") or {}).get(name)) or {}


@dataclass(frozen=True)
class Violation:
    site: Site
    where: Path  # the concrete place: array items by index

    @property
    def message(self) -> str:
        place = "/".join(("body", *self.where))
        rule = self.site.rule
        return f"{place}: breaks prose rule {rule.id}: '{rule.sentence}'"


@lru_cache(maxsize=256)
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(
        json.loads(schema_json), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def validator_for(schema: Any) -> Draft202012Validator:
    """A (cached) JSON Schema 2020-12 validator asserting formats."""
    return _validator(json.dumps(schema, sort_keys=True))


def valid(schema: Any, value: Any) -> bool:
    """``value`` against a JSON Schema (2020-12, formats asserted)."""
    return validator_for(schema).is_valid(value)


def _nodes(schema: Any, path: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
    if not isinstance(schema, dict):
        return
    yield path, schema
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key) or []:
            yield from _nodes(branch, path)
    for name, sub in (schema.get("properties") or {}).items():
        yield from _nodes(sub, (*path, name))
    if isinstance(schema.get("items"), dict):
        yield from _nodes(schema["items"], (*path, ITEMS))


def _target(contract: Contract, rule: Erratum) -> Any:
    try:
        return contract.resolve(pointer.resolve(contract.document, pointer.split(rule.pointer)))
    except (KeyError, IndexError, TypeError):
        return None  # a contract without that schema (a user's subset)


def sites_in(schema: Any, errata: Errata, targets: dict[str, Any]) -> list[Site]:
    """The prose rules applying inside a resolved request schema; ``targets`` maps a rule
    id to the resolved schema at its ``pointer``."""
    found: dict[tuple[str, Path], Site] = {}
    for path, node in _nodes(schema):
        props = node.get("properties")
        if not isinstance(props, dict):
            continue
        for rule in errata.prose_rules():
            at_pointer = rule.pointer is not None and targets.get(rule.id) == node
            matched = bool(rule.match) and set(rule.match) <= set(props)
            if at_pointer or matched:
                found.setdefault((rule.id, path), Site(rule, path, node))
    return list(found.values())


def sites(contract: Contract, operation: Operation) -> list[Site]:
    """Where the contract's prose rules apply in the operation's request body (found once
    per contract, :attr:`Contract.prose_sites`)."""
    return contract.prose_sites[operation.key]


def find_sites(contract: Contract) -> dict[str, list[Site]]:
    """:func:`sites` of every operation of the contract, by operation key."""
    errata = contract.errata
    targets = {r.id: _target(contract, r) for r in errata.prose_rules() if r.pointer}
    found: dict[str, list[Site]] = {}
    for key, op in contract.operations.items():
        schema = op.conventions.request_schema
        found[key] = sites_in(schema, errata, targets) if schema is not None else []
    return found


def instances(value: Any, path: Path, at: Path = ()) -> Iterator[tuple[Path, Any]]:
    """The values at ``path`` in a body, with their concrete places."""
    if not path:
        yield at, value
        return
    head, rest = path[0], path[1:]
    if head == ITEMS:
        for index, item in enumerate(value if isinstance(value, list) else []):
            yield from instances(item, rest, (*at, str(index)))
    elif isinstance(value, dict) and head in value:
        yield from instances(value[head], rest, (*at, head))


def applies(rule: Erratum, value: Any) -> bool:
    """``value`` is an object the rule speaks of (it matches ``when``)."""
    return isinstance(value, dict) and (rule.when is None or valid(rule.when, value))


def holds(rule: Erratum, value: Any) -> bool:
    """The rule does not apply to ``value``, or ``value`` matches its ``then``."""
    return not applies(rule, value) or valid(rule.then, value)


def violations(found: list[Site], body: Any) -> list[Violation]:
    """Every place where ``body`` breaks one of the rules at ``found``."""
    return [
        Violation(site, where)
        for site in found
        for where, value in instances(body, site.path)
        if not holds(site.rule, value)
    ]


def _enums(schema: Any) -> list[Any]:
    """Values an ``enum``/``const`` offers, in ``schema`` or its ``allOf`` parts."""
    if not isinstance(schema, dict):
        return []
    own = list(schema.get("enum") or []) + ([schema["const"]] if "const" in schema else [])
    return own + [v for part in schema.get("allOf") or [] for v in _enums(part)]


def _constraints(found: list[Site], site: Site, name: str) -> list[Any]:
    """What the unconditional rules at ``site``'s place ask of property ``name``."""
    return [
        s.rule.then["properties"][name]
        for s in found
        if s.path == site.path
        and s.rule.when is None
        and name in ((s.rule.then or {}).get("properties") or {})
    ]


def make_match(
    schema: Any, obj: dict[str, Any], site: Site, fill: Fill, found: list[Site] = ()
) -> bool:
    """Change ``obj`` so that it matches ``schema`` (required properties, property
    constraints), with values the rules at ``found`` accept too; False when it cannot."""
    if schema is None or valid(schema, obj):
        return True
    props = schema.get("properties") or {}
    for name in [*schema.get("required", []), *(p for p in props if p in obj)]:
        sub = props.get(name, {})
        if name in obj and valid(sub, obj[name]):
            continue
        combined = {"allOf": [site.property_schema(name), sub, *_constraints(found, site, name)]}
        value = next((v for v in _enums(sub) if valid(combined, v)), NOTHING)
        value = fill(name, combined) if value is NOTHING else value
        if value is NOTHING:
            return False
        obj[name] = value
    return valid(schema, obj)


def _variants(schema: dict[str, Any], obj: dict[str, Any], site: Site) -> Iterator[dict[str, Any]]:
    """Copies of ``obj`` that may no longer match ``schema``: without one of its required
    properties, with every ``anyOf`` branch broken, or with a constrained property set to a
    value its own schema accepts but the constraint refuses."""
    for name in (n for n in schema.get("required", []) if n in obj):
        yield {k: v for k, v in obj.items() if k != name}
    options = schema.get("anyOf") or []
    if options:
        out = obj
        for branch in options:
            out = next((v for v in _variants(branch, out, site) if not valid(branch, v)), out)
        yield out
    for name, sub in (schema.get("properties") or {}).items():
        own = site.property_schema(name)
        for value in (v for v in BREAKERS if valid(own, v) and not valid(sub, v)):
            yield {**obj, name: value}


def breaking(site: Site, obj: Any, fill: Fill, found: list[Site] = ()) -> dict[str, Any] | None:
    """A copy of ``obj`` that its place's schema still accepts, that the rule applies to and
    that breaks it, or None; values it adds honour the other rules at ``found``."""
    if not isinstance(obj, dict):
        return None
    matched = copy.deepcopy(obj)
    rule = site.rule
    if not make_match(rule.when, matched, site, fill, found) or rule.then is None:
        return None
    return next(
        (
            out
            for out in _variants(rule.then, matched, site)
            if applies(rule, out) and not holds(rule, out) and valid(site.schema, out)
        ),
        None,
    )


def alternatives(
    site: Site, obj: Any, fill: Fill, found: list[Site] = ()
) -> list[tuple[str, dict[str, Any]]]:
    """For a rule offering a choice (``then.anyOf``): ``obj`` changed to take each branch
    it does not take yet, alone; ``(branch label, object)`` pairs."""
    if not isinstance(obj, dict) or not applies(site.rule, obj):
        return []
    found = []
    options = (site.rule.then or {}).get("anyOf") or []
    for branch in options:
        if valid(branch, obj):
            continue
        out = copy.deepcopy(obj)
        others = {n for b in options if b is not branch for n in b.get("required", [])}
        for name in others - set(branch.get("required", [])):
            out.pop(name, None)
        if make_match(branch, out, site, fill, found):
            found.append(("+".join(branch.get("required", [])) or "branch", out))
    return found


def satisfied(found: list[Site], path: Path, obj: Any) -> bool:
    """Every rule at ``path`` holds for ``obj``."""
    return all(holds(s.rule, obj) for s in found if s.path == path)


def put(body: Any, path: Path, value: Any) -> Any | None:
    """A copy of body with value at path (objects created as needed), None if unreachable.
    ``*`` is the first item of an array, a digit string the item at that index; the empty
    path is the body itself."""
    if not path:
        return copy.deepcopy(value)
    out = copy.deepcopy(body) if body is not None else {}
    node = out
    for i, key in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, list):
            index = 0 if key == ITEMS else int(key) if key.isdigit() else -1
            if not 0 <= index < len(node):
                return None
            if last:
                node[index] = value
            node = node[index]
            continue
        if not isinstance(node, dict):
            return None
        if last:
            node[key] = value
        else:
            node = node.setdefault(key, {} if path[i + 1] != ITEMS else [])
    return out


def first_instance(body: Any, path: Path) -> tuple[Path, Any] | None:
    return next(instances(body, path), None)


def lock_of(errata: Errata, operation: Operation) -> Erratum | None:
    """The lock rule on a field the operation sets, if any (the first declared)."""
    return next(iter(errata.locks(operation.key)), None)


def locked(rule: Erratum, current: Any, requested: Any) -> bool:
    """The lock forbids changing ``current`` to ``requested``."""
    assert rule.lock is not None
    return current not in rule.lock.open and requested != current
