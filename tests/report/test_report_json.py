"""report.json: shape, counts, and validity against the published JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, ValidationError

from kombo_conformance.findings import Outcome
from kombo_conformance.report import write_reports
from kombo_conformance.report.json_report import SCHEMA_PATH

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
    assert report["command"] == "run" and report["duration_s"] == 12.5
    assert report["meta"] == {"target": "http://127.0.0.1:8000", "seed": 7}
    assert report["summary"] == {
        "findings_by_severity": {"error": 3, "warning": 1, "advisory": 1, "observation": 0},
        "cases": 7,
        "failed_cases": 2,
        "exit_code": 1,
    }
    assert len(report["findings"]) == 5
    statuses = {(c["connector"], c["check"]): c["status"] for c in report["cases"]}
    assert statuses[("workday", "read-after-write")] == "failed"
    assert statuses[("workday", "pagination")] == "passed"


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


def test_schema_rejects_a_malformed_report(outcome: Outcome, tmp_path: Path) -> None:
    report = _report(outcome, tmp_path)
    report["findings"][0]["severity"] = "fatal"
    with pytest.raises(ValidationError):
        Draft202012Validator(SCHEMA).validate(report)
