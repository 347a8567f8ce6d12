"""Cell classification and connector verdicts."""

from __future__ import annotations

import pytest

from kombo_conformance.certify.matrix import CERTIFICATION_CHECK, Evidence, classify
from tests.certify.helpers import JOBS, error, evidence, exchange, finding, sample_certification


@pytest.mark.parametrize(
    ("declared", "seen", "failing", "status"),
    [
        (True, evidence(served=2, rejected=1), False, "certified"),
        (True, evidence(served=2), True, "failed"),
        (True, evidence(served=2, not_available=1), False, "declared-not-working"),
        (True, evidence(errors=3), False, "declared-not-working"),
        (True, evidence(), False, "not run"),  # nothing reached the target (writes not allowed)
        (False, evidence(), False, "not run"),
        (True, evidence(rejected=3), False, "certified"),  # every input refused, not broken
        (False, evidence(not_available=1), False, "unsupported"),
        (False, evidence(rejected=1), False, "unsupported"),
        (False, evidence(served=1), False, "undeclared-working"),
        (False, evidence(served=1), True, "undeclared-working"),
        (False, evidence(errors=1), True, "failed"),
    ],
)
def test_status_rules(declared: bool, seen: Evidence, failing: bool, status: str) -> None:
    findings = [finding("acme", JOBS)] if failing else []
    assert classify("acme", JOBS, declared, seen, findings).status == status


def test_evidence_sorts_answers() -> None:
    seen = Evidence()
    for item in (
        exchange(JOBS, 200, {"status": "success"}),
        exchange(JOBS, 404, error("INTEGRATION.MODEL_NOT_AVAILABLE")),
        exchange(JOBS, 400, error("PLATFORM.INPUT_INVALID")),
        exchange(JOBS, 500, error("PLATFORM.INTERNAL_ERROR")),
        exchange(JOBS, 404, None),
    ):
        seen.add(item)
    assert (seen.requests, seen.served, seen.not_available, seen.rejected, seen.errors) == (
        5, 1, 1, 1, 2,
    )  # fmt: skip


def test_non_passing_cell_without_finding_gets_one_to_baseline() -> None:
    cell = classify("acme", JOBS, True, evidence(not_available=2), [])
    assert [f.check for f in cell.findings] == [CERTIFICATION_CHECK]
    assert cell.findings[0].fingerprint == f"acme|{JOBS}|certification|declared-not-working"


def test_warnings_do_not_fail_a_cell() -> None:
    note = finding("acme", JOBS, severity="warning")
    cell = classify("acme", JOBS, True, evidence(served=1), [note])
    assert cell.status == "certified" and cell.findings == []


def test_verdicts_and_gate() -> None:
    certification = sample_certification()
    acme, bolt = certification.connectors
    assert acme.verdict == "certified" and "1 declared operations certified" in acme.reason
    assert bolt.verdict == "not certified"
    assert "GET /ats/candidates: declared-not-working" in bolt.reason
    assert certification.exit_code == 1
    for cell in bolt.cells:
        cell.baselined = frozenset(f.fingerprint for f in cell.findings)
    assert bolt.verdict == "baselined" and certification.exit_code == 0
