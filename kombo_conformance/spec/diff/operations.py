"""Operations, parameters, request bodies and responses of the two documents, in step.

Operations are matched by ``METHOD /path`` with path parameter names normalised
(``/orders/{assessment_order_id}`` is ``/orders/{order_id}``); parameters by ``in``/``name``
(path parameters through that renaming), responses by status, media types by name.
"""

from __future__ import annotations

import re

from kombo_conformance.contract import Contract, Operation
from kombo_conformance.contract.conventions import PAGINATION_PARAMETERS
from kombo_conformance.spec.diff.catalogue import Direction
from kombo_conformance.spec.diff.conventions import convention_changes
from kombo_conformance.spec.diff.model import Change, Collector, Node, Side, where
from kombo_conformance.spec.diff.schemas import Found, SchemaDiffer
from kombo_conformance.spec.diff.security import security_changes

TEMPLATE = re.compile(r"\{([^}/]*)\}")
ERROR_CODE = ("error", "code")
CODE_RULES = {
    "response_enum_values_added": "error_codes_added",
    "response_enum_values_removed": "error_codes_removed",
}


def _shape(op: Operation) -> tuple[str, str]:
    return op.method, TEMPLATE.sub("{}", op.path)


def match(
    old: dict[str, Operation], new: dict[str, Operation]
) -> tuple[list[tuple[Operation, Operation]], list[Operation], list[Operation]]:
    """(pairs, removed, added); a path parameter renamed leaves the operation the same."""
    by_shape: dict[tuple[str, str], list[Operation]] = {}
    for op in new.values():
        if op.key not in old:
            by_shape.setdefault(_shape(op), []).append(op)
    pairs, removed = [], []
    for key, op in old.items():
        candidates = [new[key]] if key in new else by_shape.get(_shape(op), [])
        if len(candidates) == 1:
            pairs.append((op, candidates[0]))
        else:
            removed.append(op)
    paired = {after.key for _, after in pairs}
    return pairs, removed, [op for key, op in new.items() if key not in paired]


def _json(media_type: str) -> bool:
    return media_type.split(";")[0].strip().endswith("json")


class OperationDiffer:
    """Walks the operations of two contracts and collects classified changes."""

    def __init__(self, old: Contract, new: Contract) -> None:
        self.old, self.new = Side(old), Side(new)
        self.out = Collector()
        self.schemas = SchemaDiffer(self.old, self.new, self.out)

    def run(self) -> list[Change]:
        pairs, removed, added = match(self.old.contract.operations, self.new.contract.operations)
        for op in removed:
            node = Node(None, op.pointer)
            rule = "deprecated_operation_removed" if op.definition.get("deprecated") else ""
            self.out.add(rule or "operation_removed", "removed", op.key, "operation", node, None)
        for op in added:
            self.out.add(
                "operation_added", "added", op.key, "operation", None, Node(None, op.pointer)
            )
        for before, after in pairs:
            old, new = self.old.at(before.pointer), self.new.at(after.pointer)
            self.deprecation(after.key, old, new)
            self.parameters(before, after, old, new)
            self.request_body(after.key, old, new)
            self.responses(after.key, old, new)
            security_changes(self, after.key, old, new)
            convention_changes(self, before, after)
        return self.out.changes()

    def attribute(self, found: Found, op: str, prefix: str, errors: bool = False) -> None:
        """Attribute schema changes to op; in an error response the code enum is a convention."""
        for key, path in found:
            rule = CODE_RULES.get(key[0]) if errors and path == ERROR_CODE else None
            self.out.attribute(key, op, where(prefix, path), rule)

    def deprecation(self, op: str, old: Node, new: Node) -> None:
        before, after = old.dict.get("deprecated") is True, new.dict.get("deprecated") is True
        if before != after:
            rule = "operation_deprecated" if after else "operation_reactivated"
            self.out.add(
                rule, "deprecated" if after else "no longer deprecated", op, "operation", old, new
            )

    # -- parameters ------------------------------------------------------------------------

    def _parameters(
        self, side: Side, op: Node, rename: dict[str, str]
    ) -> dict[tuple[str, str], Node]:
        """Path-item then operation parameters (the operation's win), by ``in``/``name``."""
        found: dict[tuple[str, str], Node] = {}
        item = side.at(op.ptr.rsplit("/", 1)[0])
        for owner in (item, op):
            for i in range(len(owner.dict.get("parameters") or [])):
                param = side.child(owner, "parameters", i)
                place, name = param.dict.get("in", ""), param.dict.get("name", "")
                found[(place, rename.get(name, name) if place == "path" else name)] = param
        return found

    def parameters(self, before: Operation, after: Operation, old_op: Node, new_op: Node) -> None:
        rename = dict(
            zip(TEMPLATE.findall(before.path), TEMPLATE.findall(after.path), strict=False)
        )
        old = self._parameters(self.old, old_op, rename)
        new = self._parameters(self.new, new_op, {})
        listing = before.conventions.is_list
        op = after.key
        for (place, name), param in old.items():
            if (place, name) not in new:
                rule = "parameter_removed"
                if listing and place == "query":
                    pagination = name in PAGINATION_PARAMETERS
                    rule = (
                        "pagination_parameter_removed" if pagination else "filter_parameter_removed"
                    )
                self.out.add(
                    rule, "removed", op, f"{place} parameter `{name}`", param, None, parameter=name
                )
        for (place, name), param in new.items():
            required = param.dict.get("required") is True
            label = f"{place} parameter `{name}`"
            if (place, name) not in old:
                rule = "required_parameter_added" if required else "parameter_added"
                if (
                    listing
                    and place == "query"
                    and not required
                    and name not in PAGINATION_PARAMETERS
                ):
                    rule = "filter_parameter_added"
                self.out.add(rule, "added", op, label, None, param, parameter=name)
                continue
            was = old[(place, name)]
            if required != (was.dict.get("required") is True):
                rule = "parameter_became_required" if required else "parameter_became_optional"
                message = rule.removeprefix("parameter_").replace("_", " ")
                self.out.add(rule, message, op, label, was, param, parameter=name)
            schemas = self.old.child(was, "schema"), self.new.child(param, "schema")
            self.attribute(self.schemas.compare("request", *schemas), op, label)

    # -- bodies ----------------------------------------------------------------------------

    def request_body(self, op: str, old_op: Node, new_op: Node) -> None:
        old, new = self.old.child(old_op, "requestBody"), self.new.child(new_op, "requestBody")
        was, now = old.dict.get("required") is True, new.dict.get("required") is True
        label = "request body"
        if not isinstance(old.value, dict) or not isinstance(new.value, dict):
            if isinstance(new.value, dict):
                rule = "request_body_added" if now else "optional_request_body_added"
                self.out.add(rule, "added", op, label, None, new)
            elif isinstance(old.value, dict):
                self.out.add("request_body_removed", "removed", op, label, old, None)
            return
        if was != now:
            rule = "request_body_became_required" if now else "request_body_became_optional"
            self.out.add(rule, "required" if now else "optional", op, label, old, new)
        self.content(op, "request", old, new, label)

    def content(
        self, op: str, direction: Direction, old: Node, new: Node, label: str, errors: bool = False
    ) -> None:
        """Media types added or removed; schemas compared per media type (JSON ones paired)."""
        old_content, new_content = self.old.child(old, "content"), self.new.child(new, "content")
        before, after = old_content.dict, new_content.dict
        for media_type in before:
            if media_type not in after:
                node = self.old.child(old_content, media_type)
                self.out.add(
                    f"{direction}_media_type_removed",
                    f"media type {media_type!r} removed",
                    op,
                    label,
                    node,
                    new,
                    media_type=media_type,
                )
        for media_type in after:
            if media_type not in before:
                node = self.new.child(new_content, media_type)
                self.out.add(
                    f"{direction}_media_type_added",
                    f"media type {media_type!r} added",
                    op,
                    label,
                    old,
                    node,
                )
        pairs = [(m, m) for m in before if m in after]
        if not pairs:
            json_pair = [next((m for m in d if _json(m)), None) for d in (before, after)]
            pairs = [(json_pair[0], json_pair[1])] if all(json_pair) else []
        for old_type, new_type in pairs:
            found = self.schemas.compare(
                direction,
                self.old.child(old_content, old_type, "schema"),
                self.new.child(new_content, new_type, "schema"),
            )
            self.attribute(found, op, label, errors)

    # -- responses -------------------------------------------------------------------------

    def responses(self, op: str, old_op: Node, new_op: Node) -> None:
        old, new = self.old.child(old_op, "responses"), self.new.child(new_op, "responses")
        for status in old.dict:
            if status not in new.dict:
                success = "success_" if str(status).startswith("2") else ""
                node = self.old.child(old, status)
                self.out.add(
                    f"response_{success}status_removed",
                    f"status {status} removed",
                    op,
                    "responses",
                    node,
                    new,
                    status=str(status),
                )
        for status in new.dict:
            if status not in old.dict:
                success = "success_" if str(status).startswith("2") else ""
                node = self.new.child(new, status)
                self.out.add(
                    f"response_{success}status_added",
                    f"status {status} added",
                    op,
                    "responses",
                    old,
                    node,
                )
                continue
            was, now = self.old.child(old, status), self.new.child(new, status)
            errors = not str(status).startswith(("1", "2", "3"))
            self.content(op, "response", was, now, f"response {status}", errors)
            self.headers(op, status, was, now)

    def headers(self, op: str, status: str, old: Node, new: Node) -> None:
        old_headers, new_headers = self.old.child(old, "headers"), self.new.child(new, "headers")
        before = {str(k).lower(): k for k in old_headers.dict}
        after = {str(k).lower(): k for k in new_headers.dict}
        for name, raw in before.items():
            was = self.old.child(old_headers, raw)
            label = f"response {status} header `{raw}`"
            required = was.dict.get("required") is True
            if name not in after:
                rule = (
                    "required_response_header_removed"
                    if required
                    else "optional_response_header_removed"
                )
                self.out.add(rule, "removed", op, label, was, new)
                continue
            now = self.new.child(new_headers, after[name])
            if required and now.dict.get("required") is not True:
                self.out.add(
                    "response_header_became_optional", "no longer required", op, label, was, now
                )
            schemas = self.old.child(was, "schema"), self.new.child(now, "schema")
            self.attribute(self.schemas.compare("response", *schemas), op, label)
        for name, raw in after.items():
            if name not in before:
                now = self.new.child(new_headers, raw)
                self.out.add(
                    "response_header_added",
                    "added",
                    op,
                    f"response {status} header `{raw}`",
                    old,
                    now,
                )
