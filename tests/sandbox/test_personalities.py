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


def attachment(name: str) -> dict:
    data = base64.b64encode(b"pdf").decode()
    return {"name": name, "type": "CV", "content_type": "application/pdf", "data": data}


def file_names(client, path: str) -> dict[str, dict]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return {a["file_name"]: a for a in response.json()["data"]["results"]}


def test_fallback_quirk_attaches_to_candidate(homerun, profiled_url):
    app = homerun.get("/ats/applications").json()["data"]["results"][0]
    candidate_files = f"/ats/candidates/{app['candidate_id']}/attachments"
    assert "fallback.pdf" not in file_names(homerun, candidate_files)
    response = homerun.post(
        f"/ats/applications/{app['id']}/attachments",
        json={"attachment": attachment("fallback.pdf")},
    )
    assert response.status_code == 200
    assert [w["message"] for w in response.json()["warnings"]] == [
        "Homerun has no application attachments; the file was added to the candidate."
    ]
    # where the fallback operation puts it: on the candidate, with no application
    added = file_names(homerun, candidate_files)["fallback.pdf"]
    assert added["candidate_id"] == app["candidate_id"] and added["application_id"] is None
    # without the quirk (the sandbox connector) the same request files it on the application
    with make_client(profiled_url, "sandbox:no-fallback") as plain:
        other = plain.get("/ats/applications").json()["data"]["results"][0]
        response = plain.post(
            f"/ats/applications/{other['id']}/attachments",
            json={"attachment": attachment("direct.pdf")},
        )
        assert response.status_code == 200 and response.json()["warnings"] == []
        direct = file_names(plain, f"/ats/applications/{other['id']}/attachments")["direct.pdf"]
        assert direct["application_id"] == other["id"]
