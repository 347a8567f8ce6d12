"""`kombo-conformance run` end to end: the bundled sandbox on a free loopback port, real HTTP.

The correct sandbox must give no failing finding; each documented sandbox fault must make
the run fail with a finding from the check the fault catalogue says catches it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from kombo_conformance.cli import main
from kombo_conformance.report import json_report
from kombo_conformance.report.markdown import MAX_LINES
from kombo_conformance.sandbox.faults import CATALOGUE, CAUGHT_BY, TRANSPORT_FAULTS
from kombo_conformance.settings import SANDBOX_API_KEY

pytestmark = pytest.mark.e2e

CONNECTORS = sorted(
    p.stem for p in (Path(__file__).parents[2] / "contracts/connectors").glob("*.yaml")
)
RESPONSE_CHECKS = [
    "status_code",
    "error_envelope",
    "success_envelope",
    "response_schema",
    "availability",
]


def _report(directory: Path) -> dict:
    return json.loads((directory / "report.json").read_text(encoding="utf-8"))


def _no_secret_in(directory: Path) -> None:
    for path in directory.iterdir():
        assert SANDBOX_API_KEY not in path.read_text(encoding="utf-8"), path


def test_representative_connectors_with_every_check_are_clean(tmp_path: Path) -> None:
    """The main job's connectors, every check (schemathesis's included): exit 0."""
    code = main(["run", "--max-examples", "2", "--report-dir", str(tmp_path)])
    report = _report(tmp_path)
    failing = [f for f in report["findings"] if f["severity"] == "error"]
    assert code == 0, failing[:3]
    assert set(report["meta"]["connectors"]) == {"sandbox", "homerun", "workday", "moodle"}
    checks_run = {c["check"] for c in report["cases"] if c["verdict"] == "passed"}
    unjudged = [c for c in report["cases"] if c["verdict"] in ("not run", "inconclusive")]
    # `sandbox` supports every operation, so everything is judged; a profile may lack the
    # list a probe needs for ids (workday: order results, no orders list): inconclusive.
    assert not [c for c in unjudged if c["connector"] == "sandbox"]
    assert all("found" in c["note"] for c in unjudged), unjudged
    assert {
        "pagination",
        "read_after_write",
        "auth",
        "schemathesis.response_schema_conformance",
    } <= checks_run
    schema = json.loads(Path(json_report.__file__).with_name("report.schema.json").read_text())
    Draft202012Validator(schema).validate(report)
    assert {p.name for p in tmp_path.iterdir()} >= {
        "report.json",
        "junit.xml",
        "summary.md",
        "report.html",
    }
    _no_secret_in(tmp_path)
    _summary_fits_and_folds_the_observations(tmp_path, report)


def _summary_fits_and_folds_the_observations(directory: Path, report: dict) -> None:
    """Issue 14's acceptance on the default run: summary.md fits in 60 lines and every
    observation is in its one folded section, counted per check."""
    text = (directory / "summary.md").read_text(encoding="utf-8")
    observations = [g for g in report["groups"] if g["severity"] == "observation"]
    found = report["summary"]["findings_by_severity"]["observation"]
    assert found == sum(g["count"] for g in observations) > 0
    assert len(text.splitlines()) <= MAX_LINES
    folded = re.findall(r"<details><summary>observations: (\d+) findings? in (\d+) groups?", text)
    assert folded == [(str(found), str(len(observations)))]
    rows = re.findall(r"^\| ([\w.]+) \| (\d+) \| (\d+) \|$", text, flags=re.M)
    per_check: Counter[str] = Counter()
    for group in observations:
        per_check[group["check"]] += group["count"]
    assert {check: int(n) for check, _, n in rows} == dict(per_check)
    assert "**observation**" not in text and "[report.html](report.html)" in text


def test_every_connector_profile_is_clean_on_the_sandbox(tmp_path: Path) -> None:
    """All 35 profiles: every operation is asked, availability and responses judged."""
    args = ["run", "--max-examples", "1", "--report-dir", str(tmp_path)]
    for slug in CONNECTORS:
        args += ["--connector", slug]
    for check in RESPONSE_CHECKS:
        args += ["--check", check]
    code = main(args)
    report = _report(tmp_path)
    assert code == 0, [f for f in report["findings"] if f["severity"] == "error"][:3]
    assert sorted(report["meta"]["connectors"]) == CONNECTORS


@pytest.mark.parametrize("fault", sorted(set(CATALOGUE) - TRANSPORT_FAULTS))
def test_each_fault_fails_the_run_with_its_check(fault: str, tmp_path: Path) -> None:
    """Every fault of the catalogue (the transport faults have tests of their own below)."""
    demo = CAUGHT_BY.get(fault)
    assert demo is not None, f"fault {fault!r} has no demonstration in CAUGHT_BY"
    args = ["run", "--fault", fault, "--connector", demo.connector, "--operation", demo.operation,
            "--max-examples", "2", "--report-dir", str(tmp_path)]  # fmt: skip
    for check in demo.checks:
        args += ["--check", check]
    assert main(args) == 1
    failing = [f for f in _report(tmp_path)["findings"] if f["severity"] == "error"]
    assert any(f["check"] in demo.checks and f["connector"] == demo.connector for f in failing), (
        failing
    )


def test_a_hanging_target_is_reported_within_the_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["run", "--fault", "slow", "--timeout", "1", "--connector", "sandbox",
                 "--report-dir", str(tmp_path)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "did not answer within 1 s" in err and "Traceback" not in err


def test_a_garbage_speaking_target_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["run", "--fault", "garbage", "--connector", "sandbox", "--report-dir", str(tmp_path)]
    )
    err = capsys.readouterr().err
    assert code == 2 and "non-JSON body" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--connector", "nosuchtool"], "unknown connector(s) nosuchtool"),
        (["--check", "nosuchcheck"], "unknown check(s) nosuchcheck"),
        (["--fault", "nosuchfault"], "unknown fault 'nosuchfault'"),
        (["--operation", "GET /nope"], "unknown operation(s): GET /nope"),
        (["--rate-limit", "-1"], "--rate-limit must be a number of requests per second"),
        (["--consistency-timeout", "-2"], "--consistency-timeout must be zero or a positive"),
        (["--data-url", "ftp://files.example/cv.pdf"], "--data-url 'ftp://files.example/cv.pdf'"),
        (
            ["--base-url", "http://127.0.0.1:9/v1", "--api-key", "k", "--timeout", "2"],
            "Is the target running",
        ),
    ],
)
def test_bad_input_exits_2_with_one_paragraph(
    args: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", *args, "--report-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and "Traceback" not in err
    assert len(err.splitlines()) == 1


def test_workers_give_the_same_verdicts_as_one_process(tmp_path: Path) -> None:
    """--workers 2 runs each connector in its own process; what it finds does not change."""
    args = ["--connector", "sandbox", "--connector", "homerun", "--operation", "GET /ats/jobs",
            "--operation", "POST /ats/candidates", "--max-examples", "2"]  # fmt: skip
    verdicts = {}
    for workers in ("1", "2"):
        directory = tmp_path / workers
        assert main(["run", *args, "--workers", workers, "--report-dir", str(directory)]) == 0
        report = _report(directory)
        assert report["meta"]["workers"] == int(workers)
        verdicts[workers] = sorted(
            (c["connector"], c["operation"], c["check"], c["verdict"]) for c in report["cases"]
        )
        assert {c["connector"] for c in report["cases"]} == {"sandbox", "homerun"}
    assert verdicts["1"] == verdicts["2"]
