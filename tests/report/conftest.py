"""A hostile Outcome shared by the report tests: secrets and markup in every field, every
verdict, a bounded pass, rule sources and the records the run changed."""

from __future__ import annotations

import pytest

from kombo_conformance.findings import Case, Finding, Outcome, RequestRecord, ResponseExcerpt

API_KEY = "sk_live_REPORT_5ecret_42"
STOPPED = "POST /ats/candidates stopped answering (3 timeouts or resets)"
RATE_LIMITED = f"rate limited after 4 retries (last sent with api_key={API_KEY})"
BOUNDED = f"walked 200 pages (10,000 records) without reaching the end: cursor for {API_KEY}"
SCHEMA_RULE = "ats.yaml#/components/schemas/Job/properties/name: type string"
DOCS_RULE = "docs.kombo.dev/ats/candidates: a created candidate is readable at once"


def make_outcome() -> Outcome:
    jobs, candidates = "GET /ats/jobs", "POST /ats/candidates"
    return Outcome(
        command="run",
        started_at="2025-03-04T05:06:07Z",
        duration_s=12.5,
        meta={
            "target": "http://127.0.0.1:8000",
            "seed": 7,
            "secrets": [API_KEY],
            "environment": "staging",
            "writes_allowed": True,
            "politeness": {"rate_limit": 10.0, "retries": 3, "waited_s": 4.2, "rate_limited": 5},
            "changes": [
                {
                    "operation": candidates,
                    "method": "POST",
                    "path": "/ats/candidates",
                    "id": "cand_1",
                    "status": 200,
                },
                {
                    "operation": candidates,
                    "method": "POST",
                    "path": f"/ats/candidates?api_key={API_KEY}",
                    "id": "cand_2",
                    "status": 201,
                },
            ],
        },
        cases=[
            Case("greenhouse", jobs, "schema"),
            Case("greenhouse", jobs, "status-code"),
            Case("greenhouse", candidates, "schema"),
            Case("workday", jobs, "schema"),
            Case("workday", jobs, "pagination"),
            Case("greenhouse", jobs, "pagination", "passed", BOUNDED, bounded=True),
            Case("greenhouse", jobs, "filters", "inconclusive", RATE_LIMITED),
            Case("workday", jobs, "filters", "inconclusive", RATE_LIMITED),
            Case("greenhouse", candidates, "idempotency", "not run", STOPPED),
            Case("workday", candidates, "idempotency", "not run", STOPPED),
            Case("greenhouse", candidates, "pagination", "not applicable"),
        ],
        findings=[
            Finding(
                check="schema",
                message=f"<script>alert('x')</script> field /data/0/name rejected {API_KEY}",
                connector="greenhouse",
                operation=jobs,
                pointer="/data/0/name",
                rule=SCHEMA_RULE,
                request=RequestRecord(
                    "GET",
                    f"http://127.0.0.1:8000/v1/ats/jobs?api_key={API_KEY}&page_size=2",
                    {"Authorization": f"Bearer {API_KEY}", "X-Integration-Id": "greenhouse:1"},
                ),
                response=ResponseExcerpt(200, '{"data": [{"name": 5}]}'),
            ),
            Finding(
                check="schema",
                message="second error on the same case",
                connector="greenhouse",
                operation=jobs,
            ),
            Finding(
                check="pagination",
                message="next cursor repeats a page",
                severity="warning",
                connector="workday",
                operation=jobs,
            ),
            Finding(
                check="read-after-write",
                message="created candidate not readable",
                connector="workday",
                operation=candidates,
                rule=DOCS_RULE,
                request=RequestRecord(
                    "POST",
                    "http://127.0.0.1:8000/v1/ats/candidates",
                    {"x-api-key": API_KEY},
                    {"remote_fields": [{"key": "dept", "password": API_KEY}]},
                ),
                response=ResponseExcerpt(500, f"boom \x00 {API_KEY}"),
                reproduction=f"curl -H 'Authorization: Bearer {API_KEY}' http://h/x",
            ),
            Finding(check="example-valid", message="example drifts", severity="advisory"),
        ],
    )


@pytest.fixture
def outcome() -> Outcome:
    return make_outcome()


@pytest.fixture
def api_key() -> str:
    """The secret planted throughout ``outcome``."""
    return API_KEY
