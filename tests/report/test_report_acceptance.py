"""Issue 14's acceptance, end to end against the bundled sandbox on a loopback port.

- ``run --show-observations`` lists the observation groups in summary.md, one by one;
  without it they are one folded section (the default run's 60 lines and folded section are
  asserted on the suite's real default run: tests/run/test_run_e2e.py);
- two runs, the second with one fault: ``--compare`` marks exactly the groups that appeared
  new and ``--fail-on new`` exits 1; the fault removed, they are fixed and the exit is 0;
- ``certify --compare`` marks the same groups new and gates on them.

Kept fast: one run of the default connectors on two operations (the earlier report of the
comparisons), one check on one operation for ``--show-observations``, then the fault's own
connector and operation with one example and the default checks, so that every check that
ran records its case and a fault's groups can be fixed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kombo_conformance.cli import main
from kombo_conformance.sandbox.faults import CAUGHT_BY

pytestmark = pytest.mark.e2e

DEFAULT_RUN = ["run", "--max-examples", "1", "--consistency-timeout", "2",
               "--operation", "GET /ats/jobs", "--operation", "POST /ats/candidates"]  # fmt: skip
FAULT = "response-schema-violation"
GATE = r"exit code 1 \(--fail-on new: (\d+) new failing groups?\)$"  # certify's headline
DEMO = CAUGHT_BY[FAULT]
ONE_OPERATION = ["--connector", DEMO.connector, "--operation", DEMO.operation,
                 "--max-examples", "1"]  # fmt: skip


def _report(directory: Path) -> dict:
    return json.loads((directory / "report.json").read_text(encoding="utf-8"))


def _ids(report: dict, change: str | None = None) -> set[str]:
    return {g["id"] for g in report["groups"] if change is None or g.get("change") == change}


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("default")
    code = main([*DEFAULT_RUN, "--report-dir", str(directory)])
    errors = [f for f in _report(directory)["findings"] if f["severity"] == "error"]
    assert (code, errors) == (0, [])  # the sandbox is correct: the default run is clean
    return directory


@pytest.mark.parametrize("shown", [True, False])
def test_show_observations_lists_the_observation_groups(shown: bool, tmp_path: Path) -> None:
    """``run --show-observations`` on the command line: summary.md lists each observation
    group as a block; without the flag they are one folded section."""
    flag = ["--show-observations"] if shown else []
    code = main(["run", *flag, "--connector", "sandbox", "--operation", "GET /ats/jobs",
                 "--check", "date_ambiguity", "--max-examples", "1",
                 "--report-dir", str(tmp_path)])  # fmt: skip
    text = (tmp_path / "summary.md").read_text(encoding="utf-8")
    observed = [g for g in _report(tmp_path)["groups"] if g["severity"] == "observation"]
    assert code == 0 and observed  # the sandbox's dates are observed, never failed
    blocks = re.findall(r"^- 👁️ \*\*observation\*\* `([^`]+)` · (\d+) findings?", text, re.M)
    folded = re.findall(r"<details><summary>observations: (\d+) findings? in (\d+) group", text)
    where = [(f"{g['connector']} {g['operation']} {g['check']}", str(g["count"])) for g in observed]
    if shown:
        assert sorted(blocks) == sorted(where) and folded == []
        assert f"### Groups ({len(observed)})" in text
    else:
        assert blocks == []
        assert folded == [(str(sum(g["count"] for g in observed)), str(len(observed)))]


def test_compare_marks_the_faults_groups_new_then_fixed(
    default_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faulty, repaired = tmp_path / "faulty", tmp_path / "repaired"
    previous = default_run / "report.json"
    code = main(["run", *ONE_OPERATION, "--fault", FAULT, "--compare", str(previous),
                 "--fail-on", "new", "--report-dir", str(faulty)])  # fmt: skip
    out = capsys.readouterr().out
    first, second = _report(default_run), _report(faulty)
    expected = _ids(second) - _ids(first)
    assert expected, "the fault added no group"
    assert _ids(second, "new") == expected
    assert _ids(second, "still failing") == _ids(first) & _ids(second) != set()
    new = [g for g in second["groups"] if g["id"] in expected]
    where = {(g["connector"], g["operation"], g["severity"]) for g in new}
    assert where == {(DEMO.connector, DEMO.operation, "error")}
    assert set(DEMO.checks) <= {g["check"] for g in new}
    verdicts = {(c["connector"], c["operation"], c["check"]): c["verdict"] for c in first["cases"]}
    assert {verdicts[(g["connector"], g["operation"], g["check"])] for g in new} == {"passed"}
    assert code == 1 and second["summary"]["exit_code"] == 1
    comparison = second["comparison"]
    assert comparison["counts"] == {"new": len(expected), "still failing": 0, "fixed": 0}
    assert comparison["not_rechecked"] > 0  # the other connectors were not run this time
    assert out.startswith(f"compared with {previous}: {len(expected)} new, 0 still failing")
    assert f"full report: {faulty / 'report.html'}" in out
    summary = (faulty / "summary.md").read_text(encoding="utf-8").splitlines()
    assert summary[4] == f"### What changed since `{previous}`"
    assert summary[6].startswith(f"{len(expected)} 🆕 new · 0 still failing · 0 ✅ fixed")

    code = main(["run", *ONE_OPERATION, "--compare", str(faulty), "--fail-on", "new",
                 "--report-dir", str(repaired)])  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    third = _report(repaired)
    assert code == 0
    assert out[0].startswith(f"compared with {faulty / 'report.json'}: 0 new, 0 still failing, "
                             f"{len(expected)} fixed")  # fmt: skip
    assert {line.split(":")[0] for line in out[1 : 1 + len(expected)]} == {
        f"[fixed] {g['connector']} {g['operation']} {g['check']}" for g in new
    }
    assert {g["id"] for g in third["comparison"]["fixed"]} == expected
    assert _ids(third, "new") == set()
    assert third["comparison"]["counts"]["fixed"] == len(expected)
    assert third["comparison"]["not_rechecked"] == 0  # every check that ran has its case


def _headline(directory: Path) -> str:
    return json.loads((directory / "certification.json").read_text())["summary"]["headline"]


def test_certify_compares_its_findings_the_same_way(
    default_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    faulty, again = tmp_path / "faulty", tmp_path / "again"
    certify = ["certify", *ONE_OPERATION, "--fault", FAULT, "--workers", "1", "--fail-on", "new"]
    code = main([*certify, "--compare", str(default_run), "--report-dir", str(faulty)])
    comparison = json.loads((faulty / "certification.json").read_text())["meta"]["comparison"]
    assert code == 1
    assert comparison["counts"]["new"] == len(comparison["new"]) > 0
    # certify keeps failing findings only: the run's observations are not "fixed"
    assert comparison["fixed"] == [] and comparison["counts"]["still failing"] == 0
    assert set(DEMO.checks) <= {g["check"] for g in comparison["new"]}
    assert {(g["operation"], g["severity"]) for g in comparison["new"]} == {
        (DEMO.operation, "error")
    }
    assert _headline(faulty).startswith("FAILED: 0/1 connectors certified")
    md = (faulty / "certification.md").read_text(encoding="utf-8")
    new = len(comparison["new"])
    assert f"### What changed since `{comparison['with']}`\n\n{new} 🆕 new · 0 still" in md
    assert md.count("· 🆕 new<br>") == new
    gate = re.search(GATE, _headline(faulty))
    assert gate is not None and int(gate[1]) == len(comparison["new"])
    capsys.readouterr()
    # the same fault again: nothing new, so --fail-on new passes a failing certification,
    # and the headline printed and written says the exit code returned
    code = main([*certify, "--compare", str(faulty), "--report-dir", str(again)])
    printed = capsys.readouterr().out
    headline = _headline(again)
    assert code == 0
    assert headline.startswith("PASSED: 0/1 connectors certified")
    assert headline.endswith("exit code 0 (--fail-on new: 0 new failing groups)")
    assert headline in printed.splitlines()
    assert f"**{headline}**" in (again / "certification.md").read_text(encoding="utf-8")
