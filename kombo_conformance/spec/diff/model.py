"""Nodes walked in step, and the changes they produce, grouped across operations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kombo_conformance.contract import Contract, pointer
from kombo_conformance.spec.canonical import canonical
from kombo_conformance.spec.diff.catalogue import RULES, Impact

Path = tuple[str, ...]  # property names, "[]" for array items, "{}" for map values


@dataclass(frozen=True)
class Node:
    """A value with the pointer where it is written, ``$ref``s already followed."""

    value: Any
    ptr: str

    @property
    def dict(self) -> dict[str, Any]:
        return self.value if isinstance(self.value, dict) else {}


class Side:
    """One document of the pair: following ``$ref``s, with canonical texts cached."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self._canonical: dict[str, str] = {}

    def follow(self, value: Any, ptr: str) -> Node:
        """Follow ``$ref``s at the top of value; siblings beside a ``$ref`` apply too (3.1)."""
        seen: set[str] = set()
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            if ref in seen:
                break
            seen.add(ref)
            target = self.contract.resolver.lookup(ref)
            siblings = {k: v for k, v in value.items() if k != "$ref"}
            if siblings and isinstance(target, dict):
                value = {**target, **siblings}  # keeps the referring pointer: its own content
            else:
                value, ptr = target, "/" + "/".join(pointer.escape(t) for t in pointer.split(ref))
        return Node(value, ptr)

    def at(self, ptr: str) -> Node:
        return self.follow(pointer.resolve(self.contract.document, pointer.split(ptr)), ptr)

    def find(self, ptr: str) -> Node:
        """The node at ptr, or an empty one if the document has nothing there."""
        try:
            return self.at(ptr)
        except KeyError:
            return Node(None, ptr)

    def child(self, node: Node, *tokens: Any) -> Node:
        value = node.value
        for token in tokens:
            if isinstance(value, dict):
                value = value.get(token)
            elif isinstance(value, list) and isinstance(token, int) and token < len(value):
                value = value[token]
            else:
                value = None
        return self.follow(value, pointer.join(*pointer.split(node.ptr), *tokens))

    def slot(self, node: Node, *tokens: Any) -> Node:
        """Like :meth:`child`, but pointing where the child is written, not at its target."""
        return Node(
            self.child(node, *tokens).value, pointer.join(*pointer.split(node.ptr), *tokens)
        )

    def canonical(self, node: Node) -> str:
        """What node means (annotations dropped, ``$ref``s resolved), cached by pointer."""
        if node.ptr not in self._canonical:
            self._canonical[node.ptr] = canonical(self.contract.resolve(node.value))
        return self._canonical[node.ptr]


@dataclass(frozen=True)
class Change:
    """One classified difference, once per pointer pair, with every operation it affects.

    ``where`` says, per operation, where in it the change is (``response 200 property
    `data.results[].changed_at```); ``operation`` is the first of ``operations``.
    ``summary`` is the change in words without the place; ``recorded`` the recorded
    interactions that exercise it (``(connector, "cassette#index")``; None: not looked for).
    """

    kind: str
    impact: Impact
    message: str
    operations: tuple[str, ...] = ()
    where: tuple[str, ...] = ()
    old_pointer: str | None = None
    new_pointer: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    summary: str = ""
    recorded: tuple[tuple[str, str], ...] | None = None

    @property
    def operation(self) -> str:
        return self.operations[0] if self.operations else ""


Key = tuple[str, str | None, str | None, str]  # rule, old pointer, new pointer, message


@dataclass
class _Entry:
    rule: str
    message: str
    old: str | None
    new: str | None
    details: dict[str, Any]
    sites: dict[str, str] = field(default_factory=dict)  # operation -> where


def render(path: Path) -> str:
    """``("data", "results", "[]", "id")`` -> ``data.results[].id``."""
    text = ""
    for part in path:
        text += part if part in ("[]", "{}") or not text else f".{part}"
    return text


def where(prefix: str, path: Path) -> str:
    """E.g. ``request body property `attachments[].content_type```."""
    return f"{prefix} property `{render(path)}`" if path else prefix


def parse_where(place: str) -> tuple[str, Path]:
    """The inverse of :func:`where`: ``(prefix, path)``."""
    match = _PLACE.fullmatch(place)
    if not match:
        return place, ()
    return match["prefix"], tuple(_TOKEN.findall(match["path"]))


_PLACE = re.compile(r"(?P<prefix>.+?) property `(?P<path>.*)`")
_TOKEN = re.compile(r"\[\]|\{\}|[^.\[\]{}]+")


class Collector:
    """Changes keyed by rule and pointers: a shared component's change is one entry."""

    def __init__(self) -> None:
        self._entries: dict[Key, _Entry] = {}

    def record(
        self, rule: str, message: str, old: Node | None, new: Node | None, **details: Any
    ) -> Key:
        """Register a change (no operation yet); the key attributes it later."""
        return self._record(
            rule, message, old.ptr if old else None, new.ptr if new else None, details
        )

    def _record(
        self, rule: str, message: str, old: str | None, new: str | None, details: dict[str, Any]
    ) -> Key:
        key = (rule, old, new, message)
        if key not in self._entries:
            self._entries[key] = _Entry(rule, message, old, new, details)
        return key

    def attribute(self, key: Key, operation: str, place: str, rule: str | None = None) -> None:
        """Say that ``operation`` is affected at ``place``; ``rule`` re-classifies it."""
        if rule and rule != key[0]:
            entry = self._entries[key]
            key = self._record(rule, entry.message, entry.old, entry.new, entry.details)
        self._entries[key].sites.setdefault(operation, place)

    def add(
        self,
        rule: str,
        message: str,
        operation: str,
        place: str,
        old: Node | None,
        new: Node | None,
        **details: Any,
    ) -> None:
        """Record and attribute in one step (operation-level rules)."""
        self.attribute(self.record(rule, message, old, new, **details), operation, place)

    def changes(self) -> list[Change]:
        """Every attributed change, breaking ones first."""
        found = []
        for entry in self._entries.values():
            if not entry.sites:
                continue
            impact = RULES[entry.rule].impact
            ops, places = tuple(entry.sites), tuple(entry.sites.values())
            text = f"{places[0]}: {entry.message}" if places[0] else entry.message
            if len(ops) > 1:
                text += f" (in {len(ops)} operations: {', '.join(ops)})"
            found.append(
                Change(
                    entry.rule,
                    impact,
                    text,
                    ops,
                    places,
                    entry.old,
                    entry.new,
                    entry.details,
                    entry.message,
                )
            )
        order = ("breaking", "potentially breaking", "safe")
        return sorted(found, key=lambda c: (order.index(c.impact), c.operation, c.kind))
