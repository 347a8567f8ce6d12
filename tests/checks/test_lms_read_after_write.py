"""read_after_write on the LMS writes: their declared effects (contracts/lms.yaml,
``x-kombo-effects``) show on the sandbox, and a target that does not apply them is caught."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from kombo_conformance.checks import PROBES, state
from kombo_conformance.exchange import Exchange, Request
from tests.checks.fakes import Clock

ENROLL = "POST /lms/course-progressions"
COMPLETE = "POST /lms/course-progressions/{course_progression_id}/complete"


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Polls wait on a fake clock: a write never showing costs no real time."""
    fake = Clock()
    monkeypatch.setattr(state, "monotonic", fake.monotonic)
    monkeypatch.setattr(state, "sleep", fake.sleep)
    return fake


def test_an_enrollment_is_listed_with_its_user_and_revision(sandbox, live_context) -> None:
    ctx = live_context(sandbox, "sandbox", ENROLL)
    result = PROBES["read_after_write"](ctx)
    assert (result.findings, result.verdict) == ([], "passed")
    assert "the created course_progression showed at the first read" in result.note
    (write,) = [e for e in result.exchanges if e.request.method == "POST"]
    # the body was built from real ids: a user and a revision nested in GET /lms/courses
    assert write.status == 200 and write.json["data"]["course_revision_id"]


def test_a_lost_enrollment_is_an_error_naming_the_list(faulty, live_context) -> None:
    ctx = live_context(faulty("lost-write"), "sandbox", ENROLL)
    (lost,) = PROBES["read_after_write"](ctx).findings
    assert lost.severity == "error" and lost.pointer == "created"
    assert "in GET /lms/course-progressions?ids=" in lost.message


def test_a_completion_shows_completed(sandbox, live_context) -> None:
    ctx = live_context(sandbox, "sandbox", COMPLETE)
    result = PROBES["read_after_write"](ctx)
    assert (result.findings, result.verdict) == ([], "passed")
    assert "course_progression.status/completed_at change showed" in result.note


def test_a_completion_answered_but_not_applied_is_an_error(sandbox, live_context) -> None:
    """The target answers the completion with the record as it was and keeps nothing."""
    ctx = live_context(sandbox, "sandbox", COMPLETE)
    send = ctx.send

    def ignore_completions(request: Request) -> Exchange:
        if request.method != "POST":
            return send(request)
        ident = request.path.split("/")[3]
        read = send(Request("GET", "/lms/course-progressions", query={"ids": ident}))
        (record,) = read.json["data"]["results"]
        body = {"status": "success", "data": record, "warnings": []}
        return replace(read, request=request, content=json.dumps(body).encode())

    ctx.send = ignore_completions
    findings = PROBES["read_after_write"](ctx).findings
    assert {f.pointer for f in findings} >= {"status"}
    status = next(f for f in findings if f.pointer == "status")
    assert status.severity == "error" and "to equals 'COMPLETED'" in status.message
    assert "x-kombo-effects" in status.rule and "lms.yaml" in status.rule
