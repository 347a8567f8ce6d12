"""A hostile Outcome shared by the report tests: secrets and markup in every field."""

from __future__ import annotations

import pytest

from kombo_conformance.findings import Case, Finding, Outcome, RequestRecord, ResponseExcerpt

API_KEY = "sk_live_REPORT_5ecret_42"


def make_outcome() -> Outcome:
    jobs, candidates = "GET /ats/jobs", "POST /ats/candidates"
    return Outcome(
        command="run",
        started_at="2025-03-04T05:06:07Z",
        duration_s=12.5,
        meta={"target": "http://127.0.0.1:8000", "seed": 7, "secrets": [API_KEY]},
        cases=[
            Case("greenhouse", jobs, "schema"),
            Case("greenhouse", jobs, "status-code"),
            Case("greenhouse", candidates, "schema"),
            Case("workday", jobs, "schema"),
            Case("workday", jobs, "pagination"),
        ],
        findings=[
            Finding(
                check="schema",
                message=f"<script>alert('x')</script> field /data/0/name rejected {API_KEY}",
                connector="greenhouse",
                operation=jobs,
                pointer="/data/0/name",
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
