"""Security requirements (the operation's, else the document's) and the schemes they use.

A requirement list is a set of alternatives, each naming schemes with scopes. Schemes are
matched by name, or by content when renamed; a scheme changed under its name is one change
listing every operation using it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kombo_conformance.spec.canonical import canonical
from kombo_conformance.spec.diff.model import Node, Side

if TYPE_CHECKING:
    from kombo_conformance.spec.diff.operations import OperationDiffer

Alternative = frozenset[tuple[str, frozenset[str]]]
LABEL = "security"


def _requirements(side: Side, op: Node) -> tuple[Node, set[Alternative]]:
    node = side.child(op, "security") if "security" in op.dict else side.find("/security")
    alternatives = set()
    for entry in node.value if isinstance(node.value, list) else []:
        if isinstance(entry, dict):
            alternatives.add(frozenset((k, frozenset(v or [])) for k, v in entry.items()))
    return node, alternatives


def _names(alternative: Alternative) -> list[str]:
    return sorted(name for name, _ in alternative)


def _requires(alternatives: set[Alternative]) -> bool:
    """True if every alternative names a scheme (``{}`` makes authentication optional)."""
    return bool(alternatives) and all(alternatives)


def _renames(differ: OperationDiffer, op: str, used: set[str]) -> dict[str, str]:
    """Old scheme name -> new one; reports schemes changed under their own name."""
    old, new = (side.find("/components/securitySchemes") for side in (differ.old, differ.new))
    by_content = {
        canonical(differ.new.contract.resolve(value)): name for name, value in new.dict.items()
    }
    renames = {}
    for name in sorted(used):
        was = differ.old.child(old, name)
        meaning = canonical(differ.old.contract.resolve(was.value))
        if name in new.dict:
            now = differ.new.child(new, name)
            if canonical(differ.new.contract.resolve(now.value)) != meaning:
                differ.out.add(
                    "security_scheme_changed", f"scheme `{name}` changed", op, LABEL, was, now
                )
        elif meaning in by_content:
            renames[name] = by_content[meaning]
    return renames


def security_changes(differ: OperationDiffer, op: str, old_op: Node, new_op: Node) -> None:
    """Requirements added, removed or given other scopes; schemes changed."""
    old_node, before = _requirements(differ.old, old_op)
    new_node, after = _requirements(differ.new, new_op)
    renames = _renames(differ, op, {name for alt in before for name, _ in alt})
    before = {frozenset((renames.get(n, n), s) for n, s in alt) for alt in before}
    if before == after:
        return
    if not _requires(before) or not _requires(after):
        if _requires(before) != _requires(after):
            rule = "security_added" if _requires(after) else "security_removed"
            differ.out.add(rule, rule.replace("_", " "), op, LABEL, old_node, new_node)
        return
    added = set(after - before)
    for alt in sorted(before - after, key=_names):
        names = {name for name, _ in alt}
        twin = next((a for a in added if {name for name, _ in a} == names), None)
        if twin is None:
            shown = ", ".join(sorted(names))
            differ.out.add(
                "security_requirement_removed",
                f"requirement {shown} removed",
                op,
                LABEL,
                old_node,
                new_node,
            )
            continue
        added.discard(twin)
        old_scopes = {s for _, scopes in alt for s in scopes}
        new_scopes = {s for _, scopes in twin for s in scopes}
        for rule, scopes in (
            ("security_scopes_added", new_scopes - old_scopes),
            ("security_scopes_removed", old_scopes - new_scopes),
        ):
            if scopes:
                message = (
                    f"scopes {'added' if rule.endswith('added') else 'removed'}: {sorted(scopes)}"
                )
                differ.out.add(rule, message, op, LABEL, old_node, new_node)
    for alt in sorted(added, key=_names):
        shown = ", ".join(sorted(name for name, _ in alt))
        differ.out.add(
            "security_requirement_added",
            f"requirement {shown} added",
            op,
            LABEL,
            old_node,
            new_node,
        )
