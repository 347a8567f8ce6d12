"""read_after_write polls with backoff up to ctx.consistency_timeout: a write that shows
late passes with a note, one that never shows is an error naming the timeout."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from kombo_conformance.checks import PROBES, state
from kombo_conformance.exchange import Exchange, Request
from tests.checks.fakes import Clock

CREATE = "POST /ats/candidates"
STAGE = "PUT /ats/applications/{application_id}/stage"
REMOVE_TAG = "DELETE /ats/candidates/{candidate_id}/tags"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(state, "monotonic", fake.monotonic)
    monkeypatch.setattr(state, "sleep", fake.sleep)
    return fake


def lagging(ctx, clock: Clock, lag: float, list_path: str) -> list[float]:
    """``<list_path>?ids=<id>`` answers as it did before the writes to ``.../<id>/...``
    of the last ``lag`` seconds (a copy synced ``lag`` seconds late); returns the times of
    reads after a write."""
    sandbox_send = ctx.send
    before: dict[str, Exchange] = {}  # id -> its read as of before the last write
    written: list[float] = []
    reads: list[float] = []

    def send(request: Request) -> Exchange:
        if request.method != "GET":
            ident = request.path.split("/")[3]
            if not written or clock.now - written[-1] >= lag:
                before[ident] = sandbox_send(Request("GET", list_path, query={"ids": ident}))
            written.append(clock.now)
            return sandbox_send(request)
        fresh = sandbox_send(request)
        ident = request.query.get("ids", "")
        if written and request.path == list_path and ident in before:
            reads.append(clock.now - written[-1])
            if clock.now - written[-1] < lag:
                return replace(before[ident], request=request)
        return fresh

    ctx.send = send
    return reads


def empty_until(ctx, clock: Clock, lag: float) -> None:
    """``ids=`` reads of a created record find nothing until ``lag`` seconds after it."""
    sandbox_send = ctx.send
    written: list[float] = []

    def send(request: Request) -> Exchange:
        exchange = sandbox_send(request)
        if request.method != "GET":
            written.append(clock.now)
        elif written and clock.now - written[-1] < lag and "ids" in request.query:
            body = {"status": "success", "data": {"next": None, "results": []}}
            return replace(exchange, content=json.dumps(body).encode())
        return exchange

    ctx.send = send


def test_a_created_record_showing_after_0_3_s_passes_with_a_note(
    sandbox, live_context, clock: Clock
) -> None:
    ctx = live_context(sandbox, "sandbox", CREATE, consistency_timeout=10)
    empty_until(ctx, clock, 0.3)
    result = PROBES["read_after_write"](ctx)
    assert (result.findings, result.verdict) == ([], "passed")
    assert "the created candidate showed after 0.8 s (3 reads; not yet at 0.2 s)" in result.note


def test_a_created_record_never_showing_is_an_error_naming_the_timeout(
    sandbox, live_context, clock: Clock
) -> None:
    ctx = live_context(sandbox, "sandbox", CREATE, consistency_timeout=5)
    empty_until(ctx, clock, 60)
    (lost,) = PROBES["read_after_write"](ctx).findings
    assert lost.severity == "error" and lost.pointer == "created"
    assert "within 5 s (--consistency-timeout; 6 reads)" in lost.message
    assert clock.now == pytest.approx(5)  # waits 0.25, 0.5, 1, 2, then the 1.25 s left


def test_an_effect_showing_late_passes(sandbox, live_context, clock: Clock) -> None:
    ctx = live_context(sandbox, "homerun", STAGE, consistency_timeout=10)
    reads = lagging(ctx, clock, 1.0, "/ats/applications")
    result = PROBES["read_after_write"](ctx)
    assert (result.findings, result.verdict) == ([], "passed")
    assert "current_stage_id change showed after 1.8 s" in result.note
    assert reads[:4] == [0, 0.25, 0.75, 1.75]


def test_a_removal_waits_for_its_setup_to_show(sandbox, live_context, clock: Clock) -> None:
    ctx = live_context(sandbox, "sandbox", REMOVE_TAG, consistency_timeout=10)
    lagging(ctx, clock, 1.0, "/ats/candidates")
    result = PROBES["read_after_write"](ctx)
    assert (result.findings, result.verdict) == ([], "passed")
    writes = [e.request.method for e in result.exchanges if e.request.method != "GET"]
    assert writes == ["POST", "DELETE"]
    assert "candidate.tags change showed after" in result.note  # not "at the first read"


def test_the_tag_not_removed_fault_is_still_an_error(faulty, live_context, clock) -> None:
    ctx = live_context(faulty("tag-not-removed"), "sandbox", REMOVE_TAG, consistency_timeout=3)
    (stays,) = PROBES["read_after_write"](ctx).findings
    assert stays.severity == "error" and "within 3 s (--consistency-timeout" in stays.message
    assert "x-kombo-effects in ats.yaml: candidate.tags lacks body.tag.name, by name" in stays.rule
