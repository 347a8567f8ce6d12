"""The shared grouping every writer uses: cases, verdicts, connectors, operations, headline."""

from __future__ import annotations

import pytest

from kombo_conformance.findings import Case, Finding, Outcome
from kombo_conformance.report.results import (
    by_connector,
    case_results,
    case_sections,
    changes_table,
    connector_summaries,
    headline,
    merge_cases,
    operation_summaries,
    ordered_findings,
    reason_groups,
    record_changes,
    run_facts,
    run_verdict,
    severity_counts,
    tally,
    verdict_counts,
)
from tests.report.conftest import BOUNDED, RATE_LIMITED, STOPPED

HEADLINE = (
    "FAILED: 3 errors, 1 warning, 1 advisory in 13 cases (5 passed, 1 bounded, 2 failed, "
    "2 not run, 2 inconclusive, 1 not applicable), exit code 1"
)


def test_findings_without_a_case_get_one_and_cases_are_deduplicated(outcome: Outcome) -> None:
    outcome.cases.append(Case("greenhouse", "GET /ats/jobs", "schema"))  # recorded twice
    results = case_results(outcome)
    keys = [(r.case.connector, r.case.operation, r.case.check) for r in results]
    assert keys == sorted(set(keys)) and len(keys) == 13
    assert ("workday", "POST /ats/candidates", "read-after-write") in keys
    assert ("", "", "example-valid") in keys
    failed = {(r.case.connector, r.case.check) for r in results if r.failed}
    assert failed == {("greenhouse", "schema"), ("workday", "read-after-write")}


def test_recorded_verdicts_notes_and_bounds_are_kept(outcome: Outcome) -> None:
    results = {(r.case.connector, r.case.operation, r.case.check): r for r in case_results(outcome)}
    bounded = results[("greenhouse", "GET /ats/jobs", "pagination")]
    assert (bounded.verdict, bounded.bounded, bounded.note) == ("passed", True, BOUNDED)
    stopped = results[("workday", "POST /ats/candidates", "idempotency")]
    assert (stopped.verdict, stopped.note, stopped.failed) == ("not run", STOPPED, False)
    assert results[("greenhouse", "GET /ats/jobs", "filters")].verdict == "inconclusive"
    assert results[("greenhouse", "POST /ats/candidates", "pagination")].tally == "not applicable"


def test_an_error_finding_fails_a_case_whatever_it_recorded() -> None:
    outcome = Outcome(
        "run",
        cases=[Case("a", "GET /x", "c", "not run", "writes not allowed", bounded=True)],
        findings=[Finding("c", "broken", connector="a", operation="GET /x")],
    )
    (result,) = case_results(outcome)
    assert result.verdict == "failed" and result.failed and not result.bounded
    assert result.note == "writes not allowed"


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        (["passed", "inconclusive", "not run"], "inconclusive"),
        (["not applicable", "passed"], "passed"),
        (["not run", "passed", "not applicable"], "not run"),
        (["passed", "failed", "inconclusive"], "failed"),
    ],
)
def test_several_records_of_a_case_merge_to_the_gravest(verdicts: list, expected: str) -> None:
    merged = merge_cases([Case("a", "GET /x", "c", v, f"because {v}") for v in verdicts])
    assert merged.verdict == expected and merged.note == f"because {expected}"


def test_merged_notes_are_joined_once_and_bounded_survives() -> None:
    merged = merge_cases(
        [
            Case("a", "GET /x", "c", "passed", "walked 200 pages", bounded=True),
            Case("a", "GET /x", "c", "passed", ""),
            Case("a", "GET /x", "c", "passed", "took 3 s to show"),
            Case("a", "GET /x", "c", "passed", "walked 200 pages"),
            Case("a", "GET /x", "c", "not applicable", "nothing to judge"),
        ]
    )
    assert merged == Case("a", "GET /x", "c", "passed", "walked 200 pages; took 3 s to show", True)
    outcome = Outcome("run", cases=[Case("a", "GET /x", "c", "passed"), merged])
    (result,) = case_results(outcome)
    assert result.bounded and result.tally == "bounded"


def test_verdict_counts_and_tally_never_count_unjudged_cases_as_passed(outcome: Outcome) -> None:
    results = case_results(outcome)
    assert verdict_counts(results) == {
        "failed": 2,
        "inconclusive": 2,
        "not run": 2,
        "passed": 6,  # the bounded pass included
        "not applicable": 1,
    }
    assert tally(results) == {
        "passed": 5,
        "bounded": 1,
        "failed": 2,
        "not run": 2,
        "inconclusive": 2,
        "not applicable": 1,
    }
    assert sum(tally(results).values()) == len(results)


def test_reasons_group_the_unjudged_cases(outcome: Outcome) -> None:
    groups = [(v, reason, len(g)) for v, reason, g in reason_groups(case_results(outcome))]
    assert groups == [("not run", STOPPED, 2), ("inconclusive", RATE_LIMITED, 2)]
    unexplained = Outcome("run", cases=[Case("a", "GET /x", "c", "inconclusive")])
    assert reason_groups(case_results(unexplained))[0][1] == "no reason given"


def test_connector_and_operation_summaries(outcome: Outcome) -> None:
    results = case_results(outcome)
    rows = [s.row for s in connector_summaries(results)]
    assert rows == [
        ("contract", 1, 1, 1, 0, 0, 0, 0, 0, 1),
        ("greenhouse", 2, 7, 2, 1, 1, 1, 1, 1, 2),
        ("workday", 2, 5, 2, 0, 1, 1, 1, 0, 2),
    ]
    ops = operation_summaries(by_connector(results)["greenhouse"])
    assert [(o.operation, *o.tally.values(), o.findings, o.failing_checks) for o in ops] == [
        ("GET /ats/jobs", 1, 1, 1, 0, 1, 0, 2, ("schema",)),
        ("POST /ats/candidates", 1, 0, 0, 1, 0, 1, 0, ()),
    ]


def test_sections_changes_and_run_facts(outcome: Outcome) -> None:
    sections = {s.title: s.table for s in case_sections(outcome, case_results(outcome))}
    assert list(sections) == [
        "Not run or inconclusive",
        "Bounded passes",
        "Records this run created or changed",
    ]
    headers, rows = sections["Records this run created or changed"]
    assert headers == ("operation", "path", "id", "status")
    assert rows[0] == ("POST /ats/candidates", "/ats/candidates", "cand_1", 200)
    assert dict(run_facts(outcome)) == {
        "target": "http://127.0.0.1:8000",
        "environment": "staging",
        "writes allowed": "yes",
        "politeness": "rate limit 10/s, 3 retries, waited 4.2 s, 5 rate-limited answers",
    }


def test_the_parts_of_the_waiting_are_said_only_when_there_was_some() -> None:
    waits = {"waited_s": 2.5, "retry_wait_s": 0.0, "throttle_wait_s": 2.5}
    polite = Outcome("run", meta={"politeness": {"rate_limit": None, "requests": 9, **waits}})
    assert dict(run_facts(polite))["politeness"] == (
        "rate limit: none, 9 requests, waited 2.5 s, 2.5 s of it for the rate limit"
    )
    idle = Outcome("run", meta={"politeness": {"requests": 9, **dict.fromkeys(waits, 0.0)}})
    assert dict(run_facts(idle))["politeness"] == "9 requests, waited 0 s"


def test_engine_shaped_changes_and_commands_without_changes() -> None:
    change = {"operation": "POST /ats/candidates", "method": "POST", "path": "/ats/candidates",
              "record_id": "c1", "status": 201, "integration_id": "homerun:1"}  # fmt: skip
    assert changes_table([change]) == (
        ("integration", "operation", "path", "id", "status"),
        [("homerun:1", "POST /ats/candidates", "/ats/candidates", "c1", 201)],
    )
    diff = Outcome("diff", meta={"changes": {"breaking": 1, "safe": 2}})
    assert record_changes(diff) is None and case_sections(diff, []) == []
    nothing = Outcome("run", meta={"changes": [], "writes_allowed": False})
    (section,) = case_sections(nothing, [])
    assert section.table[1] == [] and section.empty.startswith("None")
    assert run_facts(nothing) == [("writes allowed", "no")]


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
    assert headline(outcome) == HEADLINE


def test_headline_of_a_clean_run() -> None:
    clean = Outcome("lint", findings=[Finding("x", "y", severity="observation")])
    assert headline(clean) == "PASSED: 1 observation in 1 case (1 passed), exit code 0"
    assert headline(Outcome("lint")) == "PASSED: no findings in 0 cases, exit code 0"


def test_a_run_where_nothing_was_judged_is_not_called_passed() -> None:
    cases = [
        Case("a", "POST /x", "c", "not run", "writes not allowed"),
        Case("a", "GET /x", "c", "not applicable"),
    ]
    outcome = Outcome("run", cases=cases)
    assert run_verdict(outcome) == "NOT JUDGED"
    assert headline(outcome) == (
        "NOT JUDGED: no findings in 2 cases (1 not run, 1 not applicable), exit code 0"
    )
    outcome.cases.append(Case("a", "GET /y", "c"))
    assert run_verdict(outcome) == "PASSED"
