"""The fault catalogue: documented misbehaviours the sandbox can be told to show.

Each fault exists so that the project's own checks can be proven to catch it: start the
sandbox with ``--fault NAME`` and the checks of its demonstration must report a finding,
while the correct sandbox (no faults) must not. The catalogue is data
(``faults.yaml``, format ``faults.schema.json``): each fault is one or more *changes*, a
kind from a small vocabulary with its options and, optionally, the operations it applies
to. The sandbox's machinery asks :class:`Faults` for the changes of a kind at a few hook
points (``faults.changes("omit-field", operation)``, ``faults.skips("effect", operation)``);
it never names a fault. docs/sandbox.md lists the kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kombo_conformance.errors import UsageError
from kombo_conformance.sandbox.datafiles import HERE, SandboxDataError, load_data

CATALOGUE_PATH = HERE / "faults.yaml"
SCHEMA_PATH = HERE / "faults.schema.json"


@dataclass(frozen=True)
class Change:
    """One change a fault makes: ``kind`` and its options, on ``operations`` (all: None)."""

    kind: str
    options: Mapping[str, Any] = field(default_factory=dict)
    operations: frozenset[str] | None = None

    def applies(self, operation: str | None) -> bool:
        return self.operations is None or operation in self.operations

    def __getitem__(self, option: str) -> Any:
        return self.options[option]

    def get(self, option: str, default: Any = None) -> Any:
        return self.options.get(option, default)


@dataclass(frozen=True)
class Demonstration:
    """Where a fault shows and which conformance checks must report it there."""

    checks: tuple[str, ...]
    connector: str
    operation: str


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    trips: str  # the rule (or kind of check) meant to catch it
    changes: tuple[Change, ...] = ()
    demonstration: Demonstration | None = None
    transport: bool = False  # the symptom is the transport: a run stops with exit 2

    @property
    def operations(self) -> frozenset[str] | None:
        """The operations the fault changes (None: it may change any)."""
        if any(c.operations is None for c in self.changes):
            return None
        return frozenset().union(*(c.operations for c in self.changes))


def _fault(raw: dict[str, Any]) -> Fault:
    changes = tuple(
        Change(
            c["kind"],
            {k: v for k, v in c.items() if k not in ("kind", "operations")},
            frozenset(c["operations"]) if "operations" in c else None,
        )
        for c in raw["changes"]
    )
    demo = raw.get("demonstration")
    return Fault(
        raw["name"],
        raw["description"],
        raw["trips"],
        changes,
        Demonstration(tuple(demo["checks"]), demo["connector"], demo["operation"])
        if demo
        else None,
        raw.get("transport", False),
    )


def load_catalogue(path: Path) -> dict[str, Fault]:
    """The faults of a catalogue file by name; SandboxDataError when it is broken."""
    raw = load_data(path, SCHEMA_PATH)
    out: dict[str, Fault] = {}
    for index, entry in enumerate(raw["faults"]):
        if entry["name"] in out:
            raise SandboxDataError(
                path, f"/faults/{index}/name", f"fault {entry['name']!r} is defined twice"
            )
        out[entry["name"]] = _fault(entry)
    return out


@cache
def catalogue() -> dict[str, Fault]:
    """The bundled catalogue (read once per process)."""
    return load_catalogue(CATALOGUE_PATH)


def demonstrations() -> dict[str, Demonstration]:
    """Every fault whose symptom is a finding: the checks that catch it and the smallest
    run that shows it."""
    return {n: f.demonstration for n, f in catalogue().items() if f.demonstration}


def transport_faults() -> frozenset[str]:
    """Faults whose symptom is the transport itself: the run stops with exit 2."""
    return frozenset(n for n, f in catalogue().items() if f.transport)


def __getattr__(name: str) -> Any:
    """``CATALOGUE``, ``CAUGHT_BY`` and ``TRANSPORT_FAULTS``, read on first use."""
    lazy = {
        "CATALOGUE": catalogue,
        "CAUGHT_BY": demonstrations,
        "TRANSPORT_FAULTS": transport_faults,
    }
    if name in lazy:
        return lazy[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Faults:
    """The faults switched on for one sandbox, indexed by change kind."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        names = tuple(names)
        known = catalogue()
        unknown = [n for n in names if n not in known]
        if unknown:
            raise UsageError(
                f"unknown fault {', '.join(map(repr, unknown))}; known faults: "
                f"{', '.join(sorted(known))}"
            )
        self.names = frozenset(names)
        self._by_kind: dict[str, list[Change]] = {}
        for name in sorted(self.names):
            for change in known[name].changes:
                self._by_kind.setdefault(change.kind, []).append(change)

    def changes(self, kind: str, operation: str | None = None) -> list[Change]:
        """The switched-on changes of kind that apply to operation."""
        found = self._by_kind.get(kind)
        if not found:
            return []
        return [c for c in found if c.applies(operation)]

    def first(self, kind: str, operation: str | None = None) -> Change | None:
        found = self.changes(kind, operation)
        return found[0] if found else None

    def skips(self, step: str, operation: str | None = None) -> bool:
        """Whether a step of request handling (``authentication``, ``integration-header``,
        ``body-validation``, ``effect``, ``state-rules``) is left out for operation."""
        return any(c["step"] == step for c in self.changes("skip", operation))

    def require_operations(self, operations: Iterable[str]) -> None:
        """UsageError when a switched-on fault changes only operations the served contract
        does not have (it would change nothing)."""
        have = frozenset(operations)
        for name in sorted(self.names):
            wanted = catalogue()[name].operations
            if wanted is not None and not wanted & have:
                raise UsageError(
                    f"fault {name!r} changes only {', '.join(sorted(wanted))}, which the "
                    "contract does not have: it would change nothing"
                )

    def __bool__(self) -> bool:
        return bool(self.names)

    def __repr__(self) -> str:
        return f"Faults({sorted(self.names)})"
