"""A polite, safe Target: write guard, change log, rate limit and bounded retries.

Time is a fake clock (``sleep`` advances it), so nothing here sleeps for real; HTTP goes
through ``httpx.MockTransport``, or a real server on 127.0.0.1 where requests are counted.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from kombo_conformance.changes import Change, last_path_id
from kombo_conformance.contract import Contract
from kombo_conformance.errors import Inconclusive, WriteNotAllowed
from kombo_conformance.exchange import Request
from kombo_conformance.politeness import RateLimiter, RetryPolicy, retry_after_seconds
from kombo_conformance.transport import Target

RATE_LIMITED = {
    "status": "error",
    "error": {
        "code": "PLATFORM.RATE_LIMIT_EXCEEDED",
        "title": "Rate limit exceeded",
        "message": "slow down",
        "log_url": None,
    },
}
OK = {"status": "success", "data": {"results": [], "next": None}}


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


Handler = Callable[[httpx.Request], httpx.Response]


def scripted(*responses: httpx.Response) -> tuple[Handler, list[httpx.Request]]:
    """A handler answering with ``responses`` in turn (the last one forever), and its log."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return responses[min(len(seen), len(responses)) - 1]

    return handle, seen


def make_target(clock: FakeClock, handler: Handler, **kwargs: Any) -> Target:
    return Target(
        "http://target.test/v1",
        "key",
        sleep=clock.sleep,
        clock=clock,
        transport=httpx.MockTransport(handler),
        **kwargs,
    )


def too_many(retry_after: str | None = None, **headers: str) -> httpx.Response:
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    return httpx.Response(429, headers=headers, json=RATE_LIMITED)


# --- write guard ----------------------------------------------------------------------------


class _Counting(BaseHTTPRequestHandler):
    """Counts requests by method; answers every one with an empty JSON object."""

    counts: Counter[str]

    def _answer(self) -> None:
        self.counts[self.command] += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def counting_server() -> Iterator[tuple[str, Counter[str]]]:
    counts: Counter[str] = Counter()
    handler = type("Handler", (_Counting,), {"counts": counts})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", counts
    server.shutdown()
    server.server_close()


def test_write_guard_sends_nothing_but_gets(counting_server: tuple[str, Counter[str]]) -> None:
    url, counts = counting_server
    clock = FakeClock()
    with Target(url, "k", allow_writes=False, rate_limit=1, sleep=clock.sleep, clock=clock) as t:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            with pytest.raises(WriteNotAllowed) as info:
                t.send(Request(method, "/ats/candidates", body={"x": 1}), integration_id="a:1")
            assert (info.value.method, info.value.path) == (method, "/ats/candidates")
        assert counts == Counter()
        assert clock.sleeps == [] and t.stats.requests == 0  # not even a rate-limit slot
        assert t.send(Request("GET", "/ats/jobs"), integration_id="a:1").status == 200
    assert counts == Counter({"GET": 1})
    assert t.changes == []


# --- retries ------------------------------------------------------------------------------


def test_429_with_retry_after_is_retried_after_that_many_seconds() -> None:
    clock = FakeClock()
    handler, seen = scripted(too_many("2"), httpx.Response(200, json=OK))
    with make_target(clock, handler) as target:
        exchange = target.send(Request("GET", "/ats/jobs"), integration_id="a:1")
    assert exchange.status == 200
    assert len(seen) == 2 and clock.sleeps == [2.0]
    stats = target.stats.as_dict()
    assert stats == asdict(target.stats)  # the lock is no field
    assert stats == {
        "requests": 2,
        "retries": 1,
        "responses_429": 1,
        "waited_s": 2.0,
        "retry_wait_s": 2.0,
        "throttle_wait_s": 0.0,
    }


def test_429_forever_is_inconclusive_after_max_retries_with_the_last_exchange() -> None:
    clock = FakeClock()
    handler, seen = scripted(too_many("3"))
    with make_target(clock, handler) as target, pytest.raises(Inconclusive) as info:
        target.send(Request("GET", "/ats/jobs"), integration_id="a:1")
    assert str(info.value) == (
        "rate limited: 429 PLATFORM.RATE_LIMIT_EXCEEDED after 4 retries (waited 12.0 s)"
    )
    assert info.value.exchange is not None and info.value.exchange.status == 429
    assert len(seen) == 5 and clock.sleeps == [3.0] * 4
    assert (target.stats.requests, target.stats.retries, target.stats.responses_429) == (5, 4, 5)


def test_without_retry_after_backoff_is_exponential_jittered_and_bounded() -> None:
    clock = FakeClock()
    handler, seen = scripted(httpx.Response(503))
    with make_target(clock, handler) as target, pytest.raises(Inconclusive) as info:
        target.send(Request("GET", "/ats/jobs"))
    assert len(seen) == 5
    for n, wait in enumerate(clock.sleeps):
        assert 0.25 * 2**n <= wait <= 0.5 * 2**n
    assert len(set(clock.sleeps)) == 4
    assert str(info.value).startswith("temporarily unavailable: 503 after 4 retries (waited ")


def test_a_retry_after_beyond_the_budget_gives_up_at_once() -> None:
    clock = FakeClock()
    handler, seen = scripted(too_many("120"))
    with make_target(clock, handler) as target, pytest.raises(Inconclusive) as info:
        target.send(Request("GET", "/ats/jobs"))
    assert len(seen) == 1 and clock.sleeps == []
    assert "Retry-After 120 s, beyond the wait budget (30 s per wait" in str(info.value)
    assert "after 0 retries (waited 0.0 s)" in str(info.value)


def test_the_total_wait_budget_is_never_exceeded() -> None:
    clock = FakeClock()
    handler, seen = scripted(too_many("25"))
    policy = RetryPolicy(max_retries=10, max_total_wait=60)
    with make_target(clock, handler, retry=policy) as target, pytest.raises(Inconclusive) as info:
        target.send(Request("GET", "/ats/jobs"))
    assert clock.sleeps == [25.0, 25.0]  # a third 25 s wait would pass 60 s
    assert len(seen) == 3
    assert "(30 s per wait, 10.0 s left), after 2 retries (waited 50.0 s)" in str(info.value)


def test_retry_after_http_date_is_measured_from_the_response_date() -> None:
    clock = FakeClock()
    sent = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)
    answer = too_many(
        format_datetime(sent + timedelta(seconds=5), usegmt=True),
        Date=format_datetime(sent, usegmt=True),
    )
    handler, _ = scripted(answer, httpx.Response(200, json=OK))
    with make_target(clock, handler) as target:
        assert target.send(Request("GET", "/ats/jobs")).status == 200
    assert clock.sleeps == [5.0]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": " 1.5 "}, 1.5),
        ({"Retry-After": "-3"}, 0.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT"}, 10.0),  # measured from `now`
        ({"Retry-After": "Wed, 21 Oct 2015 07:27:00 GMT"}, 0.0),  # in the past
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "nan"}, None),
        ({}, None),
    ],
)
def test_retry_after_parsing(headers: dict[str, str], expected: float | None) -> None:
    now = datetime(2015, 10, 21, 7, 28, 0, tzinfo=UTC).timestamp()
    assert retry_after_seconds(headers, now) == expected


def test_a_transient_code_from_the_contract_is_retried_even_in_a_400(contract: Contract) -> None:
    assert "INTEGRATION.SETUP_SYNC_PENDING" in contract.transient_codes
    pending = {"status": "error", "error": {"code": "INTEGRATION.SETUP_SYNC_PENDING"}}
    clock = FakeClock()
    handler, seen = scripted(
        httpx.Response(400, json=pending, headers={"Retry-After": "1"}),
        httpx.Response(200, json=OK),
    )
    with make_target(clock, handler, transient_codes=contract.transient_codes) as target:
        assert target.send(Request("GET", "/ats/jobs")).status == 200
    assert len(seen) == 2 and clock.sleeps == [1.0]
    assert target.stats.responses_429 == 0 and target.stats.retries == 1


def test_other_error_codes_and_statuses_are_answers_not_retried(contract: Contract) -> None:
    invalid = {"status": "error", "error": {"code": "PLATFORM.INPUT_INVALID"}}
    clock = FakeClock()
    for answer in (httpx.Response(400, json=invalid), httpx.Response(500, json=invalid)):
        handler, seen = scripted(answer)
        with make_target(clock, handler, transient_codes=contract.transient_codes) as target:
            assert target.send(Request("GET", "/ats/jobs")).status == answer.status_code
        assert len(seen) == 1
    assert clock.sleeps == []


def test_a_transient_code_is_not_retried_unless_declared() -> None:
    pending = {"status": "error", "error": {"code": "INTEGRATION.SETUP_SYNC_PENDING"}}
    handler, seen = scripted(httpx.Response(400, json=pending))
    with make_target(FakeClock(), handler) as target:
        assert target.send(Request("GET", "/ats/jobs")).status == 400
    assert len(seen) == 1


# --- rate limit -----------------------------------------------------------------------------


def test_rate_limit_spaces_requests_per_integration() -> None:
    clock = FakeClock()
    handler, seen = scripted(httpx.Response(200, json=OK))
    with make_target(clock, handler, rate_limit=5) as target:
        for _ in range(10):
            target.send(Request("GET", "/ats/jobs"), integration_id="a:1")
        assert clock.now == pytest.approx(1.8)
        assert target.stats.throttle_wait_s == pytest.approx(1.8)
        started = clock.now
        for _ in range(5):  # two integrations, interleaved: separate buckets
            target.send(Request("GET", "/ats/jobs"), integration_id="b:1")
            target.send(Request("GET", "/ats/jobs"), integration_id="c:1")
        assert clock.now - started == pytest.approx(0.8)
    assert len(seen) == 20


def test_a_429_holds_back_that_integration_for_the_other_threads_too() -> None:
    clock = FakeClock()
    limiter = RateLimiter(None, clock=clock, sleep=clock.sleep)
    assert limiter.acquire("a:1") == 0.0
    limiter.hold("a:1", 4.0)
    limiter.hold("a:1", 1.0)  # a shorter hold never shortens a longer one
    assert limiter.acquire("b:1") == 0.0
    assert limiter.acquire("a:1") == 4.0
    assert limiter.acquire("a:1") == 0.0


def test_limiter_slots_are_unique_across_threads() -> None:
    frozen = 100.0
    waits: list[float] = []
    limiter = RateLimiter(10, clock=lambda: frozen, sleep=lambda s: None)
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(10):
            wait = limiter.acquire("a:1")
            with lock:
                waits.append(round(wait, 6))

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(waits) == [round(i * 0.1, 6) for i in range(50)]


def test_invalid_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(max_retries=-1)


def test_backoff_never_exceeds_max_delay() -> None:
    policy = RetryPolicy(max_retries=20)
    rng = random.Random(1)
    assert all(policy.backoff(n, rng) <= policy.max_delay for n in range(20))
    assert policy.next_wait(3, 59.9, None, rng) == pytest.approx(0.1)
    assert RetryPolicy().next_wait(4, 0.0, None, rng) is None  # four retries were made


# --- change log ---------------------------------------------------------------------------


def _writes_handler(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/candidates") and request.method == "POST":
        return httpx.Response(200, json={"status": "success", "data": {"id": "cand-9"}})
    if request.url.path.endswith("/notes"):
        return httpx.Response(200, json={"status": "success", "data": {}, "warnings": []})
    if request.method == "PUT":
        return httpx.Response(204)
    if request.method == "PATCH":
        return httpx.Response(400, json={"status": "error", "error": {"code": "X"}})
    return httpx.Response(200, json=OK)


def test_changes_record_accepted_writes_with_their_record_id() -> None:
    with make_target(FakeClock(), _writes_handler) as target:
        target.send(Request("GET", "/ats/candidates"), operation="GET /ats/candidates")
        target.send(
            Request("POST", "/ats/candidates", body={"name": "x"}),
            integration_id="a:1",
            operation="POST /ats/candidates",
        )
        target.send(
            Request("POST", "/ats/applications/app-1/notes", body={"content": "x"}),
            integration_id="a:1",
            operation="POST /ats/applications/{application_id}/notes",
        )
        target.send(
            Request("PUT", "/ats/applications/app-2/stage", body={"stage_id": "s"}),
            operation="PUT /ats/applications/{application_id}/stage",
        )
        target.send(Request("PATCH", "/ats/applications/app-3/interviews", body={}))
    assert target.changes == [
        Change("POST /ats/candidates", "POST", "/ats/candidates", "cand-9", 200, "a:1"),
        Change(
            "POST /ats/applications/{application_id}/notes",
            "POST",
            "/ats/applications/app-1/notes",
            "app-1",
            200,
            "a:1",
        ),
        Change(
            "PUT /ats/applications/{application_id}/stage",
            "PUT",
            "/ats/applications/app-2/stage",
            "app-2",
            204,
        ),
    ]


@pytest.mark.parametrize(
    ("operation", "path", "expected"),
    [
        ("PUT /a/{x}/b/{y}", "/a/1/b/2", "2"),
        ("POST /a/{x}/notes", "/a/1/notes", "1"),
        ("POST /a/{x}/notes", "/a/1/other", None),
        ("POST /a", "/a", None),
        ("", "/a/1", None),
    ],
)
def test_last_path_id(operation: str, path: str, expected: str | None) -> None:
    assert last_path_id(operation, path) == expected


def test_a_shared_target_counts_and_logs_every_thread() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"id": json.loads(request.content)["n"]}})

    with make_target(FakeClock(), handler, rate_limit=1000) as target:

        def worker(w: int) -> None:
            for i in range(25):
                target.send(
                    Request("POST", "/ats/candidates", body={"n": f"{w}-{i}"}),
                    integration_id=f"x:{w % 2}",
                )

        threads = [threading.Thread(target=worker, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert target.stats.requests == 200
    assert len({c.id for c in target.changes}) == 200
