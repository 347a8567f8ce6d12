"""The realistic personality: production-like behaviour that stays within the contract."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from kombo_conformance.contract.validate import first_error
from kombo_conformance.sandbox.data import isoformat
from kombo_conformance.sandbox.filters import parse_instant
from kombo_conformance.sandbox.realistic import RateLimiter, Realism
from kombo_conformance.sandbox.server import running_sandbox
from tests.sandbox.conftest import API_KEY, make_client
from tests.sandbox.test_cli import free_port, start
from tests.sandbox.test_conformance import response_schema

pytestmark = pytest.mark.e2e
LAG = 0.5
REALISM = Realism(records=5000, lag_s=LAG, rate_limit=None)  # read by one integration
WRITES = Realism(records=300, lag_s=LAG, rate_limit=None)  # one integration per test
PDF = base64.b64encode(b"%PDF-1.4").decode()


@pytest.fixture(scope="module")
def realistic_url(contract) -> Iterator[str]:
    with running_sandbox(contract, api_key=API_KEY, seed=11, realism=REALISM) as url:
        yield url


@pytest.fixture(scope="module")
def reader(realistic_url) -> Iterator[httpx.Client]:
    """One read-only integration shared by the tests that only read."""
    with make_client(realistic_url, "sandbox:reader") as c:
        yield c


@pytest.fixture(scope="module")
def writes_url(contract) -> Iterator[str]:
    with running_sandbox(contract, api_key=API_KEY, seed=12, realism=WRITES) as url:
        yield url


@pytest.fixture
def writer(writes_url, request) -> Iterator[httpx.Client]:
    with make_client(writes_url, f"sandbox:{request.node.name[:60]}") as c:
        yield c


def walk(client: httpx.Client, path: str, **params) -> list[dict]:
    """Every page of a list (each page's ``data``)."""
    pages, cursor = [], None
    for _ in range(200):
        data = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert data.status_code == 200, data.text
        page = data.json()["data"]
        pages.append(page)
        cursor = page["next"]
        if cursor is None:
            return pages
    raise AssertionError("pagination did not end")


def first(client: httpx.Client, path: str, **params) -> dict:
    return client.get(path, params={"page_size": 1, **params}).json()["data"]["results"][0]


def listed_ids(client: httpx.Client, path: str, ident: str) -> list[str]:
    return [r["id"] for r in client.get(path, params={"ids": ident}).json()["data"]["results"]]


# -- scale and pages ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def every_page(reader) -> list[dict]:
    return walk(reader, "/ats/candidates", page_size=250, include_deleted="true")


def test_walk_returns_every_record_once_with_short_pages(reader, every_page):
    all_ids = [r["id"] for page in every_page for r in page["results"]]
    assert len(all_ids) == len(set(all_ids)) == REALISM.seed_counts()["ats/candidates"] == 5000
    assert all(len(page["results"]) <= 250 for page in every_page)
    short = [page for page in every_page if page["next"] and len(page["results"]) < 250]
    assert short, "no page was short while `next` was set"
    live = walk(reader, "/ats/candidates", page_size=250)
    live_ids = [r["id"] for page in live for r in page["results"]]
    deleted = {r["id"] for page in every_page for r in page["results"] if r["remote_deleted_at"]}
    assert deleted and len(live_ids) == len(set(live_ids))
    assert live_ids == [i for i in all_ids if i not in deleted]  # the same records, in order


def test_big_lists_scale_with_records():
    counts = Realism(records=3400).seed_counts()
    assert counts["ats/candidates"] == 3400
    assert counts["ats/applications"] == 3800 and counts["assessment/orders"] == 2700
    assert counts["ats/tags"] == Realism(records=10).seed_counts()["ats/tags"]  # not scaled


def test_derived_records_are_distinct_and_related(reader, every_page):
    rows = [r for page in every_page[-3:] for r in page["results"]]  # far past the templates
    assert len({r["remote_id"] for r in rows}) == len(rows)
    assert len({r["changed_at"] for r in rows}) > len(rows) * 0.9
    assert len({r["first_name"] + r["last_name"] for r in rows}) > 50
    owner = next(r for r in rows if r["applications"] and not r["remote_deleted_at"])
    ids = ",".join(a["id"] for a in owner["applications"])
    apps = reader.get("/ats/applications", params={"ids": ids, "include_deleted": "true"})
    assert {a["candidate_id"] for a in apps.json()["data"]["results"]} == {owner["id"]}


# -- filters --------------------------------------------------------------------------------
def test_updated_after_is_exclusive(reader):
    record = first(reader, "/ats/candidates")
    instant = record["changed_at"]
    earlier = isoformat(parse_instant(instant) - timedelta(milliseconds=1))
    for since, expected in ((instant, []), (earlier, [record["id"]])):
        got = reader.get("/ats/candidates", params={"ids": record["id"], "updated_after": since})
        assert [r["id"] for r in got.json()["data"]["results"]] == expected, since


def test_ids_filter_on_a_big_list(reader, every_page):
    rows = [r for r in every_page[-1]["results"] if not r["remote_deleted_at"]][-3:]
    wanted = ",".join(r["id"].lower() if i == 0 else r["id"] for i, r in enumerate(rows))
    got = reader.get("/ats/candidates", params={"ids": wanted}).json()["data"]
    assert [r["id"] for r in got["results"]] == [r["id"] for r in rows] and got["next"] is None


# -- extra fields ---------------------------------------------------------------------------
def test_records_carry_undocumented_fields(reader, contract):
    for path in ("/ats/candidates", "/ats/jobs", "/lms/users", "/assessment/orders"):
        record = first(reader, path)
        schema = contract.operations[f"GET {path}"].conventions.record_schema
        assert "custom_fields_v2" not in schema["properties"]
        assert record["custom_fields_v2"]["source_channel"]
        assert isinstance(record["_kombo_internal_score"], int)
        assert first(reader, path) == record  # deterministic


def test_answers_stay_within_the_contract(reader, contract, every_page):
    """Short pages, extra fields and the realistic data all validate against the schemas."""
    short = next(page for page in every_page if page["next"] and len(page["results"]) < 250)
    operation = contract.operations["GET /ats/candidates"]
    assert (
        first_error(response_schema(contract, operation, 200), {"status": "success", "data": short})
        is None
    )
    for path in (
        "/ats/applications",
        "/ats/jobs",
        "/lms/course-progressions",
        "/assessment/orders",
    ):
        body = reader.get(path, params={"page_size": 250}).json()
        error = first_error(
            response_schema(contract, contract.operations[f"GET {path}"], 200), body
        )
        assert error is None, (path, error.message if error else None)


# -- write lag ------------------------------------------------------------------------------
def eventually(check, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_created_candidate_reaches_lists_after_the_lag(writer):
    job = first(writer, "/ats/jobs")
    for attempt in range(3):  # a too slow machine gets another try at "right after"
        started = time.monotonic()
        created = writer.post(
            "/ats/candidates",
            json={
                "candidate": {
                    "first_name": "Lag",
                    "last_name": f"Test{attempt}",
                    "email_address": f"lag{attempt}@example.com",
                },
                "application": {"job_id": job["id"]},
            },
        )
        assert created.status_code == 200, created.text
        data = created.json()["data"]
        assert (data["first_name"], data["last_name"]) == ("Lag", f"Test{attempt}")
        right_after = listed_ids(writer, "/ats/candidates", data["id"])
        if time.monotonic() - started < LAG:
            break
    else:
        pytest.skip("this machine never read back within the lag")
    assert right_after == []
    assert eventually(lambda: listed_ids(writer, "/ats/candidates", data["id"]) == [data["id"]])


def test_stage_move_reaches_lists_after_the_lag(writer):
    app = first(writer, "/ats/applications")
    job = first(writer, "/ats/jobs", ids=app["job_id"], include_deleted="true")
    stages = [s["id"] for s in job["stages"] if s["id"] != app["current_stage_id"]]

    def stage_now() -> str:
        return first(writer, "/ats/applications", ids=app["id"])["current_stage_id"]

    for target in stages[:3]:
        started = time.monotonic()
        moved = writer.put(f"/ats/applications/{app['id']}/stage", json={"stage_id": target})
        assert moved.status_code == 200, moved.text
        shown = stage_now()
        if time.monotonic() - started < LAG:
            break
        assert eventually(lambda target=target: stage_now() == target)
    else:
        pytest.skip("this machine never read back within the lag")
    assert shown != target
    assert eventually(lambda: stage_now() == target)


# -- rate limit -----------------------------------------------------------------------------
def test_rate_limit_answers_429_with_retry_after(contract):
    rate = 5
    realism = Realism(records=50, lag_s=0, rate_limit=rate)
    with (
        running_sandbox(contract, api_key=API_KEY, realism=realism) as url,
        make_client(url, "sandbox:limited") as c,
        make_client(url, "sandbox:other") as other,
    ):
        c.get("/ats/tags")  # seeds the dataset
        for _ in range(3):  # a too slow machine refills a token meanwhile: try again
            time.sleep(1.2)  # a full bucket
            started = time.monotonic()
            answers = [c.get("/ats/tags", params={"page_size": 1}) for _ in range(rate + 1)]
            if time.monotonic() - started < 0.8 / rate:
                break
        else:
            pytest.skip("this machine never sent the requests within a token's time")
        *allowed, limited = answers
        assert [a.status_code for a in allowed] == [200] * rate
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) >= 1
        operation = contract.operations["GET /ats/tags"]
        assert first_error(response_schema(contract, operation, 429), limited.json()) is None
        assert limited.json() == {
            "status": "error",
            "error": {
                "code": "PLATFORM.RATE_LIMIT_EXCEEDED",
                "title": "Rate limit exceeded.",
                "message": limited.json()["error"]["message"],
                "log_url": limited.json()["error"]["log_url"],
            },
        }
        assert other.get("/ats/tags").status_code == 200  # buckets are per integration


def test_rate_limiter_buckets():
    now = [0.0]
    limiter = RateLimiter(rate=2, burst=2, clock=lambda: now[0])
    assert [limiter.retry_after("a") for _ in range(2)] == [None, None]
    assert limiter.retry_after("a") == 1
    assert limiter.retry_after("b") is None
    now[0] = 0.5  # one token back
    assert limiter.retry_after("a") is None and limiter.retry_after("a") == 1
    slow = RateLimiter(rate=0.25, burst=1, clock=lambda: now[0])
    assert slow.retry_after("a") is None and slow.retry_after("a") == 4


# -- prose rules ----------------------------------------------------------------------------
def attach(client: httpx.Client, candidate: str, attachment: dict) -> httpx.Response:
    return client.post(f"/ats/candidates/{candidate}/attachments", json={"attachment": attachment})


def test_prose_rule_violation_is_a_remote_error(writer, client):
    good = {"name": "cv.pdf", "type": "CV", "content_type": "application/pdf", "data": PDF}
    prose = {"name": "cv.pdf", "type": "CV", "data": PDF}  # content_type needed with data
    schema = {"name": "cv.pdf", "type": "CV", "data_url": 5}  # data_url must be a string
    for c, code in ((writer, "REMOTE.INPUT_INVALID"), (client, "PLATFORM.INPUT_INVALID")):
        candidate = first(c, "/ats/candidates")["id"]
        assert attach(c, candidate, good).status_code == 200
        refused = attach(c, candidate, prose)
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == code  # the default sandbox says PLATFORM
        invalid = attach(c, candidate, schema)
        assert invalid.status_code == 400
        assert invalid.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    order = first(writer, "/assessment/orders", statuses="OPEN")
    final = writer.put(
        f"/assessment/orders/{order['id']}/result",
        json={"status": "COMPLETED", "result_url": "https://results.example/1"},
    )
    assert final.status_code == 400
    assert final.json()["error"]["code"] == "REMOTE.INPUT_INVALID"


def test_prose_code_only_where_documented(contract):
    realism = Realism()
    ats = contract.operations["POST /ats/candidates"]
    assert realism.prose_code(ats, contract.errata) == "REMOTE.INPUT_INVALID"
    lms = contract.operations["GET /lms/users"]  # the general envelope has PLATFORM codes
    assert realism.prose_code(lms, contract.errata) == "PLATFORM.INPUT_INVALID"
    off = Realism(remote_prose_errors=False)
    assert off.prose_code(ats, contract.errata) == "PLATFORM.INPUT_INVALID"


# -- faults on top --------------------------------------------------------------------------
def test_faults_combine_with_realism(contract):
    realism = Realism(records=400, lag_s=0, rate_limit=None)
    with (
        running_sandbox(
            contract,
            api_key=API_KEY,
            realism=realism,
            faults=["ignore-ids-filter", "server-error-on-invalid"],
        ) as url,
        make_client(url, "sandbox:faulty") as c,
    ):
        one = first(c, "/ats/candidates", page_size=3)
        got = c.get("/ats/candidates", params={"ids": one["id"], "page_size": 50}).json()
        assert len(got["data"]["results"]) > 1  # the fault: ids ignored
        assert all("custom_fields_v2" in r for r in got["data"]["results"])  # realism stays
        body = {"attachment": {"name": "cv.pdf", "type": "CV", "data": PDF}}
        broken = c.post(f"/ats/candidates/{one['id']}/attachments", json=body)
        assert broken.status_code == 500  # invalid input answers 500, prose rules too


# -- configuration and CLI ------------------------------------------------------------------
@pytest.mark.parametrize(
    "options", [{"records": 0}, {"lag_s": -1}, {"rate_limit": 0}, {"templates": 0}]
)
def test_bad_realism_is_refused(options):
    with pytest.raises(ValueError):
        Realism(**options)


def test_cli_serves_the_realistic_sandbox():
    port = free_port()
    flags = ("--realistic", "--records", "300", "--lag", "0", "--rate-limit", "0.5")
    proc = start("--port", str(port), "--api-key", "k", *flags)
    try:
        headers = {"Authorization": "Bearer k", "X-Integration-Id": "sandbox:cli"}
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/v1/ats/candidates", headers=headers)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the sandbox never answered"
                time.sleep(0.1)
        assert r.status_code == 200 and "custom_fields_v2" in r.json()["data"]["results"][0]
        limited = httpx.get(f"http://127.0.0.1:{port}/v1/ats/tags", headers=headers)
        assert limited.status_code == 429  # a bucket of one, refilled every 2 s
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert "realistic: 300 candidates" in out


def test_cli_realism_flags_need_realistic():
    proc = start("--port", "0", "--records", "10")
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "--realistic" in err and "Traceback" not in err
