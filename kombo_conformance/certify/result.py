"""A whole certification: the matrix of every connector, the baseline gate and the exit code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from kombo_conformance.certify.baseline import Baseline, Entry
from kombo_conformance.certify.matrix import ConnectorResult
from kombo_conformance.findings import Finding

EXIT_OK, EXIT_FAILED = 0, 1


@dataclass
class Certification:
    connectors: list[ConnectorResult]
    operations: list[str]
    meta: dict[str, Any] = field(default_factory=dict)  # public: never the API key
    stale: list[Entry] = field(default_factory=list)
    expired: list[Entry] = field(default_factory=list)
    baseline_file: str | None = None

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
    def exit_code(self) -> int:
        return EXIT_OK if self.gate_passed else EXIT_FAILED

    def headline(self) -> str:
        certified = sum(c.certified for c in self.connectors)
        baselined = sum(c.verdict == "baselined" for c in self.connectors)
        word = "PASSED" if self.gate_passed else "FAILED"
        return (
            f"{word}: {certified}/{len(self.connectors)} connectors certified, "
            f"{baselined} passing on the baseline, {len(self.new_findings)} new failing "
            f"findings, {len(self.stale)} stale baseline entries; exit code {self.exit_code}"
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
