"""--compare: an earlier report.json (this schema or version 2), a certification.json or a
directory holding one; anything else is one clear paragraph and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kombo_conformance.cli import main
from kombo_conformance.errors import UsageError
from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report import write_reports
from kombo_conformance.report.compare import comparison_meta, load_previous
from kombo_conformance.report.groups import COMPARE_KEY, group_findings, grouped

FINDINGS = [
    Finding("schema", "bad", connector="a", operation="GET /x", rule="r"),
    Finding("schema", "bad again", connector="a", operation="GET /x", rule="r"),
    Finding("dates", "bare", "observation", "a", "GET /x"),
]
EXPECTED = {(g.id, g.count, g.severity) for g in group_findings(FINDINGS)}


def _written(tmp_path: Path) -> Path:
    return write_reports(Outcome("run", findings=FINDINGS), tmp_path, formats=["json"])["json"]


def _ids(previous: dict) -> set[tuple[str, int, str]]:
    return {(g["id"], g["count"], g["severity"]) for g in previous["groups"]}


def test_a_report_of_this_version_and_its_directory(tmp_path: Path) -> None:
    path = _written(tmp_path)
    assert _ids(load_previous(path)) == EXPECTED
    assert load_previous(tmp_path) == load_previous(path) | {"with": str(path)}


def test_a_version_2_report_has_its_findings_grouped(tmp_path: Path) -> None:
    data = json.loads(_written(tmp_path).read_text())
    del data["groups"], data["comparison"]
    data["schema_version"] = 2
    old = tmp_path / "v2.json"
    old.write_text(json.dumps(data))
    assert _ids(load_previous(old)) == EXPECTED


def test_a_certification_json_has_its_findings_grouped(tmp_path: Path) -> None:
    cell = {"operation": "GET /x", "findings": [f.to_dict() for f in FINDINGS]}
    data = {"schema_version": 1, "connectors": [{"slug": "a", "cells": [cell]}]}
    path = tmp_path / "certification.json"
    path.write_text(json.dumps(data))
    assert _ids(load_previous(tmp_path)) == EXPECTED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not a readable JSON report"),
        ("[1, 2]", "no schema_version: not a kombo-conformance report"),
        ('{"name": "package", "version": "1.0"}', "no schema_version"),
        ('{"schema_version": 2, "cases": []}', "neither groups nor findings"),
        ('{"schema_version": 2, "findings": [{"message": "m"}]}', "missing 'check'"),
        ('{"schema_version": 2, "findings": [{"check": "c", "message": "m", "severity": "x"}]}',
         "unknown severity 'x'"),
        ('{"schema_version": 3, "groups": [{"id": "x"}]}', "a group lacks one of"),
    ],
)  # fmt: skip
def test_a_missing_corrupt_or_foreign_file_is_a_usage_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "previous.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(UsageError, match="--compare") as caught:
        load_previous(path)
    assert message in str(caught.value)


def test_a_directory_without_a_report_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"holds no report\.json or certification\.json"):
        load_previous(tmp_path)


def test_fail_on_new_needs_a_previous_report(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--fail-on new needs --compare"):
        comparison_meta(None, fail_on="new")
    assert comparison_meta(None) == {}
    meta = comparison_meta(_written(tmp_path), fail_on="new", show_observations=True)
    assert meta["show_observations"] is True and meta[COMPARE_KEY]["fail_on"] == "new"
    # a report compared with itself: every group still failing, none new or fixed
    again = grouped(Outcome("run", findings=FINDINGS, meta=meta))
    assert {g.change for g in again.all} == {"still failing"} and again.fixed == ()


@pytest.mark.parametrize("command", ["run", "replay", "certify"])
def test_the_commands_exit_2_with_one_paragraph_before_any_work(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [command, "--compare", str(tmp_path / "nope.json"), "--report-dir", str(tmp_path)]
    if command == "replay":
        (tmp_path / "cassettes" / "a").mkdir(parents=True)
        (tmp_path / "cassettes" / "a" / "x.yaml").write_text("interactions: []\n")
        args.insert(1, str(tmp_path / "cassettes"))
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "no such file" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert main([command, "--fail-on", "new", "--report-dir", str(tmp_path)]) == 2
    assert "--fail-on new needs --compare" in capsys.readouterr().err
