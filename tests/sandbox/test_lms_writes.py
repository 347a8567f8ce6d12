"""The LMS writes (contracts/lms.yaml): the sandbox serves them as their profiles and
declared effects (``x-kombo-effects``) say, and lists show what they did."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kombo_conformance.contract import Contract
from kombo_conformance.contract.validate import first_error
from tests.sandbox.conftest import fetch_all, make_client

pytestmark = pytest.mark.e2e

ENROLL = "POST /lms/course-progressions"
COMPLETE = "POST /lms/course-progressions/{course_progression_id}/complete"
UPSERT = "POST /lms/courses/bulk"
DEACTIVATE = "POST /lms/courses/{course_id}/deactivate"


def first(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params={"page_size": 5, **params})
    assert response.status_code == 200, response.text
    return next(r for r in response.json()["data"]["results"] if not r["remote_deleted_at"])


def answers_its_schema(contract: Contract, operation: str, response: httpx.Response) -> Any:
    """The 200 body validates against the operation's documented schema (errata applied:
    the seed's nullable progression `status` enum omits null); its ``data``."""
    assert response.status_code == 200, response.text
    schema = contract.resolver.resolve(contract.operation(operation).conventions.success_schema)
    assert first_error(contract.errata.tolerant(schema), response.json()) is None
    return response.json()["data"]


def a_revision(client: httpx.Client) -> dict[str, Any]:
    """A live revision, as the courses list shows it."""
    courses = client.get("/lms/courses", params={"page_size": 20}).json()["data"]["results"]
    return next(r for c in courses for r in c["revisions"] if not r["remote_deleted_at"])


def enroll(client: httpx.Client) -> tuple[dict[str, Any], str, httpx.Response]:
    user = first(client, "/lms/users")
    revision = a_revision(client)
    body = {"user_id": user["id"], "course_revision_id": revision["id"]}
    return user, revision["id"], client.post("/lms/course-progressions", json=body)


def test_a_course_lists_the_revisions_progressions_point_at(client):
    progression = first(client, "/lms/course-progressions")
    revision = progression["course_revision"]
    (course,) = fetch_all(client, "/lms/courses", ids=revision["course"]["id"])
    assert revision["id"] in [r["id"] for r in course["revisions"]]


def test_enrolling_creates_a_progression_listed_with_its_user_and_revision(client, contract):
    user, revision_id, response = enroll(client)
    created = answers_its_schema(contract, ENROLL, response)
    assert (created["user_id"], created["course_revision_id"]) == (user["id"], revision_id)
    (listed,) = fetch_all(client, "/lms/course-progressions", ids=created["id"])
    assert listed == created
    assert listed["user"]["id"] == user["id"]  # the embedded user is the user enrolled


def test_enrolling_an_unknown_user_is_refused_and_creates_nothing(client):
    body = {"user_id": "nobody", "course_revision_id": a_revision(client)["id"]}
    response = client.post("/lms/course-progressions", json=body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"
    assert fetch_all(client, "/lms/course-progressions", user_ids="nobody") == []


def test_completing_marks_the_progression_completed(client, contract):
    _, _, enrolled = enroll(client)
    ident = enrolled.json()["data"]["id"]
    response = client.post(f"/lms/course-progressions/{ident}/complete", json={"score": 93})
    answered = answers_its_schema(contract, COMPLETE, response)
    (listed,) = fetch_all(client, "/lms/course-progressions", ids=ident)
    assert answered["status"] == listed["status"] == "COMPLETED"


def test_upserting_courses_creates_them_once_per_origin_id(client, contract):
    body = {
        "items": [
            {"origin_id": f"conformance-{n}", "course": {"type": "EXTERNAL", "title": f"T{n}"}}
            for n in (1, 2)
        ]
    }
    for item in body["items"]:
        item["course"]["course_url"] = "https://courses.sandbox.invalid/1"
    for _ in range(2):  # the second upsert updates: still one course per origin_id
        answered = answers_its_schema(contract, UPSERT, client.post("/lms/courses/bulk", json=body))
        assert answered["task_id"]
    courses = fetch_all(client, "/lms/courses", page_size=250)
    origins = [c["origin_id"] for c in courses if str(c["origin_id"]).startswith("conformance-")]
    assert sorted(origins) == ["conformance-1", "conformance-2"]


def test_deactivating_a_course_answers_that_course(client, contract):
    course = first(client, "/lms/courses")
    response = client.post(f"/lms/courses/{course['id']}/deactivate", json={})
    assert answers_its_schema(contract, DEACTIVATE, response)["id"] == course["id"]


def test_a_connector_the_enroll_page_does_not_list_answers_action_not_available(base_url):
    # Udemy Business is not in the Supported integrations of the enroll page
    with make_client(base_url, "udemy:lms-writes") as udemy:
        response = udemy.post(
            "/lms/course-progressions", json={"user_id": "a", "course_revision_id": "b"}
        )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "INTEGRATION.ACTION_NOT_AVAILABLE"
