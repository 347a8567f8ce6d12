"""Connector personalities from profiles (test fixtures in fixtures/connectors)."""

from __future__ import annotations

import base64

import pytest

from tests.sandbox.conftest import make_client

pytestmark = pytest.mark.e2e


@pytest.fixture
def homerun(profiled_url, request):
    with make_client(profiled_url, f"homerun:{request.node.name}") as c:
        yield c


def test_unsupported_read_and_write(homerun, profiled_url):
    response = homerun.get("/ats/users")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "INTEGRATION.MODEL_NOT_AVAILABLE"
    cand = homerun.get("/ats/candidates").json()["data"]["results"][0]
    response = homerun.post(f"/ats/candidates/{cand['id']}/tags", json={"tag": {"name": "x"}})
    assert response.json()["error"]["code"] == "INTEGRATION.ACTION_NOT_AVAILABLE"
    with make_client(profiled_url, "lmsonly:1") as lms:
        response = lms.get("/lms/skills")
        assert response.status_code == 404
        error = response.json()["error"]
        # the general envelope's enum has PLATFORM.* codes only, but the errata declare that
        # the API sends INTEGRATION.MODEL_NOT_AVAILABLE with it (undocumented-codes)
        assert error["code"] == "INTEGRATION.MODEL_NOT_AVAILABLE"
        assert lms.get("/lms/users").status_code == 200


def test_uncovered_fields_are_null(homerun):
    job = homerun.get("/ats/jobs").json()["data"]["results"][0]
    assert job["name"] and job["id"]
    for field in ("job_code", "weekly_hours", "salary_currency", "department"):
        assert job[field] is None
    assert job["stages"] and all(s["status"] is None for s in job["stages"])
    assert all(s["name"] for s in job["stages"])


def test_refuse_stage_quirk(homerun):
    app = homerun.get("/ats/applications").json()["data"]["results"][0]
    job = homerun.get("/ats/jobs", params={"ids": app["job_id"], "include_deleted": "true"})
    stages = job.json()["data"]["results"][0]["stages"]
    new = next(s for s in stages if s["name"] == "New")
    other = next(s for s in stages if s["name"] != "New")
    response = homerun.put(f"/ats/applications/{app['id']}/stage", json={"stage_id": new["id"]})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "REMOTE.INPUT_INVALID"
    response = homerun.put(f"/ats/applications/{app['id']}/stage", json={"stage_id": other["id"]})
    assert response.status_code == 200


def test_fallback_quirk_attaches_to_candidate(homerun, profiled_url):
    app = homerun.get("/ats/applications").json()["data"]["results"][0]
    body = {
        "attachment": {
            "name": "cv.pdf",
            "type": "CV",
            "content_type": "application/pdf",
            "data": base64.b64encode(b"pdf").decode(),
        }
    }
    response = homerun.post(f"/ats/applications/{app['id']}/attachments", json=body)
    assert response.status_code == 200
    assert response.json()["warnings"][0]["message"].startswith("Homerun has no application")
    with make_client(profiled_url, homerun.headers["x-integration-id"]) as same:
        rows = same.get(f"/ats/candidates/{app['candidate_id']}/attachments")
    # GET candidate attachments is not supported by this fixture profile; check via sandbox
    assert rows.status_code == 404
