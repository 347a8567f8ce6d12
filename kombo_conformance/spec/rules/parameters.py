"""Parameters shared by name across operations must mean the same thing everywhere."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from kombo_conformance.spec.canonical import canonical
from kombo_conformance.spec.context import Issue, LintContext


def _signature(parameter: dict[str, Any]) -> str:
    return canonical(
        {"required": bool(parameter.get("required")), "schema": parameter.get("schema")}
    )


def inconsistent_shared_parameter(ctx: LintContext) -> Iterator[Issue]:
    """The same ``in``/``name`` parameter with different schemas in different operations."""
    uses: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for key, op in ctx.contract.operations.items():
        for i, param in enumerate(op.definition.get("parameters") or []):
            if isinstance(param, dict) and param.get("in") != "path":
                where = (param.get("in", ""), param.get("name", ""))
                uses[where][_signature(param)].append((key, f"{op.pointer}/parameters/{i}"))
    for (place, name), variants in uses.items():
        if len(variants) < 2:
            continue
        ordered = sorted(variants.values(), key=len, reverse=True)
        usual = ordered[0]
        for odd in ordered[1:]:
            for key, ptr in odd:
                yield Issue(
                    ptr,
                    f"{place} parameter {name!r} differs from its definition in "
                    f"{len(usual)} other operation(s) such as {usual[0][0]}",
                    severity="warning",
                    operation=key,
                    details={"usual": usual[0][1]},
                )
