"""junit.xml: suites per connector, a testcase per case, failures only for errors, every
case that was not judged skipped with its reason (never a pass), findings written by
group."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from kombo_conformance.findings import Case, Finding, Outcome
from kombo_conformance.report import write_reports
from kombo_conformance.report.groups import COMPARE_KEY, group_findings, group_summary
from tests.report.conftest import SCHEMA_RULE, STOPPED


def _root(outcome: Outcome, tmp_path: Path) -> ET.Element:
    return ET.parse(write_reports(outcome, tmp_path, formats=["junit"])["junit"]).getroot()


def _case(root: ET.Element, suite: str, name: str, classname_end: str) -> ET.Element:
    (case,) = [
        c
        for c in root.findall(f"testsuite[@name='{suite}']/testcase[@name='{name}']")
        if c.get("classname", "").endswith(classname_end)
    ]
    return case


def test_suites_testcases_and_failures_are_counted(outcome: Outcome, tmp_path: Path) -> None:
    root = _root(outcome, tmp_path)
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root.findall("testsuite")] == [
        "contract",
        "greenhouse",
        "workday",
    ]
    assert len(list(root.iter("testcase"))) == 13 == int(root.get("tests"))
    assert len(list(root.iter("failure"))) == 2 == int(root.get("failures"))
    assert len(list(root.iter("skipped"))) == 5
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped")) == len(suite.findall("testcase/skipped"))


def test_failure_carries_messages_reproduction_and_response(
    outcome: Outcome, tmp_path: Path
) -> None:
    failure = _case(_root(outcome, tmp_path), "greenhouse", "schema", "GET /ats/jobs").find(
        "failure"
    )
    assert failure is not None
    assert failure.get("message").endswith("(+1 more)")
    assert "<script>" in failure.get("message")  # escaped in the file, restored by the parser
    text = failure.text or ""
    assert "second error on the same case" in text
    assert f"rule: {SCHEMA_RULE}" in text
    assert "reproduce: curl -sS -X GET" in text
    assert '{"data": [{"name": 5}]}' in text


def test_non_errors_go_to_system_out_and_orphan_findings_get_a_testcase(
    outcome: Outcome, tmp_path: Path
) -> None:
    root = _root(outcome, tmp_path)
    pagination = _case(root, "workday", "pagination", "GET /ats/jobs")
    assert pagination.find("failure") is None
    assert "next cursor repeats a page" in pagination.findtext("system-out")
    advisory = _case(root, "contract", "example-valid", "contract")
    assert advisory.find("failure") is None and "example drifts" in advisory.findtext("system-out")
    orphan = _case(root, "workday", "read-after-write", "POST /ats/candidates")
    assert orphan.find("failure") is not None
    assert "\ufffd" in orphan.find("failure").text  # the NUL byte could not be XML


def test_passing_case_is_empty(outcome: Outcome, tmp_path: Path) -> None:
    case = _case(_root(outcome, tmp_path), "greenhouse", "status-code", "GET /ats/jobs")
    assert list(case) == []


def test_not_run_inconclusive_and_not_applicable_are_skipped_with_the_reason(
    outcome: Outcome, tmp_path: Path
) -> None:
    root = _root(outcome, tmp_path)
    cases = [
        ("greenhouse", "idempotency", "POST /ats/candidates", f"not run: {STOPPED}"),
        ("workday", "filters", "GET /ats/jobs",
         "inconclusive: rate limited after 4 retries (last sent with api_key=***)"),
        ("greenhouse", "pagination", "POST /ats/candidates", "not applicable"),
    ]  # fmt: skip
    for suite, name, operation, message in cases:
        case = _case(root, suite, name, operation)
        assert [c.tag for c in case] == ["skipped"]
        assert case.find("skipped").get("message") == message


def test_a_bounded_pass_says_what_it_did_not_judge(outcome: Outcome, tmp_path: Path) -> None:
    case = _case(_root(outcome, tmp_path), "greenhouse", "pagination", "GET /ats/jobs")
    assert case.find("failure") is None and case.find("skipped") is None
    assert case.findtext("system-out") == (
        "bounded: walked 200 pages (10,000 records) without reaching the end: cursor for ***"
    )


def test_an_error_fails_a_case_recorded_as_not_run(tmp_path: Path) -> None:
    outcome = Outcome(
        "run",
        cases=[Case("a", "GET /x", "c", "not run", "writes not allowed")],
        findings=[Finding("c", "broken", connector="a", operation="GET /x")],
    )
    case = _case(_root(outcome, tmp_path), "a", "c", "GET /x")
    assert [c.tag for c in case] == ["failure", "system-out"]
    assert case.findtext("system-out") == "writes not allowed"


def test_a_case_writes_its_findings_by_group_with_a_few_examples(tmp_path: Path) -> None:
    repeated = [
        Finding("c", f"broken #{i}", connector="a", operation="GET /x", rule="r") for i in range(5)
    ]
    other = Finding("c", "other rule", connector="a", operation="GET /x", rule="s")
    note = Finding("c", "looks odd", "warning", "a", "GET /x", rule="t")
    previous = [group_summary(g) for g in group_findings([other])]
    meta = {COMPARE_KEY: {"with": "old.json", "groups": previous}}
    outcome = Outcome("run", findings=[*repeated, other, note], meta=meta)
    case = _case(_root(outcome, tmp_path), "a", "c", "GET /x")
    text = case.find("failure").text
    assert text.startswith("[error] a GET /x c: 5 findings (new); rule: r")
    assert "broken #0" in text and "broken #2" in text and "broken #3" not in text
    assert "... and 2 more findings in this group (all in report.json)" in text
    assert "[error] a GET /x c: 1 finding (still failing); rule: s" in text
    assert case.find("failure").get("message") == "broken #0 (+5 more)"
    assert case.findtext("system-out").startswith("[warning] a GET /x c: 1 finding (new); rule: t")
