"""Dereferencing internal `$ref`s of a bundled document."""

from __future__ import annotations

from typing import Any

from kombo_conformance.contract import pointer


class Resolver:
    """Resolve ``#/...`` references against one document.

    Resolved nodes are shared between callers and must be treated as read-only. A
    reference that recurses into itself is left as ``{"$ref": ...}`` at the point of
    recursion, so resolution always terminates.
    """

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._cache: dict[str, Any] = {}

    def lookup(self, ref: str) -> Any:
        """The node a reference points at, itself not yet dereferenced."""
        return pointer.resolve(self.document, pointer.split(ref))

    def deref(self, node: Any) -> Any:
        """Follow a chain of `$ref`s at the top of node only."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                break
            seen.add(ref)
            node = self.lookup(ref)
        return node

    def resolve(self, node: Any) -> Any:
        """Fully dereference node (recursively)."""
        return self._resolve(node, ())

    def _resolve(self, node: Any, stack: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [self._resolve(v, stack) for v in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                return node
            if ref not in self._cache:
                self._cache[ref] = self._resolve(self.lookup(ref), (*stack, ref))
            target = self._cache[ref]
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if siblings and isinstance(target, dict):
                # OAS 3.1 allows keywords beside $ref; they apply as well.
                return {**target, **self._resolve(siblings, stack)}
            return target
        return {k: self._resolve(v, stack) for k, v in node.items()}
