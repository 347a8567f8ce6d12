"""The shared grouping every writer uses: cases, connectors, operations, headline."""

from __future__ import annotations

from kombo_conformance.findings import Case, Finding, Outcome
from kombo_conformance.report.results import (
    by_connector,
    case_results,
    connector_summaries,
    headline,
    operation_summaries,
    ordered_findings,
    severity_counts,
)


def test_findings_without_a_case_get_one_and_cases_are_deduplicated(outcome: Outcome) -> None:
    outcome.cases.append(Case("greenhouse", "GET /ats/jobs", "schema"))  # recorded twice
    results = case_results(outcome)
    keys = [(r.case.connector, r.case.operation, r.case.check) for r in results]
    assert keys == sorted(set(keys)) and len(keys) == 7
    assert ("workday", "POST /ats/candidates", "read-after-write") in keys
    assert ("", "", "example-valid") in keys
    failed = {(r.case.connector, r.case.check) for r in results if r.failed}
    assert failed == {("greenhouse", "schema"), ("workday", "read-after-write")}


def test_warnings_are_notes_and_do_not_fail_a_case(outcome: Outcome) -> None:
    (pagination,) = [r for r in case_results(outcome) if r.case.check == "pagination"]
    assert not pagination.failed
    assert [f.message for f in pagination.notes] == ["next cursor repeats a page"]


def test_connector_and_operation_summaries(outcome: Outcome) -> None:
    results = case_results(outcome)
    rows = [
        (s.connector, s.operations, s.checks, s.failed, s.findings)
        for s in connector_summaries(results)
    ]
    assert rows == [
        ("contract", 1, 1, 0, 1),
        ("greenhouse", 2, 3, 1, 2),
        ("workday", 2, 3, 1, 2),
    ]
    ops = operation_summaries(by_connector(results)["greenhouse"])
    assert [(o.operation, o.passed, o.failed, o.findings, o.failing_checks) for o in ops] == [
        ("GET /ats/jobs", 1, 1, 2, ("schema",)),
        ("POST /ats/candidates", 1, 0, 0, ()),
    ]


def test_severity_counts_order_and_headline(outcome: Outcome) -> None:
    assert severity_counts(outcome.findings) == {
        "error": 3,
        "warning": 1,
        "advisory": 1,
        "observation": 0,
    }
    assert [f.severity for f in ordered_findings(outcome.findings)] == [
        "error",
        "error",
        "error",
        "warning",
        "advisory",
    ]
    assert headline(outcome) == (
        "FAILED: 3 errors, 1 warning, 1 advisory in 7 cases (2 failed), exit code 1"
    )


def test_headline_of_a_clean_run() -> None:
    clean = Outcome("lint", findings=[Finding("x", "y", severity="observation")])
    assert headline(clean) == "PASSED: 1 observation in 1 case (0 failed), exit code 0"
