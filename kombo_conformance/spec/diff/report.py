"""Changes as :class:`~kombo_conformance.findings.Finding` records."""

from __future__ import annotations

from kombo_conformance.contract import Contract
from kombo_conformance.findings import Finding, Severity
from kombo_conformance.spec.diff.catalogue import BREAKING, POTENTIAL, SAFE, Impact
from kombo_conformance.spec.diff.model import Change

SEVERITY_OF: dict[Impact, Severity] = {
    BREAKING: "error",
    POTENTIAL: "warning",
    SAFE: "observation",
}


def to_findings(changes: list[Change], old: Contract, new: Contract) -> list[Finding]:
    """Breaking = error, potentially breaking = warning, safe = observation; ``pointer`` is
    the new side's (the old one's for removals), ``operation`` the first affected one."""
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
                    "operations": list(change.operations),
                    "operation_count": len(change.operations),
                    "where": list(change.where),
                },
            )
        )
    return findings
