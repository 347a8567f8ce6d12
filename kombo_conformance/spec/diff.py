"""Breaking changes between two versions of an OpenAPI document.

Operations are matched by ``METHOD /path``, parameters by ``in``/``name``, properties by
name, responses by status; enums and ``required`` are compared as sets. Both documents are
walked in step with every ``$ref`` followed, so moving or renaming a component is not a
change, while each change carries the pointers where it is written on either side.

Whether a change breaks a client depends on who reads the schema: in a request the server
reads what clients write (narrowing breaks them), in a response clients read what the
server writes (widening breaks them). :data:`CLASSIFICATION` holds that table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from kombo_conformance.contract import Contract, pointer
from kombo_conformance.findings import Finding, Severity
from kombo_conformance.spec.canonical import canonical

Impact = Literal["breaking", "potentially breaking", "safe"]
Direction = Literal["request", "response"]
BREAKING: Impact = "breaking"
POTENTIAL: Impact = "potentially breaking"
SAFE: Impact = "safe"

# kind: (impact in a request, impact in a response)
CLASSIFICATION: dict[str, tuple[Impact, Impact]] = {
    "enum_values_added": (SAFE, BREAKING),
    "enum_values_removed": (BREAKING, SAFE),
    "enum_added": (BREAKING, SAFE),
    "enum_removed": (SAFE, BREAKING),
    "constraint_tightened": (BREAKING, SAFE),
    "constraint_loosened": (SAFE, POTENTIAL),
    "pattern_changed": (BREAKING, POTENTIAL),
    "format_changed": (POTENTIAL, POTENTIAL),
    "type_widened": (SAFE, BREAKING),
    "type_narrowed": (BREAKING, SAFE),
    "type_changed": (BREAKING, BREAKING),
    "nullability_added": (SAFE, BREAKING),
    "nullability_removed": (BREAKING, SAFE),
    "property_removed": (POTENTIAL, BREAKING),
    "property_added": (SAFE, SAFE),
    "required_property_added": (BREAKING, SAFE),
    "property_became_required": (BREAKING, SAFE),
    "property_became_optional": (SAFE, POTENTIAL),
    "additional_properties_closed": (BREAKING, SAFE),
    "variant_added": (SAFE, POTENTIAL),
    "variant_removed": (BREAKING, SAFE),
}
# Lower/upper bounds: a higher lower bound or a lower upper bound is tighter.
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
VARIANTS = ("anyOf", "oneOf", "allOf")
# Where Kombo's error envelope keeps its codes (see contract.conventions).
ERROR_CODE_PATH = ("properties", "error", "properties", "code")
MAX_DEPTH = 64


@dataclass(frozen=True)
class Change:
    """One difference, classified; pointers are where it is written in each document."""

    kind: str
    impact: Impact
    message: str
    operation: str = ""
    old_pointer: str | None = None
    new_pointer: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Node:
    """A schema (or other object) with its pointer, ``$ref``s already followed."""

    value: Any
    ptr: str


def _follow(contract: Contract, value: Any, ptr: str) -> Node:
    """Follow ``$ref``s at the top of value; siblings beside a ``$ref`` apply too (OAS 3.1)."""
    seen: set[str] = set()
    while isinstance(value, dict) and isinstance(value.get("$ref"), str):
        ref = value["$ref"]
        if ref in seen:
            break
        seen.add(ref)
        siblings = {k: v for k, v in value.items() if k != "$ref"}
        target = contract.resolver.lookup(ref)
        value = {**target, **siblings} if siblings and isinstance(target, dict) else target
        ptr = "/" + "/".join(pointer.escape(t) for t in pointer.split(ref))
    return Node(value, ptr)


def _child(contract: Contract, node: Node, *tokens: Any) -> Node:
    value = node.value
    for token in tokens:
        value = value.get(token) if isinstance(value, dict) else None
    return _follow(contract, value, pointer.join(*pointer.split(node.ptr), *tokens))


def _types(schema: dict[str, Any]) -> frozenset[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return frozenset({kind})
    return frozenset(kind) if isinstance(kind, list) else frozenset()


def _tighter(key: str, old: Any, new: Any) -> bool | None:
    """True if the new bound is tighter, False if looser, None if equal or not comparable."""
    if old == new:
        return None
    if old is None or new is None:
        return new is not None  # a bound added is tighter, one removed looser
    if not all(isinstance(v, int | float) for v in (old, new)):
        return None
    return new > old if key in LOWER_BOUNDS else new < old


class _Differ:
    """Walks two contracts in step and collects changes."""

    def __init__(self, old: Contract, new: Contract) -> None:
        self.old, self.new = old, new
        self.changes: list[Change] = []
        self._seen: set[tuple[str, str, str, bool]] = set()

    def add(
        self,
        kind: str,
        impact: Impact,
        message: str,
        op: str,
        old: Node | None,
        new: Node | None,
        **details: Any,
    ) -> None:
        self.changes.append(
            Change(
                kind,
                impact,
                message,
                op,
                old.ptr if old else None,
                new.ptr if new else None,
                details,
            )
        )

    def schema_change(
        self,
        kind: str,
        direction: Direction,
        message: str,
        op: str,
        old: Node,
        new: Node,
        **details: Any,
    ) -> None:
        impact = CLASSIFICATION[kind][0 if direction == "request" else 1]
        self.add(f"{direction}_{kind}", impact, f"{direction} {message}", op, old, new, **details)

    # -- operations ------------------------------------------------------------------------

    def operations(self) -> None:
        old_ops, new_ops = self.old.operations, self.new.operations
        for key, op in old_ops.items():
            if key not in new_ops:
                self.add(
                    "operation_removed",
                    BREAKING,
                    f"operation {key} was removed",
                    key,
                    Node(None, op.pointer),
                    None,
                )
        for key, op in new_ops.items():
            if key not in old_ops:
                self.add(
                    "operation_added",
                    SAFE,
                    f"operation {key} was added",
                    key,
                    None,
                    Node(None, op.pointer),
                )
            else:
                self.operation(key, old_ops[key].pointer, op.pointer)

    def operation(self, key: str, old_ptr: str, new_ptr: str) -> None:
        old = _follow(self.old, pointer.resolve(self.old.document, pointer.split(old_ptr)), old_ptr)
        new = _follow(self.new, pointer.resolve(self.new.document, pointer.split(new_ptr)), new_ptr)
        self.parameters(key, old, new)
        self.request_body(key, old, new)
        self.responses(key, old, new)
        self.error_envelope(key)

    def _parameters(self, contract: Contract, op: Node) -> dict[tuple[str, str], Node]:
        path_item = Node(None, op.ptr.rsplit("/", 1)[0])
        found: dict[tuple[str, str], Node] = {}
        item = pointer.resolve(contract.document, pointer.split(path_item.ptr))
        for owner, value in ((path_item, item), (op, op.value)):
            for i, raw in enumerate((value or {}).get("parameters") or []):
                param = _follow(contract, raw, f"{owner.ptr}/parameters/{i}")
                if isinstance(param.value, dict):
                    found[(param.value.get("in", ""), param.value.get("name", ""))] = param
        return found

    def parameters(self, key: str, old_op: Node, new_op: Node) -> None:
        old, new = self._parameters(self.old, old_op), self._parameters(self.new, new_op)
        for (place, name), param in old.items():
            if (place, name) not in new:
                self.add(
                    "parameter_removed",
                    BREAKING,
                    f"{place} parameter {name!r} was removed",
                    key,
                    param,
                    None,
                )
        for (place, name), param in new.items():
            required = bool(param.value.get("required"))
            if (place, name) not in old:
                kind, impact = (
                    ("required_parameter_added", BREAKING)
                    if required
                    else ("parameter_added", SAFE)
                )
                what = "required" if required else "optional"
                self.add(
                    kind, impact, f"{what} {place} parameter {name!r} was added", key, None, param
                )
                continue
            before = old[(place, name)]
            if required and not before.value.get("required"):
                self.add(
                    "parameter_became_required",
                    BREAKING,
                    f"{place} parameter {name!r} became required",
                    key,
                    before,
                    param,
                )
            self.schema(
                key,
                "request",
                _child(self.old, before, "schema"),
                _child(self.new, param, "schema"),
                (),
            )

    def request_body(self, key: str, old_op: Node, new_op: Node) -> None:
        old, new = _child(self.old, old_op, "requestBody"), _child(self.new, new_op, "requestBody")
        if not isinstance(old.value, dict) or not isinstance(new.value, dict):
            if isinstance(new.value, dict) and new.value.get("required"):
                self.add(
                    "request_body_added",
                    BREAKING,
                    "a required request body was added",
                    key,
                    None,
                    new,
                )
            return
        if new.value.get("required") and not old.value.get("required"):
            self.add(
                "request_body_became_required",
                BREAKING,
                "the request body became required",
                key,
                old,
                new,
            )
        self.schema(
            key, "request", self._json_schema(self.old, old), self._json_schema(self.new, new), ()
        )

    def _json_schema(self, contract: Contract, holder: Node) -> Node:
        """The JSON media type's schema of a request body or response (as json_schema_of)."""
        content = _child(contract, holder, "content")
        for media_type in content.value or {}:
            if media_type.split(";")[0].strip().endswith("json"):
                return _child(contract, content, media_type, "schema")
        return Node(None, holder.ptr)

    def responses(self, key: str, old_op: Node, new_op: Node) -> None:
        old = _child(self.old, old_op, "responses")
        new = _child(self.new, new_op, "responses")
        for status in old.value or {}:
            before = _child(self.old, old, status)
            if status not in (new.value or {}):
                self.add(
                    "response_removed",
                    POTENTIAL,
                    f"response {status} is no longer documented",
                    key,
                    before,
                    None,
                )
                continue
            after = _child(self.new, new, status)
            self.schema(
                key,
                "response",
                self._json_schema(self.old, before),
                self._json_schema(self.new, after),
                (),
                error=status == "default",
            )

    def error_envelope(self, key: str) -> None:
        before = self.old.operations[key].conventions.error_envelope
        after = self.new.operations[key].conventions.error_envelope
        if before and after and before.use_case != after.use_case:
            self.add(
                "error_envelope_changed",
                BREAKING,
                f"the error envelope changed from the {before.use_case} to the "
                f"{after.use_case} one",
                key,
                Node(None, self.old.operations[key].pointer + "/responses/default"),
                Node(None, self.new.operations[key].pointer + "/responses/default"),
            )

    # -- schemas ---------------------------------------------------------------------------

    def schema(
        self,
        op: str,
        direction: Direction,
        old: Node,
        new: Node,
        path: tuple[str, ...],
        error: bool = False,
    ) -> None:
        if not isinstance(old.value, dict) or not isinstance(new.value, dict):
            return
        seen = (direction, old.ptr, new.ptr, error)
        if seen in self._seen or len(path) > MAX_DEPTH:
            return  # compared already (a shared component), or recursion
        self._seen.add(seen)
        if canonical(self.old.resolve(old.value)) == canonical(self.new.resolve(new.value)):
            return
        self.types(op, direction, old, new)
        self.enum(op, direction, old, new, error and path == ERROR_CODE_PATH)
        self.constraints(op, direction, old, new)
        self.properties(op, direction, old, new, path, error)
        for key in ("items", "additionalProperties"):
            self.schema(
                op,
                direction,
                _child(self.old, old, key),
                _child(self.new, new, key),
                (*path, key),
                error,
            )
        for key in VARIANTS:
            self.variants(op, direction, old, new, key, path, error)

    def types(self, op: str, direction: Direction, old: Node, new: Node) -> None:
        before, after = _types(old.value), _types(new.value)
        if not before or not after or before == after:
            return
        if ("null" in after) != ("null" in before):
            kind = "nullability_added" if "null" in after else "nullability_removed"
            self.schema_change(kind, direction, f"field {kind.replace('_', ' ')}", op, old, new)
        before, after = before - {"null"}, after - {"null"}
        if before == after or not before or not after:
            return
        kind = (
            "type_widened"
            if after > before
            else "type_narrowed"
            if after < before
            else "type_changed"
        )
        self.schema_change(
            kind, direction, f"type {sorted(before)} -> {sorted(after)}", op, old, new
        )

    def enum(self, op: str, direction: Direction, old: Node, new: Node, codes: bool) -> None:
        before, after = old.value.get("enum"), new.value.get("enum")
        if before is None and after is None:
            return
        if before is None or after is None:
            kind = "enum_added" if after is not None else "enum_removed"
            self.schema_change(kind, direction, kind.replace("_", " "), op, old, new)
            return
        added = [v for v in after if v not in before]
        removed = [v for v in before if v not in after]
        if codes:  # error codes: clients handle errors generically, but should know
            for kind, values in (("error_codes_added", added), ("error_codes_removed", removed)):
                if values:
                    self.add(
                        kind,
                        POTENTIAL,
                        f"error codes {kind.split('_')[-1]}: {values}",
                        op,
                        old,
                        new,
                        values=values,
                    )
            return
        if added:
            self.schema_change(
                "enum_values_added",
                direction,
                f"enum values added: {added}",
                op,
                old,
                new,
                values=added,
            )
        if removed:
            self.schema_change(
                "enum_values_removed",
                direction,
                f"enum values removed: {removed}",
                op,
                old,
                new,
                values=removed,
            )

    def constraints(self, op: str, direction: Direction, old: Node, new: Node) -> None:
        for key in (*LOWER_BOUNDS, *UPPER_BOUNDS):
            before, after = old.value.get(key), new.value.get(key)
            tighter = _tighter(key, before, after)
            if tighter is not None:
                kind = "constraint_tightened" if tighter else "constraint_loosened"
                self.schema_change(
                    kind, direction, f"{key} {before!r} -> {after!r}", op, old, new, keyword=key
                )
        for key, kind in (("pattern", "pattern_changed"), ("format", "format_changed")):
            before, after = old.value.get(key), new.value.get(key)
            if before != after and after is not None:
                self.schema_change(kind, direction, f"{key} {before!r} -> {after!r}", op, old, new)
            elif before != after:
                self.schema_change(
                    "constraint_loosened",
                    direction,
                    f"{key} {before!r} removed",
                    op,
                    old,
                    new,
                    keyword=key,
                )
        closed = old.value.get("additionalProperties"), new.value.get("additionalProperties")
        if closed[0] is not False and closed[1] is False:
            self.schema_change(
                "additional_properties_closed",
                direction,
                "additionalProperties became false",
                op,
                old,
                new,
            )

    def properties(
        self,
        op: str,
        direction: Direction,
        old: Node,
        new: Node,
        path: tuple[str, ...],
        error: bool,
    ) -> None:
        before = old.value.get("properties") or {}
        after = new.value.get("properties") or {}
        old_required = set(old.value.get("required") or [])
        new_required = set(new.value.get("required") or [])
        for name in before:
            was = _child(self.old, old, "properties", name)
            if name not in after:
                self.schema_change(
                    "property_removed",
                    direction,
                    f"property {name!r} removed",
                    op,
                    was,
                    new,
                    property=name,
                )
                continue
            now = _child(self.new, new, "properties", name)
            if name in new_required and name not in old_required:
                self.schema_change(
                    "property_became_required",
                    direction,
                    f"property {name!r} became required",
                    op,
                    was,
                    now,
                )
            elif name in old_required and name not in new_required:
                self.schema_change(
                    "property_became_optional",
                    direction,
                    f"property {name!r} is no longer required",
                    op,
                    was,
                    now,
                )
            self.schema(op, direction, was, now, (*path, "properties", name), error)
        for name in after:
            if name not in before:
                now = _child(self.new, new, "properties", name)
                required = name in new_required
                kind = "required_property_added" if required else "property_added"
                what = "required" if required else "optional"
                self.schema_change(
                    kind, direction, f"{what} property {name!r} added", op, old, now, property=name
                )

    def variants(
        self,
        op: str,
        direction: Direction,
        old: Node,
        new: Node,
        key: str,
        path: tuple[str, ...],
        error: bool,
    ) -> None:
        """anyOf/oneOf/allOf branches: identical ones pair up in any order, then by index."""
        before = [_child(self.old, old, key, i) for i in range(len(old.value.get(key) or []))]
        after = [_child(self.new, new, key, i) for i in range(len(new.value.get(key) or []))]
        unmatched_after = {canonical(self.new.resolve(n.value)): n for n in after}
        left = []
        for node in before:
            if unmatched_after.pop(canonical(self.old.resolve(node.value)), None) is None:
                left.append(node)
        right = list(unmatched_after.values())
        for was, now in zip(left, right, strict=False):
            self.schema(op, direction, was, now, (*path, key), error)
        for was in left[len(right) :]:
            self.schema_change("variant_removed", direction, f"{key} branch removed", op, was, new)
        for now in right[len(left) :]:
            self.schema_change("variant_added", direction, f"{key} branch added", op, old, now)


def diff_contracts(old: Contract, new: Contract) -> list[Change]:
    """Every change from old to new, breaking ones first."""
    differ = _Differ(old, new)
    differ.operations()
    order = (BREAKING, POTENTIAL, SAFE)
    return sorted(differ.changes, key=lambda c: (order.index(c.impact), c.operation, c.kind))


SEVERITY_OF: dict[Impact, Severity] = {
    BREAKING: "error",
    POTENTIAL: "warning",
    SAFE: "observation",
}


def to_findings(changes: list[Change], old: Contract, new: Contract) -> list[Finding]:
    """Changes as Findings: breaking = error, potentially breaking = warning, safe =
    observation; ``pointer`` is the new side's (the old one's for removals)."""
    findings = []
    for change in changes:
        side, ptr = (new, change.new_pointer) if change.new_pointer else (old, change.old_pointer)
        source = side.source_of(ptr or "/")
        findings.append(
            Finding(
                check=change.kind,
                message=f"{change.impact}: {change.message}",
                severity=SEVERITY_OF[change.impact],
                operation=change.operation,
                pointer=ptr,
                source=str(source) if source else None,
                details=change.details
                | {
                    "impact": change.impact,
                    "old_pointer": change.old_pointer,
                    "new_pointer": change.new_pointer,
                },
            )
        )
    return findings
