"""Replay: recorded sandbox cassettes re-judged against current and changed contracts."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_conformance.cli import main

JOBS_CASSETTE = Path("homerun") / "GET_ats_jobs.yaml"
JOBS_ITEM = ("GetAtsJobsPositiveResponse", "data", "results")


def replay(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, dict]:
    """Run ``kombo-conformance replay``; (exit code, report.json) ({} without a report)."""
    reports = tmp_path / "reports"
    code = main(["replay", *args, "--report-dir", str(reports)])
    report = reports / "report.json"
    return code, json.loads(report.read_text()) if report.exists() else {}


def findings(report: dict, check: str | None = None) -> list[dict]:
    return [f for f in report["findings"] if check is None or f["check"] == check]


def job_items(contracts: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the ats.yaml document, the jobs list item schema in it) of a contract copy."""
    document = yaml.safe_load((contracts / "ats.yaml").read_text())
    node = document["components"]["schemas"][JOBS_ITEM[0]]
    for key in JOBS_ITEM[1:]:
        node = node["properties"][key]
    return document, node["items"]


def recorded_jobs(recorded: Path) -> list[tuple[int, list[dict]]]:
    """(interaction index, job records) of every recorded 200 list page of jobs."""
    data = yaml.safe_load((recorded / JOBS_CASSETTE).read_text())
    pages = []
    for index, item in enumerate(data["interactions"]):
        body = json.loads(item["response"]["body"]["string"] or "null")
        if item["response"]["status"]["code"] == 200 and body["data"]["results"]:
            pages.append((index, body["data"]["results"]))
    assert pages, "the recording holds no job page"
    return pages


def test_an_untouched_contract_replays_clean(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = replay(capsys, tmp_path, str(recorded))
    assert code == 0, findings(report)
    assert "PASSED" in capsys.readouterr().out


def test_a_narrowed_enum_fails_on_the_interaction_that_shows_the_value(
    recorded: Path, contracts_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index, jobs = recorded_jobs(recorded)[0]
    value = next(j["status"] for j in jobs if j.get("status"))
    document, item = job_items(contracts_copy)
    allowed = ["OPEN", "CLOSED", "DRAFT", "ARCHIVED"]
    item["properties"]["status"] = {
        "type": ["string", "null"],
        "enum": [v for v in allowed if v != value],
    }
    (contracts_copy / "ats.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    code, report = replay(capsys, tmp_path, str(recorded), "--contract", str(contracts_copy))
    assert code == 1
    schema = findings(report, "response_schema")
    assert schema and all(f["operation"] == "GET /ats/jobs" for f in schema)
    (first,) = [f for f in schema if f["source"] == f"{recorded / JOBS_CASSETTE}#{index}"]
    assert "status" in first["message"] or "status" in (first.get("pointer") or "")


def test_a_newly_required_field_fails_naming_cassette_and_interaction(
    recorded: Path, contracts_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = recorded_jobs(recorded)
    document, item = job_items(contracts_copy)
    item["properties"]["headcount"] = {"type": "integer"}
    item["required"] = [*item["required"], "headcount"]
    (contracts_copy / "ats.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    code, report = replay(capsys, tmp_path, str(recorded), "--contract", str(contracts_copy))
    assert code == 1
    (finding,) = [f for f in findings(report, "response_schema") if "headcount" in f["message"]]
    assert finding["source"] == f"{recorded / JOBS_CASSETTE}#{pages[0][0]}"
    assert finding["connector"] == "homerun" and finding["operation"] == "GET /ats/jobs"


def test_replay_needs_no_network(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    code, report = replay(capsys, tmp_path, str(recorded))
    assert code == 0 and report["meta"]["replayed"] > 10


def test_a_corrupt_cassette_is_reported_and_the_others_replayed(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "cassettes"
    shutil.copytree(recorded, copy)
    broken = {
        "not_yaml.yaml": "interactions: [\n  {request: ",
        "foreign.yaml": "name: not a cassette\n",
        "half.yaml": yaml.safe_dump({"interactions": [{"request": {"method": "GET"}}]}),
        "empty.yaml": "",
    }
    for name, text in broken.items():
        (copy / "homerun" / name).write_text(text)
    (copy / "homerun" / "binary.yaml").write_bytes(b"\xff\xfe\x00garbage")
    code, report = replay(capsys, tmp_path, str(copy))
    assert code == 1
    bad = {Path(f["source"].split("#")[0]).name: f for f in findings(report, "cassette_format")}
    assert set(bad) == {*broken, "binary.yaml"}
    assert "not valid YAML" in bad["not_yaml.yaml"]["message"]
    assert "interactions" in bad["foreign.yaml"]["message"]
    assert bad["half.yaml"]["source"].endswith("half.yaml#0")
    assert report["meta"]["replayed"] > 10  # the good cassettes were still replayed
    assert not [
        f
        for f in report["findings"]
        if f["check"] != "cassette_format" and f.get("severity") == "error"
    ]


def test_a_recorded_success_for_an_undeclared_operation_breaks_availability(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "cassettes" / "moodle"  # an LMS connector: it declares no ATS jobs
    copy.mkdir(parents=True)
    shutil.copy(recorded / JOBS_CASSETTE, copy / JOBS_CASSETTE.name)
    code, report = replay(capsys, tmp_path, str(copy.parent))
    assert code == 1
    (finding,) = findings(report, "availability")
    assert finding["connector"] == "moodle" and "#" in finding["source"]


@pytest.mark.parametrize("layout", ["missing", "empty", "no-cassettes"])
def test_no_cassettes_is_a_clear_error(
    layout: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = tmp_path / "cassettes"
    if layout != "missing":
        directory.mkdir()
    if layout == "no-cassettes":
        (directory / "homerun").mkdir()
        (directory / "homerun" / "notes.txt").write_text("no cassette here")
    code, _ = replay(capsys, tmp_path, str(directory))
    err = capsys.readouterr().err
    assert code == 2
    assert "error:" in err and str(directory) in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_an_unknown_connector_is_a_clear_error(
    recorded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = replay(capsys, tmp_path, str(recorded), "--connector", "nope")
    err = capsys.readouterr().err
    assert code == 2 and "nope" in err and "homerun" in err
