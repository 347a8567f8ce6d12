"""write_reports, default_report_dir, the terminal summary, and no secret on disk."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kombo_conformance import report
from kombo_conformance.errors import UsageError
from kombo_conformance.findings import Case, Finding, Outcome
from kombo_conformance.report import (
    default_report_dir,
    format_terminal_summary,
    json_report,
    write_reports,
)
from kombo_conformance.report.groups import SHOW_OBSERVATIONS_KEY
from tests.report.conftest import STOPPED

EXPECTED = {"json": "report.json", "junit": "junit.xml", "md": "summary.md", "html": "report.html"}


def test_writes_every_format_by_default(outcome: Outcome, tmp_path: Path) -> None:
    target = tmp_path / "nested" / "run"
    written = write_reports(outcome, target)
    assert {fmt: path.name for fmt, path in written.items()} == EXPECTED
    assert sorted(p.name for p in target.iterdir()) == sorted(EXPECTED.values())


def test_selected_formats_only_and_unknown_format_is_a_usage_error(
    outcome: Outcome, tmp_path: Path
) -> None:
    assert list(write_reports(outcome, tmp_path, formats=("md",))) == ["md"]
    assert [p.name for p in tmp_path.iterdir()] == ["summary.md"]
    with pytest.raises(UsageError, match="'pdf'"):
        write_reports(outcome, tmp_path, formats=("json", "pdf"))


def test_no_secret_reaches_any_file(
    outcome: Outcome, api_key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_key = "sk_env_only_secret_77"
    monkeypatch.setenv("KOMBO_API_KEY", env_key)
    outcome.meta["note"] = f"started with {env_key}"
    write_reports(outcome, tmp_path)
    for path in tmp_path.iterdir():
        text = path.read_text(encoding="utf-8")
        assert api_key not in text, path.name
        assert env_key not in text, path.name
        assert "secrets" not in text, path.name
        assert "***" in text, path.name
        assert "last sent with api_key=***" in text, path.name  # a case's note
    for name in ("report.json", "report.html"):  # summary.md only counts them
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "reaching the end: cursor for ***" in text, name  # a bounded pass's note
        assert "/ats/candidates?api_key=***" in text, name  # a record the run changed
    summary = format_terminal_summary(outcome)
    assert api_key not in summary and "api_key=***" in summary


def test_a_failing_writer_leaves_the_previous_report_intact(
    outcome: Outcome, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_reports(outcome, tmp_path, formats=["json"])
    before = (tmp_path / "report.json").read_text()

    def broken(_: Outcome) -> str:
        raise RuntimeError("render failed")

    monkeypatch.setitem(report.FORMATS, "json", (json_report.FILENAME, broken))
    with pytest.raises(RuntimeError):
        write_reports(Outcome("run"), tmp_path, formats=["json"])
    assert (tmp_path / "report.json").read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_default_report_dir_is_a_utc_timestamp_and_never_reused(tmp_path: Path) -> None:
    now = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    first = default_report_dir(tmp_path, now=now)
    assert first == tmp_path / "20250304-050607"
    first.mkdir()
    assert default_report_dir(tmp_path, now=now) == tmp_path / "20250304-050607-2"
    assert default_report_dir().parent == Path("reports")


def test_terminal_summary_groups_table_verdict_what_was_not_judged_and_the_report(
    outcome: Outcome,
) -> None:
    written = {"json": Path("r/report.json"), "html": Path("r/report.html")}
    lines = format_terminal_summary(outcome, written).splitlines()
    assert lines[:6] == [
        "groups: 5 (3 errors, 1 warning, 1 advisory)",
        "[error] greenhouse GET /ats/jobs schema: 1 finding; second error on the same case",
        "[error] greenhouse GET /ats/jobs schema: 1 finding; rule: "
        "ats.yaml#/components/schemas/Job/properties/name: type string",
        "[error] workday POST /ats/candidates read-after-write: 1 finding; rule: "
        "docs.kombo.dev/ats/candidates: a created candidate is readable at once",
        "[warning] workday GET /ats/jobs pagination: 1 finding; next cursor repeats a page",
        "[advisory] contract example-valid: 1 finding; example drifts",
    ]
    assert [c.strip() for c in lines[6].split("|")] == [
        "connector",
        "operations",
        "cases",
        "passed",
        "bounded",
        "failed",
        "not run",
        "inconclusive",
        "not applicable",
        "findings",
    ]
    assert [c.strip() for c in lines[9].split("|")] == [
        "greenhouse", "2", "7", "2", "1", "1", "1", "1", "1", "2"
    ]  # fmt: skip
    assert lines[11:] == [
        "FAILED: 3 errors, 1 warning, 1 advisory in 13 cases (5 passed, 1 bounded, 2 failed, "
        "2 not run, 2 inconclusive, 1 not applicable), exit code 1",
        f"not run ({STOPPED}): 2 cases",
        "inconclusive (rate limited after 4 retries (last sent with api_key=***)): 2 cases",
        "bounded: 1 case (passed on what was judged, see notes)",
        "records created or changed on the target: 2 (listed in the reports)",
        "full report: r/report.html",
    ]


def test_terminal_summary_caps_the_groups_and_folds_observations() -> None:
    errors = [Finding("schema", "m", connector="a", operation=f"GET /{n}") for n in range(25)]
    seen = [Finding("dates", "m", "observation", "a", f"GET /{n}") for n in range(4)]
    lines = format_terminal_summary(Outcome("run", findings=errors + seen)).splitlines()
    assert lines[0] == "groups: 25 (25 errors)"
    assert lines[21] == "... 5 more groups in the full report"
    assert lines[22] == (
        "observations: 4 findings in 4 groups (folded; --show-observations lists them)"
    )
    shown = Outcome("run", findings=seen, meta={SHOW_OBSERVATIONS_KEY: True})
    lines = format_terminal_summary(shown).splitlines()
    assert lines[0] == "groups: 4 (4 observations)"
    assert lines[1] == "[observation] a GET /0 dates: 1 finding; m"


def test_terminal_summary_caps_the_reasons() -> None:
    cases = [Case("a", f"GET /{n}", "c", "not run", f"reason {n}") for n in range(12)]
    lines = format_terminal_summary(Outcome("run", cases=cases)).splitlines()
    assert lines[0] == "groups: 0 (no findings)"
    assert lines[4].startswith("NOT JUDGED: no findings in 12 cases (12 not run)")
    assert lines[5:] == [
        *(f"not run (reason {n}): 1 case" for n in (0, 1, 10, 11, *range(2, 8))),
        "... 2 more cases not judged, for other reasons",
    ]
