"""--compare: an earlier report.json (this schema or version 2), a certification.json or a
directory holding one; anything else is one clear paragraph and exit 2."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kombo_conformance.certify import (
    certification_html,
    certification_json,
    certification_junit,
    certification_md,
)
from kombo_conformance.certify.merge import merge
from kombo_conformance.cli import main
from kombo_conformance.errors import UsageError
from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report import write_reports
from kombo_conformance.report.compare import comparison_meta, load_previous
from kombo_conformance.report.groups import COMPARE_KEY, group_findings, group_summary, grouped
from tests.certify.helpers import JOBS, sample_certification

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
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # replay reads ./cassettes when given no directory: this test's own, not the repo's
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cassettes" / "a").mkdir(parents=True)
    (tmp_path / "cassettes" / "a" / "x.yaml").write_text("interactions: []\n")
    args = [command, "--compare", str(tmp_path / "nope.json"), "--report-dir", str(tmp_path)]
    if command == "replay":
        args.insert(1, str(tmp_path / "cassettes"))
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert "no such file" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert main([command, "--fail-on", "new", "--report-dir", str(tmp_path)]) == 2
    assert "--fail-on new needs --compare" in capsys.readouterr().err


def test_certification_reports_start_with_what_changed() -> None:
    """certify --compare: certification.md and .html say what changed before the matrix,
    junit.xml in each testsuite's system-out; counts and groups as report.json's."""
    certification = sample_certification()
    current = group_findings(certification.findings)
    new, still = current[0], current[1:]
    gone = group_findings([Finding("auth", "no 401", connector="acme", operation=JOBS)])
    certification.meta["comparison"] = {
        "with": "old/certification.json",
        "fail_on": "any",
        "counts": {"new": 1, "still failing": len(still), "fixed": 1},
        "not_rechecked": 0,
        "fixed": [group_summary(g) for g in gone],
        "new": [group_summary(new)],
    }
    md = certification_md.render(certification)
    counts = f"1 🆕 new · {len(still)} still failing · 1 ✅ fixed (groups; observations aside)"
    assert md.index("### What changed since `old/certification.json`") < md.index("| Verdict")
    assert counts in md
    assert f"`{new.connector} {new.operation} {new.check}` · 1 finding · 🆕 new" in md
    assert "✅ **fixed** `acme GET /ats/jobs auth` · was error, 1 finding" in md
    page = certification_html.render(certification)
    changed = page[page.index('<section id="what-changed">') : page.index("<h2>Matrix</h2>")]
    assert f"1 new, {len(still)} still failing, 1 fixed" in changed
    assert f"<li>{new.check} on {new.connector} · {new.operation} (error, &times;1)</li>" in changed
    assert "<li>auth on acme · GET /ats/jobs (error, &times;1)</li>" in changed
    root = ET.fromstring(certification_junit.render(certification))
    outs = {s.get("name"): s.find("system-out").text for s in root.iter("testsuite")}
    head = f"compared with old/certification.json: 1 new, {len(still)} still failing, 1 fixed"
    assert all(out.startswith(head) for out in outs.values())
    assert f"[{new.severity}] {new.connector} {new.operation} {new.check}" in outs[new.connector]
    assert "[fixed] acme GET /ats/jobs auth: was error, 1 finding" in outs["acme"]
    del certification.meta["comparison"]  # without --compare: none of it
    assert "What changed" not in certification_md.render(certification)
    assert "what-changed" not in certification_html.render(certification)
    assert "compared with" not in certification_junit.render(certification)


def _certification_json(directory: Path, version: int, slugs: set[str]) -> Path:
    """sample_certification's connectors ``slugs``, as schema ``version`` writes them (1:
    without each cell's claim and contradicts_declaration and each connector's declared)."""
    data = certification_json.certification_dict(sample_certification())
    data["connectors"] = [c for c in data["connectors"] if c["slug"] in slugs]
    if version == 1:
        for connector in data["connectors"]:
            del connector["declared"]
            for cell in connector["cells"]:
                del cell["claim"], cell["contradicts_declaration"]
    data["schema_version"] = version
    directory.mkdir()
    (directory / "certification.json").write_text(json.dumps(data))
    return directory


def test_certification_json_is_version_2_and_its_readers_take_1_and_2(tmp_path: Path) -> None:
    schema = certification_json.schema()["properties"]["schema_version"]
    assert certification_json.SCHEMA_VERSION == 2
    assert schema["enum"] == list(certification_json.READABLE_VERSIONS) == [1, 2]
    old = _certification_json(tmp_path / "v1", 1, {"acme"})
    new = _certification_json(tmp_path / "v2", 2, {"bolt"})
    merged = merge([old, new])  # certify --merge: shards written by either version
    assert [c.slug for c in merged.connectors] == ["acme", "bolt"]
    assert {cell.claim for cell in merged.connectors[0].cells} == {""}
    expected = {g.id for g in group_findings(sample_certification().findings)}
    for directory in (old, new):  # --compare: either version, its findings grouped
        assert {g["id"] for g in load_previous(directory)["groups"]} <= expected
    assert load_previous(new)["groups"]
    # version 2 without its fields is not a valid file; an unknown version is refused
    broken = json.loads((new / "certification.json").read_text())
    del broken["connectors"][0]["cells"][0]["claim"]
    (new / "certification.json").write_text(json.dumps(broken))
    with pytest.raises(UsageError, match=r"not a valid certification\.json"):
        merge([new])
    broken["schema_version"] = 3
    (new / "certification.json").write_text(json.dumps(broken))
    with pytest.raises(UsageError, match="schema_version 3; this reads 1 or 2"):
        load_previous(new)
