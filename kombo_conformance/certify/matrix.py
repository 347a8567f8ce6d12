"""The certification matrix: one cell per (connector, operation), a verdict per connector.

A cell's status comes from what the target answered (its :class:`Evidence`) and what the
checks found, compared with what the connector's profile declares (the profile the target's
own declaration makes, when it gave one: :mod:`kombo_conformance.learn`):

* declared operation: ``declared-not-working`` if any answer was
  ``INTEGRATION.*_NOT_AVAILABLE``, or none was a 2xx and some were errors other than a 4xx
  ``PLATFORM.*`` rejection of the input (5xx, ``REMOTE.*``, non-JSON, ...); else ``failed``
  if a check reported an ``error`` finding; else ``certified``. (A declared operation whose
  every request was rejected as invalid input, e.g. a 404 for an id the suite could not
  find, did process the request: its evidence shows it was never served.)
* undeclared operation: ``undeclared-working`` if any answer was a 2xx; else ``failed`` if
  a check reported an ``error`` finding (the ``availability`` check objects to an answer
  other than ``INTEGRATION.*_NOT_AVAILABLE``, ``PLATFORM.*`` aside); else ``unsupported``.
  An operation outside the connector's use cases may be refused before availability is
  considered (e.g. a 404 for an LMS path on an ATS integration): still ``unsupported``.

* no request of the operation reached the target (writes not allowed on a live target, or
  the operation stopped answering): ``not run``. It neither passes nor fails; a connector
  whose other cells all pass is ``partly judged``, never ``certified``.

Every cell that does not pass (``not run`` aside) carries at least one failing finding (one
is synthesized, with the check ``certification``, when no check produced one), so the
baseline can accept any non-passing cell by fingerprint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding

CellStatus = Literal[
    "certified", "failed", "unsupported", "declared-not-working", "undeclared-working", "not run"
]
STATUSES: tuple[CellStatus, ...] = (
    "certified",
    "failed",
    "unsupported",
    "declared-not-working",
    "undeclared-working",
    "not run",
)
PASSING: frozenset[str] = frozenset({"certified", "unsupported"})
CERTIFICATION_CHECK = "certification"
DECLARED_CHECK = "declared_coverage"  # the target's declaration contradicted (certify.declared)
NOT_AVAILABLE = re.compile(r"INTEGRATION\.\w+_NOT_AVAILABLE")

Verdict = Literal["certified", "partly judged", "baselined", "not certified"]


@dataclass
class Evidence:
    """How the target answered one operation for one connector."""

    requests: int = 0
    served: int = 0  # 2xx
    not_available: int = 0  # INTEGRATION.*_NOT_AVAILABLE
    rejected: int = 0  # 4xx PLATFORM.*: the input was refused (invalid, unknown id, auth)
    errors: int = 0  # anything else: 5xx, other codes, no JSON error envelope

    def add(self, exchange: Exchange) -> None:
        self.requests += 1
        code = exchange.error_code or ""
        if 200 <= exchange.status < 300:
            self.served += 1
        elif NOT_AVAILABLE.fullmatch(code):
            self.not_available += 1
        elif 400 <= exchange.status < 500 and code.startswith("PLATFORM."):
            self.rejected += 1
        else:
            self.errors += 1

    def describe(self) -> str:
        return (
            f"{self.requests} requests: {self.served} served (2xx), {self.not_available} "
            f"INTEGRATION.*_NOT_AVAILABLE, {self.rejected} rejected as invalid (4xx "
            f"PLATFORM.*), {self.errors} other errors"
        )


@dataclass
class Cell:
    """One connector x operation result; ``findings`` are its failing findings. ``declared``
    is the claim (available or not), ``claim`` says whose and what (the target's
    declaration, e.g. ``ats_jobs: SUPPORTED, available``, or the hand profile), ``status``
    what was verified."""

    connector: str
    operation: str
    declared: bool
    status: CellStatus
    evidence: Evidence
    findings: list[Finding] = field(default_factory=list)
    baselined: frozenset[str] = frozenset()  # fingerprints the baseline accepts
    claim: str = ""

    @property
    def passed(self) -> bool:
        return self.status in PASSING

    @property
    def contradicts_declaration(self) -> bool:
        """The evidence here contradicts the target's declaration (availability or fields)."""
        return any(f.check == DECLARED_CHECK for f in self.findings)

    @property
    def new_findings(self) -> list[Finding]:
        """Failing findings the baseline does not accept: these fail the gate."""
        return [f for f in self.findings if f.fingerprint not in self.baselined]

    @property
    def gate_passed(self) -> bool:
        return self.passed or not self.new_findings


@dataclass
class ConnectorResult:
    """All cells of one connector, its field coverage and its verdict."""

    slug: str
    name: str
    cells: list[Cell]
    coverage: list[Any] = field(default_factory=list)  # coverage.ModelCoverage
    declared: Any = None  # declared.DeclaredCoverage: claimed vs verified, when learned

    def count(self, status: str) -> int:
        return sum(c.status == status for c in self.cells)

    @property
    def certified(self) -> bool:
        return all(c.passed for c in self.cells)

    @property
    def gate_passed(self) -> bool:
        return all(c.gate_passed for c in self.cells)

    @property
    def verdict(self) -> Verdict:
        if self.certified:
            return "certified"
        if all(c.passed or c.status == "not run" for c in self.cells):
            return "partly judged"
        return "baselined" if self.gate_passed else "not certified"

    @property
    def reason(self) -> str:
        declared = sum(c.declared for c in self.cells)
        if self.certified:
            return (
                f"all {declared} declared operations certified; "
                f"{self.count('unsupported')} unsupported as declared"
            )
        failing = [c for c in self.cells if not c.passed]
        listed = "; ".join(f"{c.operation}: {c.status}" for c in failing[:3])
        more = f"; +{len(failing) - 3} more" if len(failing) > 3 else ""
        if self.verdict == "partly judged":
            return (
                f"{len(failing)} cells not run (nothing reached the target: writes not allowed "
                f"or the operation stopped answering); every other cell passes"
            )
        if self.gate_passed:
            return f"{len(failing)} cells not certified, every finding baselined ({listed}{more})"
        return f"{len(failing)} cells not certified ({listed}{more})"


def _synthesized(connector: str, operation: str, status: str, evidence: Evidence) -> Finding:
    return Finding(
        check=CERTIFICATION_CHECK,
        message=f"{status}: {evidence.describe()}",
        connector=connector,
        operation=operation,
        pointer=status,
    )


def status_of(declared: bool, evidence: Evidence, failing: Sequence[Finding]) -> CellStatus:
    """The classification rules of the module docstring."""
    if not evidence.requests and not failing:
        return "not run"
    if declared:
        if evidence.not_available or not (evidence.served or evidence.rejected):
            return "declared-not-working"
        return "failed" if failing else "certified"
    if evidence.served:
        return "undeclared-working"
    return "failed" if failing else "unsupported"


def classify(
    connector: str,
    operation: str,
    declared: bool,
    evidence: Evidence,
    findings: Iterable[Finding],
    claim: str = "",
) -> Cell:
    """A cell from the evidence and the findings (only failing ones are kept)."""
    failing = [f for f in findings if f.fails]
    status = status_of(declared, evidence, failing)
    if status not in PASSING and status != "not run" and not failing:
        failing = [_synthesized(connector, operation, status, evidence)]
    return Cell(connector, operation, declared, status, evidence, failing, claim=claim)
