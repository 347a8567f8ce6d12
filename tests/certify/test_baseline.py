"""The baseline file: reading, validating, accepting, expiring, staleness and rewriting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from kombo_conformance.certify.baseline import (
    WHO_PLACEHOLDER,
    Baseline,
    load_baseline,
    save_baseline,
    updated,
)
from kombo_conformance.certify.result import apply_baseline
from kombo_conformance.errors import UsageError
from tests.certify.helpers import CANDIDATES, JOBS, finding, sample_certification

TODAY = dt.date(2025, 3, 4)
BOLT_JOBS = f"bolt|{JOBS}|response_schema|/data/results/0/name"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_accepted_findings_pass_the_gate_and_vanished_ones_are_stale(tmp_path: Path) -> None:
    file = write(
        tmp_path / "baseline.yaml",
        f"""
entries:
  - {{fingerprint: "{BOLT_JOBS}", who: ann, why: known, when: 2025-01-01}}
  - {{fingerprint: "bolt|{CANDIDATES}|certification|declared-not-working", who: ann, why: x,
     when: 2025-01-01}}
  - {{fingerprint: "bolt|GET /assessment/orders|availability|", who: ann, why: x, when: x}}
  - {{fingerprint: "acme|{JOBS}|response_schema|/gone", who: bob, why: fixed, when: x}}
  - {{fingerprint: "zeta|{JOBS}|response_schema|/other-shard", who: bob, why: x, when: x}}
""",
    )
    certification = sample_certification()
    # bolt's undeclared-working cell has a synthesized finding, not an availability one
    certification = apply_baseline(certification, load_baseline(file), TODAY)
    assert [e.fingerprint for e in certification.stale] == [
        "bolt|GET /assessment/orders|availability|",
        f"acme|{JOBS}|response_schema|/gone",
    ]  # zeta is not part of this run: not stale
    assert certification.connectors[1].verdict == "not certified"
    new = [f.fingerprint for f in certification.new_findings]
    assert new == ["bolt|GET /assessment/orders|certification|undeclared-working"]


def test_expired_entries_no_longer_count(tmp_path: Path) -> None:
    file = write(
        tmp_path / "b.yaml",
        f'entries:\n  - {{fingerprint: "{BOLT_JOBS}", who: a, why: b, when: c, '
        "expires: 2025-03-03}\n",
    )
    baseline = load_baseline(file)
    assert not baseline.accepts(BOLT_JOBS, TODAY)
    assert baseline.accepts(BOLT_JOBS, dt.date(2025, 3, 3))
    certification = apply_baseline(sample_certification(), baseline, TODAY)
    assert [e.fingerprint for e in certification.expired] == [BOLT_JOBS]
    assert BOLT_JOBS in {f.fingerprint for f in certification.new_findings}


def test_update_keeps_people_fields_adds_placeholders_prunes_stale(tmp_path: Path) -> None:
    file = write(
        tmp_path / "b.yaml",
        f"""version: 1
entries:
  - fingerprint: "{BOLT_JOBS}"
    who: ann
    why: "Bolt has no job names (TICKET-1)"
    when: 2025-01-01
    expires: 2025-12-31
  - {{fingerprint: "acme|{JOBS}|response_schema|/gone", who: bob, why: fixed, when: x}}
  - {{fingerprint: "zeta|{JOBS}|schema|/p", who: carl, why: other shard, when: x}}
""",
    )
    certification = sample_certification()
    new = updated(load_baseline(file), certification.findings, certification.scope, TODAY)
    save_baseline(new, file)
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    entries = {e["fingerprint"]: e for e in data["entries"]}
    kept = entries[BOLT_JOBS]
    assert (kept["who"], kept["why"], kept["when"], kept["expires"]) == (
        "ann", "Bolt has no job names (TICKET-1)", "2025-01-01", "2025-12-31",
    )  # fmt: skip
    assert f"acme|{JOBS}|response_schema|/gone" not in entries  # stale, in scope: pruned
    assert f"zeta|{JOBS}|schema|/p" in entries  # outside this run: kept
    added = entries[f"bolt|{CANDIDATES}|certification|declared-not-working"]
    assert added["who"] == WHO_PLACEHOLDER and added["when"] == "2025-03-04"
    assert list(tmp_path.iterdir()) == [file]  # atomic write leaves no temporary file
    gated = apply_baseline(certification, load_baseline(file), TODAY)
    assert gated.exit_code == 0 and gated.stale == []


def test_update_creates_a_missing_file(tmp_path: Path) -> None:
    baseline = load_baseline(tmp_path / "new.yaml", missing_ok=True)
    failing = [finding("acme", JOBS)]
    save_baseline(updated(baseline, failing, {("acme", JOBS)}, TODAY), tmp_path / "new.yaml")
    assert load_baseline(tmp_path / "new.yaml").accepts(failing[0].fingerprint, TODAY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries: [1]", "must be a mapping with a string `fingerprint`"),
        ("entries: {a: 1}", "must be a mapping with a list `entries`"),
        ("entries:\n  - {fingerprint: 'a|b'}", "must be connector|operation|check|pointer"),
        ("entries:\n  - {fingerprint: 'a|b|c|', expires: soon}", "is not a date"),
        ("entries: [", "cannot be read"),
    ],
)
def test_bad_baselines_are_one_paragraph_usage_errors(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message.replace("|", r"\|")) as caught:
        load_baseline(write(tmp_path / "b.yaml", text))
    assert "\n" not in str(caught.value)


def test_missing_baseline_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--update-baseline"):
        load_baseline(tmp_path / "none.yaml")
    assert load_baseline(tmp_path / "none.yaml", missing_ok=True) == Baseline(
        {}, tmp_path / "none.yaml"
    )
