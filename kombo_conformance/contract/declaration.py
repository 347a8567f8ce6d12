"""A coverage declaration: what a target says one connector supports, per read model and
write action (Kombo's datapoints) and per field, with ``is_available`` and
``coverage_status`` (``SUPPORTED``, ``UNSUPPORTED``, ``NOT_IMPLEMENTED``, ``UNKNOWN``).

The data model, its parser and its writer. Two answers carry one: ``GET
/integrations/{integration_id}`` (one integration: :func:`parse_declaration`, written by
:func:`integration_grid`) and a tool's ``coverage`` in ``GET /tools/{category}``
(:func:`parse_grid`, :func:`tool_grid`; it has no ``is_available``, which then follows the
status); shapes: the official SDK's ``GetIntegrationsIntegrationIDPositiveResponse`` and
``GetToolsCategoryPositiveResponse`` (kombo 1.4.0). Every model and action is placed at its
operations by its id in the contract's datapoint table
(:mod:`kombo_conformance.contract.datapoints`); an id the table lacks has no operation.
A profile as a declaration: :mod:`.declare`; the profile a declaration makes: :mod:`.pull`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from kombo_conformance.contract.datapoints import (
    KINDS,
    SECTIONS,
    Datapoint,
    Kind,
    datapoints,
    snake,
)
from kombo_conformance.contract.model import Contract

SUPPORTED, UNSUPPORTED, NOT_IMPLEMENTED, UNKNOWN = (
    "SUPPORTED", "UNSUPPORTED", "NOT_IMPLEMENTED", "UNKNOWN"
)  # fmt: skip
COVERAGE_STATUSES = (SUPPORTED, UNSUPPORTED, NOT_IMPLEMENTED, UNKNOWN)
INTEGRATION_OPERATION = "GET /integrations/{integration_id}"
SCOPE = {"scope_config_setting": "ENABLED", "opted_out_by_customer": False}  # what we serve


class DeclarationError(ValueError):
    """An answer that is not a declaration."""


@dataclass(frozen=True)
class DeclaredField:
    """One field of a read model, or one input field of a write action."""

    id: str
    is_available: bool
    coverage_status: str

    @property
    def claims_filled(self) -> bool | None:
        """True: declared delivered (``SUPPORTED`` and available); False: declared not
        delivered (``UNSUPPORTED``, ``NOT_IMPLEMENTED``, or not available); None: no claim
        (``UNKNOWN`` but available)."""
        if not self.is_available or self.coverage_status in (UNSUPPORTED, NOT_IMPLEMENTED):
            return False
        return True if self.coverage_status == SUPPORTED else None

    @property
    def claim(self) -> str:
        return f"{self.coverage_status}{'' if self.is_available else ', not available'}"


@dataclass(frozen=True)
class DeclaredItem:
    """A read model or write action, and ``point``, its row of the contract's datapoint
    table (None: the table has no such id, so the contract has no place for it)."""

    kind: Kind
    id: str
    label: str
    is_available: bool
    coverage_status: str
    fields: tuple[DeclaredField, ...] = ()
    point: Datapoint | None = None

    @property
    def operations(self) -> tuple[str, ...]:
        return self.point.operations if self.point else ()

    @property
    def items(self) -> str | None:
        """The nested records it describes inside its operation's records (e.g. ``stages``)."""
        return self.point.items if self.point else None

    @property
    def key(self) -> str:
        """The name a profile gives it (its label in snake_case)."""
        return self.point.key if self.point else snake(self.label)

    @property
    def noun(self) -> str:
        return "model" if self.kind == "read_model" else "action"

    @property
    def section(self) -> str:
        """Its connector profile section: ``models`` or ``actions``."""
        return SECTIONS[self.kind]

    @property
    def statuses(self) -> dict[str, str]:
        return {f.id: f.coverage_status for f in self.fields}

    @property
    def claim(self) -> str:
        return f"{self.coverage_status}, {'available' if self.is_available else 'not available'}"

    @property
    def pointer(self) -> str:
        return f"{self.kind}s/{self.id}"

    @property
    def where(self) -> str:
        return ", ".join(self.operations) + (f" (items {self.items})" if self.items else "")


def declared_item(
    kind: Kind,
    ident: str,
    label: str,
    status: str,
    fields: Mapping[str, str],
    point: Datapoint | None,
) -> DeclaredItem:
    """An item whose availability follows its statuses (a tools grid has none; the sandbox
    serves them so): the item is available when ``SUPPORTED``, a field when its item is and
    it is ``SUPPORTED`` or ``UNKNOWN``."""
    available = status == SUPPORTED
    return DeclaredItem(
        kind, ident, label, available, status,
        tuple(DeclaredField(n, available and s in (SUPPORTED, UNKNOWN), s)
              for n, s in fields.items()),
        point,
    )  # fmt: skip


@dataclass(frozen=True)
class Declaration:
    """One integration as the target describes it."""

    integration_id: str
    tool: str
    tool_label: str
    category: str
    status: str
    models: tuple[DeclaredItem, ...] = ()
    actions: tuple[DeclaredItem, ...] = ()

    @property
    def source(self) -> str:
        """The request the declaration came from (every declared_coverage finding's rule)."""
        return f"GET /integrations/{self.integration_id}"

    @property
    def items(self) -> tuple[DeclaredItem, ...]:
        return (*self.models, *self.actions)

    def at(self, operation: str) -> list[DeclaredItem]:
        """The models and actions of ``operation`` (nested models aside: their operation
        is their parent's)."""
        return [i for i in self.items if operation in i.operations and not i.items]

    def available_operations(self) -> frozenset[str]:
        """Operations of the models and actions declared available."""
        return frozenset(
            op for i in self.items if i.is_available and not i.items for op in i.operations
        )

    def silent_on(self, operation: str) -> bool:
        """Whether no model or action of the declaration is at ``operation``."""
        return not self.at(operation)


def integration_path(integration_id: str) -> str:
    return "/integrations/" + quote(integration_id, safe=":")


# -- parsing ---------------------------------------------------------------------------


def _get(node: Any, key: str, kind: type, where: str) -> Any:
    value = node.get(key) if isinstance(node, Mapping) else None
    if not isinstance(value, kind):
        names = {str: "string", bool: "boolean", list: "list", dict: "object"}
        raise DeclarationError(f"{where}/{key} is missing or not a {names[kind]}")
    return value


def _status(node: Any, where: str) -> str:
    status = _get(node, "coverage_status", str, where)
    if status not in COVERAGE_STATUSES:
        raise DeclarationError(
            f"{where}/coverage_status {status!r} is not one of {', '.join(COVERAGE_STATUSES)}"
        )
    return status


def _item(
    node: Any, kind: Kind, where: str, point: Datapoint | None, availability: bool
) -> DeclaredItem:
    ident, label = _get(node, "id", str, where), _get(node, "label", str, where)
    fields = [(f"{where}/fields/{i}", f) for i, f in enumerate(_get(node, "fields", list, where))]
    if not availability:
        statuses = {_get(f, "id", str, here): _status(f, here) for here, f in fields}
        return declared_item(kind, ident, label, _status(node, where), statuses, point)
    return DeclaredItem(
        kind, ident, label, _get(node, "is_available", bool, where), _status(node, where),
        tuple(DeclaredField(_get(f, "id", str, here), _get(f, "is_available", bool, here),
                            _status(f, here)) for here, f in fields),
        point,
    )  # fmt: skip


def parse_grid(
    node: Any, where: str, contract: Contract, *, availability: bool = True
) -> tuple[DeclaredItem, ...]:
    """The ``read_models`` and ``write_actions`` of ``node`` (at ``where`` in the answer),
    each with its datapoint; ``availability=False`` for a tools grid (no ``is_available``).
    A :class:`DeclarationError` names the first thing that does not fit."""
    points = {(p.kind, p.id): p for p in datapoints(contract)}
    found = []
    for grid, kind in KINDS.items():
        for i, item in enumerate(_get(node, grid, list, where)):
            point = points.get((kind, item.get("id") if isinstance(item, Mapping) else None))
            found.append(_item(item, kind, f"{where}/{grid}/{i}", point, availability))
    return tuple(found)


def parse_declaration(body: Any, contract: Contract) -> Declaration:
    """A :class:`Declaration` from a success answer of ``GET /integrations/{integration_id}``,
    or a :class:`DeclarationError` naming the first thing that does not fit."""
    if not isinstance(body, Mapping) or body.get("status") != "success":
        raise DeclarationError("the answer is not a success envelope ({status: success, data})")
    data = _get(body, "data", dict, "")
    tool = _get(data, "tool", dict, "/data")
    items = parse_grid(data, "/data", contract)
    return Declaration(
        integration_id=_get(data, "id", str, "/data"),
        tool=_get(tool, "id", str, "/data/tool"),
        tool_label=_get(tool, "label", str, "/data/tool"),
        category=_get(data, "category", str, "/data"),
        status=_get(data, "status", str, "/data"),
        models=tuple(i for i in items if i.kind == "read_model"),
        actions=tuple(i for i in items if i.kind == "write_action"),
    )


# -- writing ---------------------------------------------------------------------------


def integration_grid(items: Iterable[DeclaredItem]) -> dict[str, list[dict[str, Any]]]:
    """``read_models`` and ``write_actions`` as ``GET /integrations/{integration_id}``
    answers them (every datapoint ``ENABLED`` in the scope config, none opted out)."""
    grid: dict[str, list[dict[str, Any]]] = {grid: [] for grid in KINDS}
    for item in items:
        fields = []
        for f in item.fields:
            row = {"id": f.id, "is_available": f.is_available, "coverage_status": f.coverage_status}
            fields.append(row | SCOPE if item.kind == "read_model" else row)
        grid[f"{item.kind}s"].append(
            {"id": item.id, "label": item.label, "is_available": item.is_available,
             "coverage_status": item.coverage_status, **SCOPE, "fields": fields}
        )  # fmt: skip
    return grid


def tool_grid(items: Iterable[DeclaredItem]) -> dict[str, list[dict[str, Any]]]:
    """``coverage`` as ``GET /tools/{category}`` answers it (no ``features``: profiles keep
    them in free text)."""
    grid: dict[str, list[dict[str, Any]]] = {grid: [] for grid in KINDS} | {"features": []}
    for item in items:
        grid[f"{item.kind}s"].append(
            {"id": item.id, "label": item.label, "coverage_status": item.coverage_status,
             "fields": [{"id": f.id, "coverage_status": f.coverage_status} for f in item.fields]}
        )  # fmt: skip
    return grid
