"""Grouping: one group per (check, rule, connector, operation), its examples, rule source and
curl; marks against a previous report (new, still failing, fixed, not rechecked); the exit
code with --fail-on new."""

from __future__ import annotations

import hashlib

from kombo_conformance.findings import Case, Finding, Outcome, RequestRecord
from kombo_conformance.report.groups import (
    ANY_CHECK,
    COMPARE_KEY,
    SHOW_OBSERVATIONS_KEY,
    exit_code,
    group_findings,
    group_summary,
    grouped,
)
from kombo_conformance.report.safe import redact_outcome

JOBS = "GET /ats/jobs"


def _f(check: str = "schema", message: str = "m", severity: str = "error", **kw) -> Finding:
    return Finding(
        check, message, severity, kw.pop("connector", "a"), kw.pop("operation", JOBS), **kw
    )


def test_one_group_per_check_rule_connector_and_operation() -> None:
    findings = [
        _f(rule="r1"), _f(rule="r1", message="other"), _f(rule="r2"), _f(),
        _f(connector="b", rule="r1"), _f(operation="GET /x", rule="r1"),
        _f("pagination", rule="r1"),
    ]  # fmt: skip
    groups = group_findings(findings)
    assert sorted((g.check, g.rule, g.connector, g.operation, g.count) for g in groups) == [
        ("pagination", "r1", "a", JOBS, 1),
        ("schema", "", "a", JOBS, 1),
        ("schema", "r1", "a", JOBS, 2),
        ("schema", "r1", "a", "GET /x", 1),
        ("schema", "r1", "b", JOBS, 1),
        ("schema", "r2", "a", JOBS, 1),
    ]
    assert sum(g.count for g in groups) == len(findings)


def test_the_id_is_stable_the_severity_the_worst_and_the_order_worst_then_largest() -> None:
    findings = [
        _f("w", severity="warning"), _f("w", severity="warning", operation="GET /y"),
        _f("mixed", severity="advisory"), _f("mixed", severity="error"),
        _f("e"), _f("e"), _f("e"), _f("o", severity="observation"),
    ]  # fmt: skip
    groups = group_findings(findings)
    assert [(g.check, g.severity, g.count) for g in groups] == [
        ("e", "error", 3), ("mixed", "error", 2), ("w", "warning", 1), ("w", "warning", 1),
        ("o", "observation", 1),
    ]  # fmt: skip
    expected = hashlib.sha1(f"e||a|{JOBS}".encode()).hexdigest()[:10]
    assert groups[0].id == expected == group_findings([_f("e")])[0].id


def test_examples_are_the_first_then_varied_ones() -> None:
    request = RequestRecord("GET", "http://h/v1/ats/jobs?page=2")
    findings = [_f(message="same"), _f(message="same"), _f(message="same", request=request),
                _f(message="same"), _f(message="different"), _f(message="third")]  # fmt: skip
    (group,) = group_findings(findings)
    assert group.examples == (findings[0], findings[2], findings[4])
    assert group.count == 6


def test_rule_source_falls_back_to_where_the_finding_points() -> None:
    (with_rule,) = group_findings([_f(rule="ats.yaml#/x: type string", pointer="/data/0")])
    (with_pointer,) = group_findings([_f(source="ats.yaml", pointer="/paths/~1x")])
    (with_nothing,) = group_findings([_f()])
    assert with_rule.rule_source == "ats.yaml#/x: type string"
    assert with_pointer.rule_source == "ats.yaml#/paths/~1x"
    assert with_nothing.rule_source == ""


def test_curl_comes_from_a_reproduction_or_a_request_and_never_holds_the_key() -> None:
    key = "sk_live_groups_secret_1"
    request = RequestRecord("GET", "http://h/v1/ats/jobs", {"Authorization": f"Bearer {key}"})
    outcome = Outcome("run", findings=[_f(), _f(request=request)], meta={"secrets": [key]})
    safe, _ = redact_outcome(outcome)
    (group,) = grouped(safe).groups
    assert group.curl is not None and key not in group.curl
    assert '"Authorization: Bearer $KOMBO_API_KEY"' in group.curl
    (given,) = group_findings([_f(reproduction="curl http://h/x")])
    assert given.curl == "curl http://h/x"
    assert group_findings([_f()])[0].curl is None


def test_observations_are_apart_and_shown_only_when_asked() -> None:
    findings = [_f(), _f("dates", severity="observation"), _f("dates", severity="observation")]
    folded = grouped(Outcome("run", findings=findings))
    assert [g.check for g in folded.groups] == ["schema"]
    assert [(g.check, g.count) for g in folded.observations] == [("dates", 2)]
    assert folded.observation_counts() == {"dates": (1, 2)}
    assert folded.show_observations is False and folded.compared_with is None
    shown = grouped(Outcome("run", findings=findings, meta={SHOW_OBSERVATIONS_KEY: True}))
    assert shown.show_observations is True


def _previous(findings: list[Finding], fail_on: str = "any") -> dict:
    groups = [group_summary(g) for g in group_findings(findings)]
    return {"with": "old.json", "groups": groups, "fail_on": fail_on}


def test_groups_are_new_still_failing_or_fixed_against_the_previous_report() -> None:
    stays, gone, new = _f("stays"), _f("gone"), _f("new", severity="warning")
    cases = [Case("a", JOBS, c) for c in ("stays", "gone", "new")]
    outcome = Outcome("run", [stays, new], cases, meta={COMPARE_KEY: _previous([stays, gone])})
    result = grouped(outcome)
    assert {g.check: g.change for g in result.groups} == {"stays": "still failing", "new": "new"}
    assert [(g.check, g.change, g.count) for g in result.fixed] == [("gone", "fixed", 1)]
    assert result.change_counts() == {"new": 1, "still failing": 1, "fixed": 1}
    assert result.compared_with == "old.json" and result.not_rechecked == 0


def test_a_group_whose_case_was_not_judged_again_is_not_called_fixed() -> None:
    previous = _previous([_f("skipped"), _f("elsewhere", connector="z"), _f("cell")])
    cases = [Case("a", JOBS, "skipped", "not run", "writes not allowed"), Case("a", JOBS, "x")]
    result = grouped(Outcome("run", [], cases, meta={COMPARE_KEY: previous}))
    assert result.fixed == () and result.not_rechecked == 3
    # a case with no check (certify's cells) rechecks every check of its operation
    cell = [Case("a", JOBS, ANY_CHECK)]
    result = grouped(Outcome("certify", [], cell, meta={COMPARE_KEY: previous}))
    assert sorted(g.check for g in result.fixed) == ["cell", "skipped"]
    assert result.not_rechecked == 1
    # commands that record no case (lint, diff) recheck everything they report on
    assert len(grouped(Outcome("lint", meta={COMPARE_KEY: previous})).fixed) == 3


def test_fail_on_new_gates_on_new_error_groups_only() -> None:
    old_error = _f("old")
    cases = [Case("a", JOBS, "old")]

    def code(findings: list[Finding], fail_on: str) -> int:
        meta = {COMPARE_KEY: _previous([old_error], fail_on)}
        return exit_code(Outcome("run", findings, cases, meta=meta))

    assert code([old_error], "new") == 0  # still failing: not new
    assert code([old_error], "any") == 1
    assert code([old_error, _f("fresh", severity="warning")], "new") == 0  # new, not an error
    assert code([old_error, _f("fresh")], "new") == 1
    assert exit_code(Outcome("run", [old_error])) == 1  # no comparison: any error
