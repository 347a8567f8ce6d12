"""Terminal output shared by ``lint`` and ``diff``: one line per finding, then counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kombo_conformance.findings import SEVERITIES, Case, Finding, Outcome

PLURAL = {"error": "errors", "warning": "warnings", "advisory": "advisories",
          "observation": "observations"}  # fmt: skip


def finding_line(finding: Finding) -> str:
    """``severity rule pointer: message`` (suppressed findings say so instead of a severity)."""
    label = "suppressed" if "suppressed" in finding.details else finding.severity
    return f"{label} {finding.check} {finding.pointer or '/'}: {finding.message}"


def counts_line(findings: Sequence[Finding]) -> str:
    """E.g. ``3 findings: 1 error, 2 warnings (1 declared erratum); 4 suppressed``."""
    suppressed = sum("suppressed" in f.details for f in findings)
    by_severity = Counter(f.severity for f in findings if "suppressed" not in f.details)
    errata = sum("erratum" in f.details for f in findings)
    parts = [f"{by_severity[s]} {PLURAL[s] if by_severity[s] != 1 else s}" for s in SEVERITIES]
    line = f"{len(findings) - suppressed} findings: " + ", ".join(parts)
    if errata:
        line += f" ({errata} from declared errata)"
    return line + f"; {suppressed} suppressed"


def print_summary(findings: Iterable[Finding], headline: str, *, verbose: bool = False) -> None:
    """Each finding on a line (suppressed ones only when verbose; reports list them all)."""
    findings = list(findings)
    for finding in findings:
        if verbose or "suppressed" not in finding.details:
            print(finding_line(finding))
    print(counts_line(findings))
    print(headline)


def outcome(
    command: str,
    findings: list[Finding],
    cases: list[Case],
    started: datetime,
    meta: dict[str, Any],
) -> Outcome:
    """The Outcome handed to the shared report writers."""
    now = datetime.now(UTC)
    return Outcome(
        command=command,
        findings=findings,
        cases=cases,
        started_at=started.isoformat(timespec="seconds").replace("+00:00", "Z"),
        duration_s=round((now - started).total_seconds(), 3),
        meta=meta,
    )


def write(result: Outcome, report_dir: str | None) -> Path:
    """Write report.json, junit.xml, summary.md (and html) with the shared writers."""
    from kombo_conformance.report import default_report_dir, write_reports

    directory = Path(report_dir) if report_dir else default_report_dir()
    write_reports(result, directory)
    return directory
