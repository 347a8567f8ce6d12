"""Grouping shared by every writer: findings by (connector, operation, check) case.

A case that ran without findings passed; a case with at least one failing (``error``)
finding failed; findings whose case was not recorded still get a case of their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import astuple, dataclass
from typing import Any

from kombo_conformance.findings import SEVERITIES, Case, Finding, Outcome

CONTRACT_SUITE = "contract"


def suite_name(connector: str) -> str:
    """How a connector is named in reports: findings about the contract itself use "contract"."""
    return connector or CONTRACT_SUITE


def case_key(item: Case | Finding) -> tuple[str, str, str]:
    return (item.connector, item.operation, item.check)


@dataclass(frozen=True)
class CaseResult:
    case: Case
    findings: tuple[Finding, ...] = ()

    @property
    def failures(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.fails)

    @property
    def notes(self) -> tuple[Finding, ...]:
        """Warnings, advisories and observations: reported, never failing."""
        return tuple(f for f in self.findings if not f.fails)

    @property
    def failed(self) -> bool:
        return bool(self.failures)


@dataclass(frozen=True)
class ConnectorSummary:
    """One row of the connector table that every format shows."""

    connector: str
    operations: int
    checks: int
    failed: int
    findings: int


@dataclass(frozen=True)
class OperationSummary:
    operation: str
    passed: int
    failed: int
    findings: int
    failing_checks: tuple[str, ...]


def case_results(outcome: Outcome) -> list[CaseResult]:
    """One result per distinct case (recorded or implied by a finding), sorted."""
    grouped: dict[tuple[str, str, str], list[Finding]] = {case_key(c): [] for c in outcome.cases}
    for finding in outcome.findings:
        grouped.setdefault(case_key(finding), []).append(finding)
    return [
        CaseResult(Case(*key), tuple(ordered_findings(findings)))
        for key, findings in sorted(grouped.items())
    ]


def by_connector(results: Iterable[CaseResult]) -> dict[str, list[CaseResult]]:
    """Results grouped by connector slug, in sorted order ("" first)."""
    grouped: dict[str, list[CaseResult]] = {}
    for result in results:
        grouped.setdefault(result.case.connector, []).append(result)
    return dict(sorted(grouped.items()))


def connector_summaries(results: Iterable[CaseResult]) -> list[ConnectorSummary]:
    return [
        ConnectorSummary(
            connector=suite_name(connector),
            operations=len({r.case.operation for r in group}),
            checks=len(group),
            failed=sum(r.failed for r in group),
            findings=sum(len(r.findings) for r in group),
        )
        for connector, group in by_connector(results).items()
    ]


CONNECTOR_COLUMNS = ("connector", "operations", "checks", "failed", "findings")


def connector_table(results: Iterable[CaseResult]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    """Headers and rows of the connector table (connector | operations | checks | ...)."""
    return CONNECTOR_COLUMNS, [astuple(s) for s in connector_summaries(results)]


def operation_summaries(results: Iterable[CaseResult]) -> list[OperationSummary]:
    """Per operation of one connector's results: checks passed/failed and findings."""
    grouped: dict[str, list[CaseResult]] = {}
    for result in results:
        grouped.setdefault(result.case.operation, []).append(result)
    return [
        OperationSummary(
            operation=operation,
            passed=sum(not r.failed for r in group),
            failed=sum(r.failed for r in group),
            findings=sum(len(r.findings) for r in group),
            failing_checks=tuple(r.case.check for r in group if r.failed),
        )
        for operation, group in sorted(grouped.items())
    ]


def ordered_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by connector, operation and check (stable otherwise)."""
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (rank.get(f.severity, len(rank)), *case_key(f)))


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    return {severity: counts.get(severity, 0) for severity in SEVERITIES}


def verdict(outcome: Outcome) -> str:
    return "FAILED" if outcome.failed else "PASSED"


def headline(outcome: Outcome, results: list[CaseResult] | None = None) -> str:
    """``FAILED: 2 errors, 1 warning in 10 cases (2 failed), exit code 1``."""
    results = case_results(outcome) if results is None else results
    counts = severity_counts(outcome.findings)
    found = ", ".join(_plural(n, s) for s, n in counts.items() if n) or "no findings"
    failed = sum(r.failed for r in results)
    return (
        f"{verdict(outcome)}: {found} in {_plural(len(results), 'case')} ({failed} failed), "
        f"exit code {outcome.exit_code}"
    )


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"
