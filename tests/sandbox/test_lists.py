"""Pagination and filter semantics."""

from __future__ import annotations

import pytest

from tests.sandbox.conftest import fetch_all

pytestmark = pytest.mark.e2e


def test_pagination_covers_several_pages_without_duplicates(client):
    first = client.get("/ats/candidates").json()["data"]
    assert len(first["results"]) == 100 and first["next"]
    everything = fetch_all(client, "/ats/candidates")
    ids = [r["id"] for r in everything]
    assert len(ids) == len(set(ids)) > 250
    small = fetch_all(client, "/ats/candidates", page_size=250)
    assert [r["id"] for r in small] == ids


@pytest.mark.parametrize("size", ["0", "251", "abc"])
def test_page_size_bounds(client, size):
    response = client.get("/ats/jobs", params={"page_size": size})
    assert response.status_code == 400


def test_page_size_is_honoured(client):
    assert len(client.get("/ats/jobs", params={"page_size": 7}).json()["data"]["results"]) == 7


@pytest.mark.parametrize("cursor", ["garbage", "eyJzIjo1fQ", ""])
def test_bad_cursor_is_input_invalid(client, cursor):
    response = client.get("/ats/jobs", params={"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"


def test_cursor_is_bound_to_its_operation_and_integration(client, base_url):
    nxt = client.get("/ats/jobs").json()["data"]["next"]
    assert client.get("/ats/candidates", params={"cursor": nxt}).status_code == 400


def test_deleted_only_with_include_deleted(client):
    visible = fetch_all(client, "/ats/applications")
    every = fetch_all(client, "/ats/applications", include_deleted="true")
    assert all(r["remote_deleted_at"] is None for r in visible)
    deleted = [r for r in every if r["remote_deleted_at"]]
    assert deleted and len(every) == len(visible) + len(deleted)


def test_ids_filter_is_or_within_and_between_filters(client):
    apps = client.get("/ats/applications", params={"page_size": 5}).json()["data"]["results"]
    ids = ",".join(a["id"] for a in apps[:3])
    got = client.get("/ats/applications", params={"ids": ids}).json()["data"]["results"]
    assert sorted(a["id"] for a in got) == sorted(a["id"] for a in apps[:3])
    job = apps[0]["job_id"]
    both = client.get("/ats/applications", params={"ids": ids, "job_ids": job}).json()
    assert {a["id"] for a in both["data"]["results"]} == {
        a["id"] for a in apps[:3] if a["job_id"] == job
    }


def test_enum_list_filters(client):
    rows = fetch_all(client, "/ats/applications", outcomes="HIRED,DECLINED")
    assert rows and {r["outcome"] for r in rows} <= {"HIRED", "DECLINED"}
    # The contract types the list as a plain string: an unknown value is valid input that
    # matches nothing, and an empty list is no filter at all.
    hired = fetch_all(client, "/ats/applications", outcomes="HIRED")
    mixed = fetch_all(client, "/ats/applications", outcomes="HIRED,MAYBE")
    assert hired and [r["id"] for r in mixed] == [r["id"] for r in hired]
    assert fetch_all(client, "/ats/applications", outcomes="MAYBE") == []
    everything = fetch_all(client, "/ats/applications")
    assert len(fetch_all(client, "/ats/applications", outcomes="")) == len(everything)
    # A parameter whose schema has an enum is validated by the schema: 400.
    assert client.get("/ats/jobs", params={"status": "NOPE"}).status_code == 400


def test_nested_filter_job_ids_on_candidates(client):
    app = client.get("/ats/applications").json()["data"]["results"][0]
    rows = fetch_all(client, "/ats/candidates", job_ids=app["job_id"])
    assert app["candidate_id"] in {r["id"] for r in rows}
    assert all(
        any(a["job"] and a["job"]["id"] == app["job_id"] for a in r["applications"]) for r in rows
    )


def test_updated_after_and_name_contains(client):
    rows = fetch_all(client, "/ats/jobs", updated_after="2024-01-01T00:00:00.000Z")
    assert rows and all(r["changed_at"] >= "2024-01-01" for r in rows)
    assert len(rows) < len(fetch_all(client, "/ats/jobs"))
    eng = fetch_all(client, "/ats/jobs", name_contains="engineer")
    assert eng and all("engineer" in r["name"].lower() for r in eng)
    assert client.get("/ats/jobs", params={"updated_after": "yesterday"}).status_code == 400


def test_email_filter_and_lms_filters(client):
    candidate = next(c for c in fetch_all(client, "/ats/candidates") if c["email_addresses"])
    email = candidate["email_addresses"][0]["email_address"]
    rows = client.get("/ats/candidates", params={"email": email}).json()["data"]["results"]
    assert candidate["id"] in {r["id"] for r in rows}
    progression = client.get("/lms/course-progressions").json()["data"]["results"][0]
    rows = fetch_all(client, "/lms/course-progressions", user_ids=progression["user_id"])
    assert rows and all(r["user_id"] == progression["user_id"] for r in rows)


def test_relations_are_consistent(client):
    jobs = {j["id"]: j for j in fetch_all(client, "/ats/jobs", include_deleted="true")}
    candidates = {c["id"] for c in fetch_all(client, "/ats/candidates", include_deleted="true")}
    for app in fetch_all(client, "/ats/applications"):
        assert app["job_id"] in jobs and app["candidate_id"] in candidates
        assert app["current_stage_id"] in {s["id"] for s in jobs[app["job_id"]]["stages"]}
        assert app["current_stage"]["id"] == app["current_stage_id"]
