"""Connector profiles from coverage declarations: a target's grids (``GET
/tools/{category}``, ``profiles pull``) and one integration's declaration (``GET
/integrations/{integration_id}``: the profile a run learns, :func:`declared_profile`).

A declaration names datapoints; the contract's vocabulary (:mod:`.datapoints`) says which
operations each stands for. From one tool's declaration (:func:`pulled_from`):

- **operations**: those of its available datapoints;
- **models/actions**: one entry per available datapoint whose fields make a claim (any
  status but ``UNKNOWN``): its fields declared delivered, under ``fields`` where the
  contract has them, else under ``not_in_contract`` (with the existing profile's reason, or
  a new one).

:func:`merge` lays that over the existing profile: only what the declaration speaks of (the
operations, models and actions of the datapoints it lists) is replaced; what it cannot
express (operations no datapoint it lists names, e.g. ``GET /ats/actions/...`` or other use
cases, ``quirks``, ``notes``, ``sources``, comments at the top of the file) is kept.
:func:`changes` lists what a merge changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kombo_conformance.contract.datapoints import (
    SECTIONS,
    Datapoint,
    datapoints,
    entry_fields,
    in_contract,
    profile_entry,
)
from kombo_conformance.contract.declaration import (
    SUPPORTED,
    UNKNOWN,
    Declaration,
    DeclaredItem,
    parse_grid,
)
from kombo_conformance.contract.loader import profile_context
from kombo_conformance.contract.model import Contract
from kombo_conformance.contract.profiles import ConnectorProfile, profile_from_raw

KEPT = ("quirks", "notes", "sources")  # what a profile has that a grid cannot express


@dataclass
class PulledTool:
    """One tool's declaration, in profile terms, for the categories pulled."""

    slug: str
    name: str
    categories: set[str]
    operations: set[str] = field(default_factory=set)
    listed: dict[str, Datapoint] = field(default_factory=dict)  # every datapoint it lists
    entries: dict[str, dict[str, tuple[Datapoint, list[str]]]] = field(
        default_factory=lambda: {"models": {}, "actions": {}}
    )  # section -> datapoint id -> (datapoint, field ids declared delivered)
    unknown: list[str] = field(default_factory=list)  # datapoint ids not in the vocabulary
    features: list[str] = field(default_factory=list)  # declared SUPPORTED features


def pulled_from(
    slug: str, name: str, categories: set[str], items: Iterable[DeclaredItem]
) -> PulledTool:
    """A tool's declared items (of ``categories``) in profile terms."""
    pulled = PulledTool(slug, name, set(categories))
    for item in items:
        point = item.point
        if point is None or point.category not in categories:
            pulled.unknown.append(item.id)
            continue
        pulled.listed[point.id] = point
        if not item.is_available:
            continue
        pulled.operations.update(point.operations)
        if any(f.coverage_status != UNKNOWN for f in item.fields):
            delivered = [f.id for f in item.fields if f.claims_filled]
            pulled.entries[item.section][point.id] = (point, delivered)
    return pulled


def read_tools(contract: Contract, category: str, body: dict[str, Any]) -> list[PulledTool]:
    """The tools of one ``GET /tools/{category}`` answer (already checked against the
    contract's schema)."""
    tools = []
    for i, tool in enumerate(body["data"]["tools"]):
        coverage = tool["coverage"]
        where = f"/data/tools/{i}/coverage"
        items = parse_grid(coverage, where, contract, availability=False)
        pulled = pulled_from(tool["id"], tool["label"], {category}, items)
        pulled.features = [
            f["label"] for f in coverage["features"] if f["coverage_status"] == SUPPORTED
        ]
        tools.append(pulled)
    return tools


def combine(tools: Iterable[PulledTool]) -> dict[str, PulledTool]:
    """One :class:`PulledTool` per slug across the categories pulled."""
    out: dict[str, PulledTool] = {}
    for tool in tools:
        have = out.get(tool.slug)
        if have is None:
            out[tool.slug] = tool
            continue
        have.categories |= tool.categories
        have.operations |= tool.operations
        have.listed |= tool.listed
        for section in have.entries:
            have.entries[section].update(tool.entries[section])
        have.unknown += tool.unknown
        have.features += [f for f in tool.features if f not in have.features]
    return out


def _entry(
    contract: Contract, point: Datapoint, supported: list[str], old: dict[str, Any] | None
) -> dict[str, Any]:
    old = old or {}
    reasons = old.get("not_in_contract") or {}
    fields = [n for n in supported if in_contract(contract, point, n)]
    outside = [n for n in supported if n not in fields]
    entry: dict[str, Any] = {"operation": point.operations[0]}
    if point.items:
        entry["items"] = point.items
    entry["fields"] = _keep_order(old.get("fields") or [], fields)
    if outside:
        entry["not_in_contract"] = {
            n: reasons.get(n)
            or f"Declared SUPPORTED by the target's coverage grid ({point.id}); the contract's "
            f"{'request body' if point.kind == 'write_action' else 'records'} of "
            f"{point.operations[0]} have no such field."
            for n in _keep_order(list(reasons), outside)
        }
    for extra in ("note",):
        if extra in old:
            entry[extra] = old[extra]
    return entry


def _keep_order(old: list[str], new: list[str]) -> list[str]:
    """``new``'s items, those already in ``old`` first and in its order (small diffs)."""
    return [n for n in old if n in new] + [n for n in new if n not in old]


def merge(
    contract: Contract, pulled: PulledTool, old: dict[str, Any] | None, sources: list[str]
) -> dict[str, Any]:
    """The profile file's data after the pull (``old``: the existing file's, or None;
    ``sources``: where the grids came from, added to the profile's ``sources``)."""
    old = old or {}
    pulled_ops = {op for p in pulled.listed.values() for op in p.operations}
    use_cases = list(dict.fromkeys([*(old.get("use_cases") or []), *sorted(pulled.categories)]))
    everything = [k for k, op in contract.operations.items() if op.use_case in use_cases]
    old_ops = old.get("operations") or []
    if old_ops == "all":
        old_ops = everything
    wanted = {k for k in old_ops if k not in pulled_ops} | pulled.operations
    operations: Any = _keep_order(old_ops, [k for k in contract.operations if k in wanted])
    if old.get("operations") == "all" and operations == everything:
        operations = "all"
    raw: dict[str, Any] = {"slug": pulled.slug, "name": pulled.name, "use_cases": use_cases}
    raw["sources"] = list(dict.fromkeys([*(old.get("sources") or []), *sources]))
    raw["operations"] = operations
    points = {p.id: p for p in datapoints(contract)}
    for kind, section in SECTIONS.items():
        mine = {p.id for p in pulled.listed.values() if p.kind == kind}
        entries: dict[str, Any] = {}
        for key, entry in (old.get(section) or {}).items():
            owner = next(
                (p for p in points.values() if p.kind == kind and profile_entry({key: entry}, p)),
                None,
            )
            if owner is None or owner.id not in mine:
                entries[key] = entry  # another use case's, or not expressible: kept
        for point, supported in pulled.entries[section].values():
            previous = profile_entry(old.get(section) or {}, point)
            key = next(
                (k for k, e in (old.get(section) or {}).items() if e is previous),
                point.key if point.key not in entries else point.id,
            )
            entries[key] = _entry(contract, point, supported, previous)
        if entries:
            raw[section] = entries
    for key in ("quirks", "notes"):
        if key in old:
            raw[key] = old[key]
    return raw


def declared_profile(
    declaration: Declaration, contract: Contract, hand: ConnectorProfile | None = None
) -> ConnectorProfile:
    """The profile one integration's declaration makes, as a pull would write it over the
    hand profile (``hand``): where the declaration is silent (an operation no datapoint it
    lists names, e.g. ``GET /ats/actions/...``, or another category's) the hand profile says
    whether the operation is supported, and its use cases, quirks and notes are kept.
    Validated like every profile: a :class:`~kombo_conformance.errors.ContractError` when
    the declaration makes none."""
    categories = {i.point.category for i in declaration.items if i.point}
    pulled = pulled_from(declaration.tool, declaration.tool_label, categories, declaration.items)
    raw = merge(contract, pulled, hand.raw if hand else None, [declaration.source])
    path = hand.source if hand else Path(f"{declaration.tool}.yaml")
    return profile_from_raw(raw, path, profile_context(contract))


def changes(old: dict[str, Any] | None, new: dict[str, Any], contract: Contract) -> list[str]:
    """What a merge changed, one line each (empty: nothing)."""
    if old is None:
        return ["new profile"]
    out = []
    for key in ("name", "use_cases"):
        if old.get(key) != new.get(key):
            out.append(f"{key}: {old.get(key)!r} -> {new.get(key)!r}")
    out += _set_change("operations", _ops(old, contract), _ops(new, contract))
    for section in SECTIONS.values():
        before, after = old.get(section) or {}, new.get(section) or {}
        for key in sorted(set(before) - set(after)):
            out.append(f"{section}: -{key}")
        for key in sorted(set(after) - set(before)):
            out.append(f"{section}: +{key} ({len(entry_fields(after[key]))} fields)")
        for key in sorted(set(before) & set(after)):
            if before[key].get("operation") != after[key].get("operation"):
                out.append(f"{section}.{key}: operation -> {after[key].get('operation')}")
            out += _set_change(
                f"{section}.{key} fields",
                set(entry_fields(before[key])),
                set(entry_fields(after[key])),
            )
    return out


def _ops(raw: dict[str, Any], contract: Contract) -> set[str]:
    ops = raw.get("operations") or []
    if ops == "all":
        return {k for k, o in contract.operations.items() if o.use_case in raw["use_cases"]}
    return set(ops)


def _set_change(what: str, before: set[str], after: set[str]) -> list[str]:
    added = [f"+{x}" for x in sorted(after - before)]
    removed = [f"-{x}" for x in sorted(before - after)]
    return [f"{what}: {', '.join(added + removed)}"] if added or removed else []


def kept(old: dict[str, Any] | None) -> list[str]:
    """What the existing file had that no grid expresses, kept as it was."""
    if not old:
        return []
    out = []
    for key in KEPT:
        value = old.get(key)
        if value:
            out.append(f"{key} ({len(value)})" if isinstance(value, list) else key)
    return out
