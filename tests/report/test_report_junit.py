"""junit.xml: suites per connector, a testcase per case, failures only for errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from kombo_conformance.findings import Outcome
from kombo_conformance.report import write_reports


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
    assert len(list(root.iter("testcase"))) == 7 == int(root.get("tests"))
    assert len(list(root.iter("failure"))) == 2 == int(root.get("failures"))
    for suite in root.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))


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
