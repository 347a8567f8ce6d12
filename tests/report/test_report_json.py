"""report.json: shape, counts, and validity against the published JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, ValidationError

from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report import write_reports
from kombo_conformance.report.groups import COMPARE_KEY, group_findings, group_summary
from kombo_conformance.report.json_report import SCHEMA_PATH, SCHEMA_VERSION
from tests.report.conftest import SCHEMA_RULE, STOPPED

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _report(outcome: Outcome, tmp_path: Path) -> dict:
    path = write_reports(outcome, tmp_path, formats=["json"])["json"]
    return json.loads(path.read_text(encoding="utf-8"))


def test_schema_is_valid_2020_12() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)


def test_report_validates_and_summarises(outcome: Outcome, tmp_path: Path) -> None:
    report = _report(outcome, tmp_path)
    Draft202012Validator(SCHEMA).validate(report)
    assert (
        report["schema_version"]
        == SCHEMA_VERSION
        == SCHEMA["properties"]["schema_version"]["const"]
    )
    assert report["command"] == "run" and report["duration_s"] == 12.5
    assert report["meta"]["seed"] == 7 and "secrets" not in report["meta"]
    assert report["summary"] == {
        "findings_by_severity": {"error": 3, "warning": 1, "advisory": 1, "observation": 0},
        "cases": 13,
        "failed_cases": 2,
        "cases_by_verdict": {
            "failed": 2,
            "inconclusive": 2,
            "not run": 2,
            "passed": 6,
            "not applicable": 1,
        },
        "bounded_cases": 1,
        "exit_code": 1,
    }
    assert len(report["findings"]) == 5
    verdicts = {(c["connector"], c["operation"], c["check"]): c["verdict"] for c in report["cases"]}
    assert verdicts[("workday", "POST /ats/candidates", "read-after-write")] == "failed"
    assert verdicts[("workday", "GET /ats/jobs", "pagination")] == "passed"


def test_cases_carry_verdict_note_and_bound(outcome: Outcome, tmp_path: Path) -> None:
    cases = {
        (c["connector"], c["operation"], c["check"]): c for c in _report(outcome, tmp_path)["cases"]
    }
    assert cases[("greenhouse", "POST /ats/candidates", "idempotency")] == {
        "connector": "greenhouse",
        "operation": "POST /ats/candidates",
        "check": "idempotency",
        "verdict": "not run",
        "note": STOPPED,
        "bounded": False,
        "findings": 0,
    }
    filters = cases[("workday", "GET /ats/jobs", "filters")]
    assert filters["verdict"] == "inconclusive"
    assert filters["note"] == "rate limited after 4 retries (last sent with api_key=***)"
    pagination = cases[("greenhouse", "GET /ats/jobs", "pagination")]
    assert (pagination["verdict"], pagination["bounded"]) == ("passed", True)
    assert pagination["note"].startswith("walked 200 pages (10,000 records)")


def test_findings_keep_their_rule_and_meta_keeps_the_changes(
    outcome: Outcome, tmp_path: Path
) -> None:
    report = _report(outcome, tmp_path)
    assert report["findings"][0]["rule"] == SCHEMA_RULE
    changes = report["meta"]["changes"]
    assert [(c["id"], c["status"]) for c in changes] == [("cand_1", 200), ("cand_2", 201)]
    assert changes[1]["path"] == "/ats/candidates?api_key=***"
    assert report["meta"]["writes_allowed"] is True
    assert report["meta"]["politeness"]["rate_limited"] == 5


def test_engine_and_diff_meta_validate(tmp_path: Path) -> None:
    change = {"operation": "POST /ats/candidates", "method": "POST", "path": "/ats/candidates",
              "record_id": None, "status": 201, "integration_id": "homerun:1"}  # fmt: skip
    politeness = {"rate_limit": None, "requests": 9, "retries": 1, "retry_wait_s": 0.5}
    run = Outcome("run", meta={"changes": [change], "politeness": politeness})
    Draft202012Validator(SCHEMA).validate(_report(run, tmp_path / "run"))
    diff = Outcome("diff", meta={"changes": {"breaking": 1, "potentially breaking": 0, "safe": 2}})
    Draft202012Validator(SCHEMA).validate(_report(diff, tmp_path / "diff"))


def test_findings_get_a_masked_reproduction_from_their_request(
    outcome: Outcome, tmp_path: Path
) -> None:
    first = _report(outcome, tmp_path)["findings"][0]
    assert first["request"]["headers"]["Authorization"] == "Bearer ***"
    assert '"Authorization: Bearer $KOMBO_API_KEY"' in first["reproduction"]
    assert "api_key=***" in first["request"]["url"]


def test_empty_outcome_validates(tmp_path: Path) -> None:
    report = _report(Outcome("lint"), tmp_path)
    Draft202012Validator(SCHEMA).validate(report)
    assert report["summary"]["exit_code"] == 0 and report["cases"] == []


@pytest.mark.parametrize(
    ("where", "key", "value"),
    [
        ("findings", "severity", "fatal"),
        ("cases", "verdict", "skipped"),
        ("cases", "status", "passed"),  # version 1's field
        ("cases", "bounded", "yes"),
    ],
)
def test_schema_rejects_a_malformed_report(
    outcome: Outcome, tmp_path: Path, where: str, key: str, value: str
) -> None:
    report = _report(outcome, tmp_path)
    report[where][0][key] = value
    with pytest.raises(ValidationError):
        Draft202012Validator(SCHEMA).validate(report)


def test_schema_rejects_wrong_counts_and_changes(outcome: Outcome, tmp_path: Path) -> None:
    report = _report(outcome, tmp_path)
    del report["summary"]["cases_by_verdict"]["not run"]
    with pytest.raises(ValidationError):
        Draft202012Validator(SCHEMA).validate(report)
    report = _report(outcome, tmp_path)
    report["meta"]["changes"][0]["status"] = "OK"
    with pytest.raises(ValidationError):
        Draft202012Validator(SCHEMA).validate(report)


def test_groups_partition_the_findings(outcome: Outcome, tmp_path: Path) -> None:
    report = _report(outcome, tmp_path)
    groups = report["groups"]
    members = sorted(i for g in groups for i in g["findings"])
    assert members == list(range(len(report["findings"])))
    assert len({g["id"] for g in groups}) == len(groups)
    for group in groups:
        assert group["count"] == len(group["findings"])
        assert set(group["examples"]) <= set(group["findings"])
        for i in group["findings"]:
            finding = report["findings"][i]
            assert (finding["check"], finding.get("rule", ""), finding.get("operation", "")) == (
                group["check"], group["rule"], group["operation"]
            )  # fmt: skip
    schema_group = next(g for g in groups if g["rule"] == SCHEMA_RULE)
    assert schema_group["rule_source"] == SCHEMA_RULE and schema_group["severity"] == "error"
    assert '"Authorization: Bearer $KOMBO_API_KEY"' in schema_group["curl"]
    assert report["comparison"] is None


def test_a_comparison_is_its_own_object_not_meta(outcome: Outcome, tmp_path: Path) -> None:
    previous = [group_summary(g) for g in group_findings(outcome.findings[:1])]
    previous.append(group_summary(group_findings([Finding("gone", "m", operation="GET /y")])[0]))
    outcome.meta[COMPARE_KEY] = {"with": "old/report.json", "groups": previous, "fail_on": "new"}
    report = _report(outcome, tmp_path)
    Draft202012Validator(SCHEMA).validate(report)
    assert COMPARE_KEY not in report["meta"]
    comparison = report["comparison"]
    assert comparison["with"] == "old/report.json" and comparison["fail_on"] == "new"
    assert comparison["counts"] == {"new": 4, "still failing": 1, "fixed": 0}
    assert comparison["not_rechecked"] == 1  # GET /y was not a case of this run
    changes = {g["check"] + g["rule"]: g.get("change") for g in report["groups"]}
    assert changes["schema" + SCHEMA_RULE] == "still failing"
    assert report["summary"]["exit_code"] == 1  # new error groups fail with --fail-on new
    report["meta"][COMPARE_KEY] = {}
    with pytest.raises(ValidationError):
        Draft202012Validator(SCHEMA).validate(report)
