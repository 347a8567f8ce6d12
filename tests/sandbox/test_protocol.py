"""Auth, integrations, envelopes and malformed requests."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import fetch_all, make_client

pytestmark = pytest.mark.e2e


def error_of(response):
    body = response.json()
    assert body["status"] == "error"
    error = body["error"]
    assert isinstance(error["title"], str) and isinstance(error["message"], str)
    assert error["log_url"] is None or error["log_url"].startswith("https://")
    return error["code"]


@pytest.mark.parametrize("key", [None, "wrong"])
def test_auth_is_required(base_url, key):
    with make_client(base_url, key=key) as c:
        response = c.get("/ats/jobs")
    assert response.status_code == 401
    assert error_of(response) == "PLATFORM.AUTHENTICATION_INVALID"


def test_missing_integration_header_is_input_invalid(base_url):
    with make_client(base_url, integration=None) as c:
        response = c.get("/ats/jobs")
    assert response.status_code == 400
    assert error_of(response) == "PLATFORM.INPUT_INVALID"


@pytest.mark.parametrize("integration", ["nosuchtool:1", "sandbox", "sandbox:"])
def test_unknown_integration_is_not_found(base_url, integration):
    with make_client(base_url, integration=integration) as c:
        response = c.get("/ats/jobs")
    assert response.status_code == 404
    assert error_of(response) == "PLATFORM.INTEGRATION_NOT_FOUND"


def test_unknown_path_and_method(client):
    response = client.get("/ats/nothing-here")
    assert response.status_code == 404 and error_of(response) == "PLATFORM.INPUT_INVALID"
    response = client.delete("/ats/jobs")
    assert response.status_code == 405 and error_of(response) == "PLATFORM.INPUT_INVALID"
    assert response.headers["allow"] == "GET"  # RFC 9110: a 405 lists the allowed methods
    response = client.put("/ats/candidates/abc/tags")
    assert response.status_code == 405
    assert sorted(response.headers["allow"].split(", ")) == ["DELETE", "POST"]


def test_lms_errors_use_the_general_envelope(client):
    response = client.get("/lms/users", params={"page_size": 0})
    assert response.status_code == 400
    assert error_of(response) == "PLATFORM.INPUT_INVALID"


def test_malformed_json_wrong_content_type_and_oversized_body(client):
    cid = client.get("/ats/candidates", params={"page_size": 1}).json()["data"]["results"][0]["id"]
    path = f"/ats/candidates/{cid}/tags"
    response = client.post(path, content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400 and error_of(response) == "PLATFORM.INPUT_INVALID"
    response = client.post(
        path, content=b'{"tag": {"name": "x"}}', headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415 and error_of(response) == "PLATFORM.INPUT_INVALID"
    big = b'{"tag": {"name": "' + b"x" * (10 * 1024 * 1024 + 1) + b'"}}'
    response = client.post(path, content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and error_of(response) == "PLATFORM.INPUT_INVALID"


def test_same_seed_and_id_give_same_data_and_integrations_are_isolated(base_url):
    with make_client(base_url, "sandbox:alpha") as a, make_client(base_url, "sandbox:alpha") as b:
        assert a.get("/ats/jobs").json() == b.get("/ats/jobs").json()
    with make_client(base_url, "sandbox:beta") as c, make_client(base_url, "sandbox:gamma") as d:
        ids_c = {r["id"] for r in fetch_all(c, "/ats/candidates")}
        ids_d = {r["id"] for r in fetch_all(d, "/ats/candidates")}
        assert ids_c and not ids_c & ids_d
        job = c.get("/ats/jobs").json()["data"]["results"][0]
        created = c.post(
            "/ats/candidates",
            json={
                "candidate": {
                    "first_name": "Iso",
                    "last_name": "Lated",
                    "email_address": "iso@example.com",
                },
                "application": {"job_id": job["id"]},
            },
        )
        assert created.status_code == 200, created.text
        new_id = created.json()["data"]["id"]
        assert d.get("/ats/candidates", params={"ids": new_id}).json()["data"]["results"] == []
        assert c.get("/ats/candidates", params={"ids": new_id}).json()["data"]["results"]
