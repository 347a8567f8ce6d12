"""Consistency of the contract with a published capability listing (``--capability``),
both ways, on the surface (use cases) the listing covers."""

from __future__ import annotations

from collections.abc import Iterator

from kombo_conformance.contract import pointer
from kombo_conformance.spec.context import Issue, LintContext


def capability_truncated(ctx: LintContext) -> Iterator[Issue]:
    """The listing was cut off: say how much of it was compared."""
    cap = ctx.capability
    if cap is None or not cap.truncated:
        return
    declared = f" of {cap.declared} declared" if cap.declared else ""
    yield Issue(
        "",
        f"capability listing is truncated ({cap.note or 'fewer operations than declared'}): "
        f"compared the {len(cap.operations)}{declared} operations it holds; the last one "
        "may lack parameters",
        severity="advisory",
        source=str(cap.source),
        details={"parsed": len(cap.operations), "declared": cap.declared},
    )


def capability_operations(ctx: LintContext) -> Iterator[Issue]:
    """Operations listed in the capability but not in the contract, and the reverse."""
    cap = ctx.capability
    if cap is None:
        return
    ops = ctx.contract.operations
    for key, listed in cap.by_key.items():
        if key not in ops:
            yield Issue(
                pointer.join("paths", listed.path, listed.method.lower()),
                f"capability lists {key} (line {listed.line}) but the contract has no such "
                "operation",
                operation=key,
                source=str(cap.source),
                details={"direction": "capability-only", "line": listed.line},
            )
    listed_keys = cap.by_key.keys()
    for key, op in ops.items():
        if op.use_case in cap.use_cases and key not in listed_keys:
            maybe = " (the listing is truncated; it may be in the missing part)"
            yield Issue(
                op.pointer,
                f"contract operation {key} is not in the capability listing"
                + (maybe if cap.truncated else ""),
                severity="advisory" if cap.truncated else "warning",
                operation=key,
                details={"direction": "contract-only"},
            )


def capability_query_parameters(ctx: LintContext) -> Iterator[Issue]:
    """Query parameters of an operation in both, listed on one side only."""
    cap = ctx.capability
    if cap is None:
        return
    for key, listed in cap.by_key.items():
        op = ctx.contract.operations.get(key)
        if op is None:
            continue
        ours = op.conventions.query_parameters.keys()
        for name in listed.query_parameters:
            if name not in ours:
                yield Issue(
                    f"{op.pointer}/parameters",
                    f"capability lists query parameter {name!r} for {key} (line "
                    f"{listed.line}); the contract does not accept it",
                    operation=key,
                    details={"direction": "capability-only", "parameter": name},
                )
        if not listed.complete:
            continue  # cut off mid-operation: its missing parameters prove nothing
        for name in ours:
            if name not in listed.query_parameters:
                yield Issue(
                    f"{op.pointer}/parameters",
                    f"contract query parameter {name!r} of {key} is not in the capability listing",
                    severity="warning",
                    operation=key,
                    details={"direction": "contract-only", "parameter": name},
                )
