"""The suite against the realistic sandbox personality: a server that behaves as a
production integration may within the contract (thousands of records, short pages,
exclusive ``updated_after``, writes that show after a lag, extra undocumented fields,
prose-rule violations answered with ``REMOTE.INPUT_INVALID``, a rate limit). A correct
realistic server gives no error; every fault of the catalogue on top of it is still caught."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kombo_conformance.cli import main
from kombo_conformance.sandbox import Realism
from kombo_conformance.sandbox.faults import CATALOGUE, CAUGHT_BY, TRANSPORT_FAULTS
from kombo_conformance.sandbox.server import running_sandbox

pytestmark = pytest.mark.e2e
KEY = "realistic-key"
# Enough records for several pages of every page size the probes walk, small enough to seed
# in about a second; the lag is short so read-after-write polls a few times, not for long.
REALISM = Realism(records=4000, lag_s=0.6, rate_limit=None)


def _run(base_url: str, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["run", "--base-url", base_url, "--api-key", KEY, "--allow-writes",
                 "--report-dir", str(tmp_path), *args])  # fmt: skip
    return code, json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))


def test_the_default_connectors_are_clean_on_the_realistic_personality(tmp_path: Path) -> None:
    with running_sandbox(api_key=KEY, realism=REALISM) as url:
        code, report = _run(url, tmp_path, "--max-examples", "2", "--rate-limit", "0")
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert code == 0, [(f["connector"], f["operation"], f["message"]) for f in errors[:5]]
    verdicts = {c["verdict"] for c in report["cases"]}
    assert "passed" in verdicts and "failed" not in verdicts
    # the realistic behaviours were met and judged as what the contract leaves open
    warned = {f["check"] for f in report["findings"] if f["severity"] == "warning"}
    assert {"page_size", "filters"} <= warned
    shown = [c["note"] for c in report["cases"] if c["check"] == "read_after_write"]
    assert any("showed after" in note for note in shown), shown
    assert report["meta"]["changes"]


def test_a_rate_limited_realistic_target_gives_no_finding_from_429(tmp_path: Path) -> None:
    limited = Realism(records=2000, lag_s=0.3, rate_limit=5)
    operations = ["GET /ats/candidates", "POST /ats/candidates"]
    args = [a for op in operations for a in ("--operation", op)]
    with running_sandbox(api_key=KEY, realism=limited) as url:
        code, report = _run(url, tmp_path, "--connector", "sandbox", "--max-examples", "2",
                            "--rate-limit", "0", *args)  # fmt: skip
    errors = [f["message"] for f in report["findings"] if f["severity"] == "error"]
    assert code == 0, errors
    assert report["meta"]["politeness"]["responses_429"] > 0  # the limit bit, and was waited out
    assert not any(f.get("response", {}).get("status") == 429 for f in report["findings"])


@pytest.mark.parametrize("fault", sorted(set(CATALOGUE) - TRANSPORT_FAULTS))
def test_each_fault_is_caught_on_the_realistic_personality(fault: str, tmp_path: Path) -> None:
    demo = CAUGHT_BY[fault]
    checks = [a for check in demo.checks for a in ("--check", check)]
    args = ["--connector", demo.connector, "--operation", demo.operation, "--max-examples", "2",
            "--rate-limit", "0", *checks]  # fmt: skip
    with running_sandbox(api_key=KEY, realism=REALISM, faults=(fault,)) as url:
        code, report = _run(url, tmp_path, *args)
    failing = [f for f in report["findings"] if f["severity"] == "error"]
    assert code == 1, (fault, [f["message"] for f in report["findings"]][:5])
    assert any(f["check"] in demo.checks for f in failing), failing
