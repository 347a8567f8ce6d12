"""Two schemas walked in step: keyword checks, properties, items and combinator branches.

A comparison returns what it found as ``(change key, path inside the schema)`` pairs and is
remembered per pointer pair, so a shared component is compared once and every operation
that reaches it is attributed the same changes (at its own path).
"""

from __future__ import annotations

from typing import Any

from kombo_conformance.spec.canonical import ANNOTATIONS
from kombo_conformance.spec.diff.catalogue import Direction
from kombo_conformance.spec.diff.keywords import CHECKS, types
from kombo_conformance.spec.diff.model import Collector, Key, Node, Path, Side

Found = list[tuple[Key, Path]]
VARIANTS = {"anyOf": "any_of", "oneOf": "one_of", "allOf": "all_of"}
NESTED = (("items", "[]"), ("additionalProperties", "{}"))


def _pure(schema: dict[str, Any], key: str) -> bool:
    """True if schema is only ``key`` (an anyOf/oneOf wrapper), annotations aside."""
    rest = {k for k in schema if k not in ANNOTATIONS and not str(k).startswith("x-")}
    return key in schema and rest <= {key, "discriminator"}


def _consts(schema: dict[str, Any]) -> set[tuple[str, str]]:
    """Property values a branch pins (``const`` or a one-value enum): a union's tag."""
    pinned = set()
    for name, prop in (schema.get("properties") or {}).items():
        if not isinstance(prop, dict):
            continue
        if "const" in prop:
            pinned.add((name, repr(prop["const"])))
        elif isinstance(prop.get("enum"), list) and len(prop["enum"]) == 1:
            pinned.add((name, repr(prop["enum"][0])))
    return pinned


class SchemaDiffer:
    """Compares schemas of the two sides, recording changes in a collector."""

    def __init__(self, old: Side, new: Side, out: Collector) -> None:
        self.old, self.new, self.out = old, new, out
        self._memo: dict[tuple[str, str, str], Found] = {}

    def compare(self, direction: Direction, old: Node, new: Node) -> Found:
        """What changed from old to new, read in direction."""
        if not isinstance(old.value, dict) or not isinstance(new.value, dict):
            return []
        memo = (direction, old.ptr, new.ptr)
        if memo not in self._memo:
            self._memo[memo] = []  # a recursive schema meets itself: nothing more to find
            if self.old.canonical(old) != self.new.canonical(new):
                self._memo[memo] = self._compare(direction, old, new)
        return self._memo[memo]

    def _emit(
        self,
        direction: Direction,
        kind: str,
        message: str,
        old: Node | None,
        new: Node | None,
        **details: Any,
    ) -> Key:
        return self.out.record(f"{direction}_{kind}", message, old, new, **details)

    def _compare(self, direction: Direction, old: Node, new: Node) -> Found:
        before, after = old.value, new.value
        for key in ("anyOf", "oneOf"):  # a schema became (or stopped being) a union
            if _pure(after, key) and not any(k in before for k in VARIANTS):
                return self._branches(direction, key, old, new, [old], self._of(self.new, new, key))
            if _pure(before, key) and not any(k in after for k in VARIANTS):
                return self._branches(direction, key, old, new, self._of(self.old, old, key), [new])
        found: Found = [
            (self._emit(direction, kind, message, old, new, **details), ())
            for check in CHECKS
            for kind, message, details in check(before, after)
        ]
        found += self._properties(direction, old, new)
        for key, segment in NESTED:
            nested = self.compare(direction, self.old.child(old, key), self.new.child(new, key))
            found += [(change, (segment, *path)) for change, path in nested]
        for key in VARIANTS:
            if key in before or key in after:
                found += self._branches(
                    direction,
                    key,
                    old,
                    new,
                    self._of(self.old, old, key),
                    self._of(self.new, new, key),
                )
        return found

    def _properties(self, direction: Direction, old: Node, new: Node) -> Found:
        before = old.dict.get("properties") if isinstance(old.dict.get("properties"), dict) else {}
        after = new.dict.get("properties") if isinstance(new.dict.get("properties"), dict) else {}
        old_required = set(old.dict.get("required") or [])
        new_required = set(new.dict.get("required") or [])
        found: Found = []
        for name in before:
            if name not in after:
                was = self.old.slot(old, "properties", name)
                found.append(
                    (self._emit(direction, "property_removed", "removed", was, new), (name,))
                )
                continue
            was = self.old.child(old, "properties", name)
            now = self.new.child(new, "properties", name)
            nested = self.compare(direction, was, now)
            found += [(change, (name, *path)) for change, path in nested]
        for name in after:
            if name not in before:
                kind = "required_property_added" if name in new_required else "property_added"
                now = self.new.slot(new, "properties", name)
                found.append((self._emit(direction, kind, "added", old, now), (name,)))
        for name in sorted(new_required ^ old_required):
            if (name in after) != (name in before):
                continue  # reported as added or removed
            kind = (
                "property_became_required" if name in new_required else "property_became_optional"
            )
            was, now = old, new
            if name in before:
                was, now = (
                    self.old.child(old, "properties", name),
                    self.new.child(new, "properties", name),
                )
            message = kind.removeprefix("property_").replace("_", " ")
            found.append((self._emit(direction, kind, f"`{name}` {message}", was, now), (name,)))
        return found

    def _of(self, side: Side, node: Node, key: str) -> list[Node]:
        branches = node.dict.get(key)
        count = len(branches) if isinstance(branches, list) else 0
        return [side.child(node, key, i) for i in range(count)]

    def _similarity(self, old: Node, new: Node) -> int:
        """How alike two branches are (0: unrelated); pairs a changed branch with its old self."""
        before, after = old.dict, new.dict
        score = 2 if types(before) and types(before) == types(after) else 0
        old_names, new_names = (
            set(before.get("properties") or {}),
            set(after.get("properties") or {}),
        )
        if old_names | new_names:
            score += 4 * len(old_names & new_names) // len(old_names | new_names)
            score += 2 * len(_consts(before) & _consts(after))
        if old.ptr.rsplit("/", 1)[-1] == new.ptr.rsplit("/", 1)[-1] and "/components/" in old.ptr:
            score += 1
        return score

    def _branches(
        self,
        direction: Direction,
        key: str,
        old: Node,
        new: Node,
        before: list[Node],
        after: list[Node],
    ) -> Found:
        """Branches matched by content: identical ones first, then the most alike pairs."""
        remaining = list(after)
        unmatched: list[Node] = []
        for branch in before:
            same = self.old.canonical(branch)
            twin = next((b for b in remaining if self.new.canonical(b) == same), None)
            if twin is None:
                unmatched.append(branch)
            else:
                remaining.remove(twin)
        scores = sorted(
            (-self._similarity(b, a), i, j)
            for i, b in enumerate(unmatched)
            for j, a in enumerate(remaining)
        )
        paired_old: set[int] = set()
        paired_new: set[int] = set()
        found: Found = []
        for score, i, j in scores:
            if score < 0 and i not in paired_old and j not in paired_new:
                paired_old.add(i)
                paired_new.add(j)
                found += self.compare(direction, unmatched[i], remaining[j])
        name = VARIANTS[key]
        for i, branch in enumerate(unmatched):
            if i not in paired_old:
                found.append(
                    (
                        self._emit(
                            direction,
                            f"{name}_branch_removed",
                            f"{key} branch removed",
                            branch,
                            new,
                        ),
                        (),
                    )
                )
        for j, branch in enumerate(remaining):
            if j not in paired_new:
                found.append(
                    (
                        self._emit(
                            direction, f"{name}_branch_added", f"{key} branch added", old, branch
                        ),
                        (),
                    )
                )
        return found
