"""Actions change state, and reads show it; documented rules are enforced."""

from __future__ import annotations

import base64

import pytest

from tests.sandbox.conftest import fetch_all

pytestmark = pytest.mark.e2e

PDF = base64.b64encode(b"%PDF-1.4 sandbox").decode()


def first(client, path, **params):
    return client.get(path, params={"page_size": 1, **params}).json()["data"]["results"][0]


def new_candidate(client, job_id, **extra):
    body = {
        "candidate": {
            "first_name": "Grace",
            "last_name": "Hopper",
            "email_address": "grace@example.com",
        },
        "application": {"job_id": job_id},
        **extra,
    }
    return client.post("/ats/candidates", json=body)


def test_created_candidate_and_application_appear_in_lists(client):
    job = first(client, "/ats/jobs")
    response = new_candidate(client, job["id"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success" and body["warnings"] == []
    candidate = body["data"]
    assert candidate["first_name"] == "Grace"
    listed = fetch_all(client, "/ats/candidates", email="grace@example.com")
    assert [c["id"] for c in listed] == [candidate["id"]]
    apps = fetch_all(client, "/ats/applications", job_ids=job["id"])
    assert candidate["id"] in {a["candidate_id"] for a in apps}
    created = client.post(
        f"/ats/jobs/{job['id']}/applications",
        json={
            "candidate": {
                "first_name": "Alan",
                "last_name": "Turing",
                "email_address": "alan@example.com",
            }
        },
    )
    assert created.status_code == 200, created.text
    app_id = created.json()["data"]["id"]
    assert client.get("/ats/applications", params={"ids": app_id}).json()["data"]["results"]


def test_create_candidate_with_unknown_job_is_rejected(client):
    response = new_candidate(client, "no-such-job")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"


def test_tags_come_and_go(client):
    candidate = first(client, "/ats/candidates")
    path = f"/ats/candidates/{candidate['id']}/tags"
    assert client.post(path, json={"tag": {"name": "ünïcode-tag"}}).status_code == 200
    row = client.get("/ats/candidates", params={"ids": candidate["id"]}).json()["data"]
    assert "ünïcode-tag" in {t["name"] for t in row["results"][0]["tags"]}
    assert "ünïcode-tag" in {t["name"] for t in fetch_all(client, "/ats/tags")}
    assert client.request("DELETE", path, json={"tag": {"name": "ünïcode-tag"}}).status_code == 200
    row = client.get("/ats/candidates", params={"ids": candidate["id"]}).json()["data"]
    assert "ünïcode-tag" not in {t["name"] for t in row["results"][0]["tags"]}


def test_stage_move_and_reject(client):
    app = first(client, "/ats/applications", outcomes="PENDING")
    job = client.get("/ats/jobs", params={"ids": app["job_id"], "include_deleted": "true"}).json()[
        "data"
    ]["results"][0]
    target = next(s["id"] for s in job["stages"] if s["id"] != app["current_stage_id"])
    response = client.put(f"/ats/applications/{app['id']}/stage", json={"stage_id": target})
    assert response.status_code == 200, response.text
    moved = client.get("/ats/applications", params={"ids": app["id"]}).json()["data"]
    assert moved["results"][0]["current_stage_id"] == target
    assert moved["results"][0]["current_stage"]["id"] == target
    bad = client.put(f"/ats/applications/{app['id']}/stage", json={"stage_id": "nope"})
    assert bad.status_code == 400
    reason = first(client, "/ats/rejection-reasons")
    response = client.post(
        f"/ats/applications/{app['id']}/reject",
        json={"rejection_reason_id": reason["id"], "note": "Thanks!"},
    )
    assert response.status_code == 200, response.text
    row = client.get("/ats/applications", params={"ids": app["id"]}).json()["data"]["results"][0]
    assert row["outcome"] == "DECLINED" and row["rejection_reason_name"] == reason["name"]
    assert row["rejected_at"]


def test_unknown_path_ids_are_404(client):
    response = client.put("/ats/applications/nope/stage", json={"stage_id": "x"})
    assert response.status_code == 404


def test_order_result_rules(client):
    order = first(client, "/assessment/orders", statuses="OPEN")
    path = f"/assessment/orders/{order['id']}/result"
    missing = client.put(path, json={"status": "COMPLETED", "result_url": "https://x.example"})
    assert missing.status_code == 400
    done = client.put(
        path,
        json={
            "status": "COMPLETED",
            "result_url": "https://r.example/1",
            "completed_at": "2024-05-01T10:00:00.000Z",
            "score": 80,
        },
    )
    assert done.status_code == 200, done.text
    rows = fetch_all(client, "/assessment/orders", ids=order["id"])
    assert rows[0]["status"] == "COMPLETED"
    again = client.put(path, json={"status": "OPEN", "result_url": "https://r.example/1"})
    assert (
        again.status_code == 400 and "order-result-status-final" in again.json()["error"]["message"]
    )
    same = client.put(
        path,
        json={
            "status": "COMPLETED",
            "result_url": "https://r.example/2",
            "completed_at": "2024-05-02T10:00:00.000Z",
        },
    )
    assert same.status_code == 200


def attachment(name="cv.pdf", **extra):
    return {"name": name, "type": "CV", "content_type": "application/pdf", "data": PDF, **extra}


@pytest.mark.parametrize(
    ("given", "status"),
    [
        (attachment(), 200),
        (attachment(name="Lebenslauf-Jürgen-履歴書.pdf"), 200),
        ({"name": "cv.pdf", "type": "CV", "data_url": "https://files.example/cv.pdf"}, 200),
        ({"name": "cv.pdf", "type": "CV"}, 400),
        ({"name": "cv.pdf", "type": "CV", "data": PDF}, 400),
        (attachment(data="not base64!!"), 400),
        (attachment(content_type="pdf"), 400),
    ],
)
def test_attachment_rules(client, given, status):
    candidate = first(client, "/ats/candidates")
    response = client.post(
        f"/ats/candidates/{candidate['id']}/attachments", json={"attachment": given}
    )
    assert response.status_code == status, response.text
    if status == 200:
        listed = client.get(f"/ats/candidates/{candidate['id']}/attachments").json()
        assert given["name"] in {a["file_name"] for a in listed["data"]["results"]}


@pytest.mark.parametrize(("count", "status"), [(5, 200), (6, 400), (7, 400)])
def test_attachments_are_limited_by_the_contracts_max_items(client, count, status):
    """The order result's `attachments` declares `maxItems: 5`: the sandbox enforces it."""
    order = first(client, "/assessment/orders", statuses="OPEN")
    files = [{"name": f"file-{i}.pdf", "content_type": "application/pdf", "data": PDF}
             for i in range(count)]  # fmt: skip
    body = {"status": "OPEN", "result_url": "https://r.example/1", "attachments": files}
    response = client.put(f"/assessment/orders/{order['id']}/result", json=body)
    assert response.status_code == status, response.text


def test_no_attachment_limit_where_the_contract_has_none(client):
    """Candidate `attachments` declare no `maxItems`: seven files are accepted."""
    job = first(client, "/ats/jobs")
    files = [attachment(name=f"file-{i}.pdf") for i in range(7)]
    assert new_candidate(client, job["id"], attachments=files).status_code == 200


def test_interviews_notes_and_result_links(client):
    app = first(client, "/ats/applications")
    users = [u["id"] for u in fetch_all(client, "/ats/users")][:2]
    body = {
        "title": "Tech interview",
        "start_time": "2025-01-10T10:00:00.000Z",
        "end_time": "2025-01-10T11:00:00.000Z",
        "interviewer_user_ids": users[:1],
        "organizer_user_id": users[1],
        "location": {"type": "VIRTUAL"},
    }
    path = f"/ats/applications/{app['id']}/interviews"
    assert client.post(path, json=body).status_code == 200
    found = [
        i
        for i in fetch_all(client, "/ats/interviews")
        if i["application_id"] == app["id"] and i["title"] == "Tech interview"
    ]
    assert len(found) == 1
    update = {**body, "interview_id": found[0]["id"], "title": "Final interview"}
    assert client.patch(path, json=update).status_code == 200
    rows = client.get("/ats/interviews", params={"ids": found[0]["id"]}).json()["data"]["results"]
    assert rows[0]["title"] == "Final interview"
    note = client.post(
        f"/ats/applications/{app['id']}/notes",
        json={"content": "Strong candidate", "content_type": "PLAIN_TEXT"},
    )
    assert note.status_code == 200 and note.json()["warnings"] == []
    link = client.post(
        f"/ats/applications/{app['id']}/result-links",
        json={"label": "Report", "url": "https://results.example/1"},
    )
    assert link.status_code == 200


GREENHOUSE_ID = {"application_id": "12", "id_type": "application_id"}


def test_declared_reuse_warnings_and_answers(client):
    """`reuse` (an existing candidate by email), `unchanged_warning` (a tag that is not
    there), `answers` as a template (import tracked application, date-times normalised)."""
    job = first(client, "/ats/jobs")
    given = {"first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com"}
    path = f"/ats/jobs/{job['id']}/applications"
    one = client.post(path, json={"candidate": given}).json()
    two = client.post(path, json={"candidate": given}).json()
    assert one["warnings"] == []
    assert [w["message"] for w in two["warnings"]] == [
        "An existing candidate with this email address was used."
    ]
    assert two["data"]["candidate_id"] == one["data"]["candidate_id"]
    assert two["data"]["id"] != one["data"]["id"]
    tags = f"/ats/candidates/{one['data']['candidate_id']}/tags"
    absent = client.request("DELETE", tags, json={"tag": {"name": "never-added"}})
    assert [w["message"] for w in absent.json()["warnings"]] == [
        "The candidate had no tag named 'never-added'."
    ]
    tracked = client.post(
        "/ats/import-tracked-application",
        json={"tracked_at": "2024-01-01T00:00:00Z", "greenhouse": GREENHOUSE_ID},
    )
    assert tracked.status_code == 200, tracked.text
    data = tracked.json()["data"]
    assert data["tracked_at"] == "2024-01-01T00:00:00.000Z" and data["id"]
    assert data["imported_id"] == {"greenhouse": GREENHOUSE_ID}


def test_packages_are_replaced_and_interview_times_normalised(client):
    packages = [
        {"id": "pkg-1", "type": "SKILLS_TEST", "name": "Python", "description": "60 min"},
        {"id": "pkg-2", "type": "BEHAVIORAL", "name": "Values", "description": "20 min"},
    ]
    assert client.put("/assessment/packages", json={"packages": packages}).status_code == 200
    listed = client.get("/assessment/packages").json()["data"]["packages"]
    assert [(p["id"], p["name"]) for p in listed] == [("pkg-1", "Python"), ("pkg-2", "Values")]
    assert all(p["updated_at"].endswith("Z") for p in listed)
    app = first(client, "/ats/applications")
    user = first(client, "/ats/users")["id"]
    body = {
        "title": "Intro",
        "start_time": "2025-01-10T11:00:00+01:00",
        "end_time": "2025-01-10T11:30:00Z",
        "interviewer_user_ids": [user],
        "organizer_user_id": user,
        "location": {"type": "PHYSICAL", "address": "Main St 1"},
    }
    path = f"/ats/applications/{app['id']}/interviews"
    assert client.post(path, json=body).status_code == 200
    (made,) = [i for i in fetch_all(client, "/ats/interviews") if i["title"] == "Intro"]
    assert (made["starting_at"], made["ending_at"]) == (
        "2025-01-10T10:00:00.000Z",
        "2025-01-10T11:30:00.000Z",
    )
    assert [u["id"] for u in made["users"]] == [user]
    assert made["location"]["raw"] == "Main St 1" and made["stage_id"] == app["current_stage_id"]
    bad = client.post(path, json={**body, "start_time": "next tuesday"})
    assert bad.status_code == 400
