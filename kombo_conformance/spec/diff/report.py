"""Changes as :class:`~kombo_conformance.findings.Finding` records."""

from __future__ import annotations

from collections import Counter
from typing import Any

from kombo_conformance.contract import Contract
from kombo_conformance.findings import Finding, Severity
from kombo_conformance.spec.diff.catalogue import BREAKING, POTENTIAL, SAFE, Impact
from kombo_conformance.spec.diff.model import Change

SEVERITY_OF: dict[Impact, Severity] = {
    BREAKING: "error",
    POTENTIAL: "warning",
    SAFE: "observation",
}


def recorded_details(change: Change) -> dict[str, Any]:
    """``{"connectors": {connector: [cassette#index, ...]}, "interactions": n}``."""
    connectors: dict[str, list[str]] = {}
    for connector, source in change.recorded or ():
        connectors.setdefault(connector, []).append(source)
    return {
        "connectors": dict(sorted(connectors.items())),
        "interactions": len(change.recorded or ()),
    }


def recorded_text(change: Change) -> str:
    """E.g. ``recorded traffic of 2 connectors: greenhouse (1), workday (3)``."""
    if change.recorded is None:
        return ""
    counts = Counter(connector for connector, _ in change.recorded)
    if not counts:
        return "no recorded interaction exercises it"
    listed = ", ".join(f"{name} ({count})" for name, count in sorted(counts.items()))
    plural = "s" if len(counts) > 1 else ""
    return f"recorded traffic of {len(counts)} connector{plural}: {listed}"


def to_findings(changes: list[Change], old: Contract, new: Contract) -> list[Finding]:
    """Breaking = error, potentially breaking = warning, safe = observation; ``pointer`` is
    the new side's (the old one's for removals), ``operation`` the first affected one."""
    findings = []
    for change in changes:
        side, ptr = (new, change.new_pointer) if change.new_pointer else (old, change.old_pointer)
        source = side.source_of(ptr or "/")
        traffic = recorded_text(change)
        details = change.details | {
            "impact": change.impact,
            "change": change.summary,
            "old_pointer": change.old_pointer,
            "new_pointer": change.new_pointer,
            "operations": list(change.operations),
            "operation_count": len(change.operations),
            "where": list(change.where),
        }
        if change.recorded is not None:
            details["recorded"] = recorded_details(change)
        findings.append(
            Finding(
                check=change.kind,
                message=f"{change.impact}: {change.message}" + (f"; {traffic}" if traffic else ""),
                severity=SEVERITY_OF[change.impact],
                operation=change.operation,
                pointer=ptr,
                source=str(source) if source else None,
                details=details,
            )
        )
    return findings
