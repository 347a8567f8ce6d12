"""``certify`` end to end against real sandboxes on 127.0.0.1: a fault fails exactly the
cells it affects, a baseline turns the gate green, removing the fault makes its entries
stale; sharded runs merge into one matrix; bad input exits 2 in one paragraph."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kombo_conformance.cli import main
from kombo_conformance.sandbox.server import default_contract, running_sandbox
from kombo_conformance.settings import SANDBOX_API_KEY
from tests.certify.helpers import SECRET

pytestmark = pytest.mark.e2e

# Two one-operation connectors (profiles avature, gem) and a few operations they do not
# declare: refuse-supported makes each declared operation answer *_NOT_AVAILABLE.
CONNECTORS = ("avature", "gem")
DECLARED = {
    ("avature", "PUT /assessment/orders/{assessment_order_id}/result"),
    ("gem", "POST /ats/candidates/{candidate_id}/result-links"),
}
OPERATIONS = sorted({op for _, op in DECLARED} | {"GET /ats/jobs", "GET /ats/tags"})
FAULT = "refuse-supported"


def certify(*extra: str, base_url: str | None = None, report_dir: Path) -> int:
    argv = ["certify", "--workers", "1", "--max-examples", "2", "--report-dir", str(report_dir)]
    argv += [f"--connector={slug}" for slug in CONNECTORS]
    argv += [f"--operation={op}" for op in OPERATIONS]
    if base_url:  # a sandbox the test started: writes are safe there, and must be allowed
        argv += ["--base-url", base_url, "--api-key", SECRET]
        argv += [] if "--read-only" in extra else ["--allow-writes"]
    return main([*argv, *(e for e in extra if e != "--read-only")])


def matrix(report_dir: Path) -> dict:
    return json.loads((report_dir / "certification.json").read_text(encoding="utf-8"))


def failing_cells(report_dir: Path) -> set[tuple[str, str]]:
    return {
        (c["slug"], cell["operation"])
        for c in matrix(report_dir)["connectors"]
        for cell in c["cells"]
        if cell["status"] not in ("certified", "unsupported")
    }


def assert_no_key(report_dir: Path) -> None:
    for path in report_dir.iterdir():
        text = path.read_text(encoding="utf-8")
        assert SECRET not in text and SANDBOX_API_KEY not in text, path


def assert_declared_vs_verified_everywhere(certification: dict) -> None:
    """Issue 11: every connector row has a cell for every operation, each with what was
    claimed (whose claim, and what) beside what was verified, not only the seeds' ones."""
    assert certification["schema_version"] == 2
    for connector in certification["connectors"]:
        cells = connector["cells"]
        assert [c["operation"] for c in cells] == certification["operations"]
        claims = {c["operation"]: c["claim"] for c in cells if not c["claim"].strip()}
        assert claims == {}, (connector["slug"], claims)
        assert all(c["status"] and isinstance(c["declared"], bool) for c in cells)


@pytest.fixture(scope="module")
def clean_url() -> Iterator[str]:
    with running_sandbox(default_contract(), api_key=SECRET) as url:
        yield url


@pytest.fixture(scope="module")
def faulty_url() -> Iterator[str]:
    with running_sandbox(default_contract(), api_key=SECRET, faults=[FAULT]) as url:
        yield url


def test_read_only_certification_says_not_run_for_writes(tmp_path: Path, clean_url: str):
    """Without --allow-writes a live target gets no write: those cells are `not run`, never
    certified nor failed, and a connector with nothing else wrong is `partly judged`."""
    assert certify("--read-only", base_url=clean_url, report_dir=tmp_path) == 0
    cells = {
        (c["slug"], cell["operation"]): cell["status"]
        for c in matrix(tmp_path)["connectors"]
        for cell in c["cells"]
    }
    writes = {key: status for key, status in cells.items() if not key[1].startswith("GET ")}
    assert writes and set(writes.values()) == {"not run"}
    assert {status for key, status in cells.items() if key not in writes} <= {
        "certified",
        "unsupported",
    }
    verdicts = {c["slug"]: c["verdict"] for c in matrix(tmp_path)["connectors"]}
    assert set(verdicts.values()) == {"partly judged"}


def test_fault_baseline_and_stale_entries(tmp_path: Path, clean_url: str, faulty_url: str):
    assert certify(base_url=clean_url, report_dir=tmp_path / "clean") == 0
    assert failing_cells(tmp_path / "clean") == set()
    assert_no_key(tmp_path / "clean")
    assert_declared_vs_verified_everywhere(matrix(tmp_path / "clean"))

    # The fault, switched on by certify itself: exactly the declared cells fail.
    assert certify("--fault", FAULT, report_dir=tmp_path / "fault") == 1
    assert failing_cells(tmp_path / "fault") == DECLARED
    statuses = {
        cell["status"] for c in matrix(tmp_path / "fault")["connectors"] for cell in c["cells"]
    }
    assert statuses == {"declared-not-working", "unsupported"}
    assert_no_key(tmp_path / "fault")

    baseline = tmp_path / "baseline.yaml"
    args = ("--baseline", str(baseline))
    assert certify(*args, "--update-baseline", base_url=faulty_url, report_dir=tmp_path / "u") == 0
    entries = yaml.safe_load(baseline.read_text(encoding="utf-8"))["entries"]
    assert {tuple(e["fingerprint"].split("|")[:2]) for e in entries} == DECLARED
    assert all(e["who"].startswith("TODO") and e["when"] for e in entries)

    assert certify(*args, base_url=faulty_url, report_dir=tmp_path / "gated") == 0
    gated = matrix(tmp_path / "gated")
    assert [c["verdict"] for c in gated["connectors"]] == ["baselined", "baselined"]
    assert gated["baseline"]["stale"] == []

    assert certify(*args, base_url=clean_url, report_dir=tmp_path / "fixed") == 0
    stale = matrix(tmp_path / "fixed")["baseline"]["stale"]
    assert {e["fingerprint"] for e in stale} == {e["fingerprint"] for e in entries}
    summary = (tmp_path / "fixed" / "certification.md").read_text(encoding="utf-8")
    assert f"## Stale baseline entries ({len(entries)})" in summary


def test_shards_merge_into_one_matrix(tmp_path: Path, faulty_url: str) -> None:
    for index in (1, 2):
        code = certify(
            "--shard", f"{index}/2", base_url=faulty_url, report_dir=tmp_path / f"s{index}"
        )
        assert code == 1
    assert [c["slug"] for c in matrix(tmp_path / "s1")["connectors"]] == ["avature"]
    assert [c["slug"] for c in matrix(tmp_path / "s2")["connectors"]] == ["gem"]
    merged = tmp_path / "merged"
    code = main(["certify", "--merge", str(tmp_path / "s2"), str(tmp_path / "s1"),
                 "--report-dir", str(merged)])  # fmt: skip
    assert code == 1
    assert failing_cells(merged) == DECLARED
    assert matrix(merged)["summary"]["not_certified"] == 2
    assert (merged / "certification.html").is_file() and (merged / "junit.xml").is_file()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--update-baseline"], "--update-baseline needs --baseline"),
        (["--shard", "3/2"], "must be I/N"),
        (["--fault", "no-such-fault"], "unknown fault"),
        (["--connector", "nope"], "unknown connector"),
        (["--merge", "x", "--shard", "1/2"], "runs nothing: drop --shard"),
        (["--from-cassettes", "x", "--fault", FAULT], "cannot be combined"),
        (["--baseline", "missing.yaml"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_one_paragraph(tmp_path, capsys, argv, message) -> None:
    code = main(["certify", "--report-dir", str(tmp_path / "r"), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert err.startswith("kombo-conformance certify: error:") and err.count("\n") == 1


def test_certify_from_cassettes_offline(tmp_path: Path, clean_url: str) -> None:
    cassettes = tmp_path / "cassettes"
    record = ["run", "--base-url", clean_url, "--api-key", SECRET, "--max-examples", "2"]
    record += ["--allow-writes"]  # the test's own sandbox
    record += [f"--connector={slug}" for slug in CONNECTORS]
    record += [f"--operation={op}" for _, op in sorted(DECLARED)]
    record += ["--record", "--cassette-dir", str(cassettes), "--report-dir", str(tmp_path / "r")]
    assert main(record) == 0
    assert certify("--from-cassettes", str(cassettes), report_dir=tmp_path / "c") == 0
    data = matrix(tmp_path / "c")
    assert data["meta"]["mode"] == "cassettes"
    recorded = {(c["slug"], cell["operation"]) for c in data["connectors"] for cell in c["cells"]}
    assert recorded >= DECLARED and not any(op == "GET /ats/tags" for _, op in recorded)
    assert {c["verdict"] for c in data["connectors"]} == {"certified"}
    assert_no_key(tmp_path / "c")

    next(cassettes.glob("gem/*.yaml")).write_text("interactions: [oops", encoding="utf-8")
    assert certify("--from-cassettes", str(cassettes), report_dir=tmp_path / "bad") == 2
