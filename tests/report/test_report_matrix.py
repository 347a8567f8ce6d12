"""The run's matrix: each (connector, operation) cell takes the worst verdict of its cases
and findings (error > warning > inconclusive > not run > passed; none when nothing
applied); advisories and observations do not colour a cell."""

from __future__ import annotations

import pytest

from kombo_conformance.findings import Case, Finding, Outcome
from kombo_conformance.report.matrix import run_matrix
from kombo_conformance.report.results import case_results

OP = "GET /ats/jobs"


def _case(check: str, verdict: str = "passed") -> Case:
    return Case("acme", OP, check, verdict)  # type: ignore[arg-type]


def _finding(check: str, severity: str) -> Finding:
    return Finding(check, "m", severity, "acme", OP)  # type: ignore[arg-type]


def _verdict(cases: list[Case], findings: list[Finding]) -> str | None:
    matrix = run_matrix(case_results(Outcome("run", findings=findings, cases=cases)))
    cell = matrix.cell("acme", OP)
    assert cell is not None
    return cell.verdict


@pytest.mark.parametrize(
    ("cases", "findings", "verdict"),
    [
        # an error finding fails its case, whatever else the cell has
        (
            [_case("a", "inconclusive"), _case("b", "not run"), _case("c")],
            [_finding("c", "error"), _finding("a", "warning")],
            "error",
        ),
        # a warning on a passed case beats an inconclusive case
        ([_case("a", "inconclusive"), _case("b")], [_finding("b", "warning")], "warning"),
        ([_case("a", "inconclusive"), _case("b", "not run"), _case("c")], [], "inconclusive"),
        ([_case("a", "not run"), _case("b"), _case("c", "not applicable")], [], "not run"),
        ([_case("a"), _case("b", "not applicable")], [], "passed"),
        # advisories and observations are reported, never colour the cell
        ([_case("a")], [_finding("a", "advisory"), _finding("b", "observation")], "passed"),
        ([_case("a", "not applicable"), _case("b", "not applicable")], [], None),
        # a finding without a recorded case implies a passed case
        ([], [_finding("x", "observation")], "passed"),
    ],
)
def test_cell_takes_the_worst_verdict(cases, findings, verdict) -> None:
    assert _verdict(cases, findings) == verdict


def test_one_cell_per_pair_with_cases_and_contract_named() -> None:
    outcome = Outcome(
        "run",
        cases=[Case("bolt", "POST /ats/candidates", "c"), Case("acme", OP, "c", "not run")],
        findings=[Finding("lint", "m", "warning")],
    )
    matrix = run_matrix(case_results(outcome))
    assert matrix.connectors == ("acme", "bolt", "contract")
    assert matrix.operations == ("", OP, "POST /ats/candidates")
    assert set(matrix.cells) == {("acme", OP), ("bolt", "POST /ats/candidates"), ("contract", "")}
    assert matrix.cell("acme", "POST /ats/candidates") is None
    assert matrix.cell("contract", "").verdict == "warning"  # type: ignore[union-attr]
    assert matrix.cell("acme", OP).cases == 1  # type: ignore[union-attr]
