"""A whole certification: the matrix of every connector, the baseline gate and the exit code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from kombo_conformance.certify.baseline import Baseline, Entry
from kombo_conformance.certify.matrix import ConnectorResult
from kombo_conformance.findings import Finding
from kombo_conformance.report.groups import group_id, group_key
from kombo_conformance.report.results import plural

EXIT_OK, EXIT_FAILED = 0, 1


@dataclass
class Certification:
    connectors: list[ConnectorResult]
    operations: list[str]
    meta: dict[str, Any] = field(default_factory=dict)  # public: never the API key
    stale: list[Entry] = field(default_factory=list)
    expired: list[Entry] = field(default_factory=list)
    baseline_file: str | None = None
    # --fail-on new: the ids of the groups --compare marked new; only they can fail the gate
    new_groups: frozenset[str] | None = None

    @property
    def cells(self):
        return [cell for connector in self.connectors for cell in connector.cells]

    @property
    def findings(self) -> list[Finding]:
        return [f for cell in self.cells for f in cell.findings]

    @property
    def new_findings(self) -> list[Finding]:
        return [f for cell in self.cells for f in cell.new_findings]

    @property
    def scope(self) -> set[tuple[str, str]]:
        """The (connector, operation) pairs this certification covered."""
        return {(c.connector, c.operation) for c in self.cells}

    @property
    def gate_passed(self) -> bool:
        return all(c.gate_passed for c in self.connectors)

    @property
    def failing_new_groups(self) -> set[str]:
        """Under ``--fail-on new``: the new groups with a failing finding the baseline does
        not accept (empty otherwise)."""
        if self.new_groups is None:
            return set()
        return {group_id(*group_key(f)) for f in self.new_findings} & self.new_groups

    @property
    def exit_code(self) -> int:
        """1 when the gate fails; under ``--fail-on new`` only when a new group fails it."""
        if self.new_groups is not None:
            return EXIT_FAILED if self.failing_new_groups else EXIT_OK
        return EXIT_OK if self.gate_passed else EXIT_FAILED

    def headline(self) -> str:
        certified = sum(c.certified for c in self.connectors)
        baselined = sum(c.verdict == "baselined" for c in self.connectors)
        word = "FAILED" if self.exit_code else "PASSED"
        gate = ""
        if self.new_groups is not None:
            failing = plural(len(self.failing_new_groups), "new failing group")
            gate = f" (--fail-on new: {failing})"
        return (
            f"{word}: {certified}/{len(self.connectors)} connectors certified, "
            f"{baselined} passing on the baseline, {len(self.new_findings)} new failing "
            f"findings, {len(self.stale)} stale baseline entries; exit code {self.exit_code}"
            f"{gate}"
        )


def apply_baseline(
    certification: Certification, baseline: Baseline | None, today: dt.date
) -> Certification:
    """Mark the findings the baseline accepts and list its stale and expired entries."""
    if baseline is None:
        for cell in certification.cells:
            cell.baselined = frozenset()
        return replace(certification, stale=[], expired=[], baseline_file=None)
    for cell in certification.cells:
        cell.baselined = frozenset(
            f.fingerprint for f in cell.findings if baseline.accepts(f.fingerprint, today)
        )
    occurring = {f.fingerprint for f in certification.findings}
    return replace(
        certification,
        stale=baseline.stale(occurring, certification.scope),
        expired=baseline.expired(today),
        baseline_file=str(baseline.path) if baseline.path else None,
    )
