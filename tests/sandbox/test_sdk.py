"""The official SDK (kombo 1.4.0) against the sandbox."""

from __future__ import annotations

import pytest

pytest.importorskip("kombo")
from kombo import Kombo, errors

from tests.sandbox.conftest import API_KEY, make_client

pytestmark = pytest.mark.e2e


@pytest.fixture
def sdk(base_url):
    with Kombo(api_key=API_KEY, integration_id="sandbox:sdk", server_url=base_url) as k:
        yield k


def test_sdk_lists_paginate(sdk, base_url):
    page = sdk.ats.get_jobs(page_size=100)
    seen = []
    while page is not None:
        seen += [j.id for j in page.result.data.results]
        page = page.next()
    assert len(seen) == len(set(seen)) > 200
    assert sdk.ats.get_applications(outcomes=["PENDING"]).result.data.results
    calls = {
        "/ats/candidates": sdk.ats.get_candidates,
        "/ats/users": sdk.ats.get_users,
        "/ats/tags": sdk.ats.get_tags,
        "/ats/application-stages": sdk.ats.get_application_stages,
        "/ats/interviews": sdk.ats.get_interviews,
        "/ats/offers": sdk.ats.get_offers,
        "/ats/rejection-reasons": sdk.ats.get_rejection_reasons,
        "/ats/roles": sdk.ats.get_roles,
        "/assessment/orders": sdk.assessment.get_assessment_orders,
    }
    # the SDK parses each first page into the records the raw JSON holds, in order
    with make_client(base_url, "sandbox:sdk") as raw:
        for path, call in calls.items():
            parsed = call().result.data.results
            expected = raw.get(path).json()["data"]["results"]
            assert parsed, path
            assert [r.id for r in parsed] == [r["id"] for r in expected], path
        packages = raw.get("/assessment/packages").json()["data"]["packages"]
    parsed = sdk.assessment.get_packages().data.packages
    assert packages and [p.id for p in parsed] == [p["id"] for p in packages]
    assert [p.name for p in parsed] == [p["name"] for p in packages]


def test_sdk_actions(sdk):
    job = sdk.ats.get_jobs(page_size=1).result.data.results[0]
    created = sdk.ats.create_candidate(
        candidate={
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email_address": "ada@example.com",
        },
        application={"job_id": job.id},
    )
    cid = created.data.id
    sdk.ats.add_candidate_tag(candidate_id=cid, tag={"name": "sdk"})
    cand = sdk.ats.get_candidates(ids=[cid]).result.data.results[0]
    assert "sdk" in {t.name for t in cand.tags}
    app = sdk.ats.get_applications(ids=[cand.applications[0].id]).result.data.results[0]
    stage = next(s for s in job.stages if s.id != app.current_stage_id)
    sdk.ats.move_application_to_stage(application_id=app.id, stage_id=stage.id)
    reason = sdk.ats.get_rejection_reasons().result.data.results[0]
    sdk.ats.reject_application(application_id=app.id, rejection_reason_id=reason.id)
    app = sdk.ats.get_applications(ids=[app.id]).result.data.results[0]
    assert app.current_stage_id == stage.id and app.outcome == "DECLINED"
    order = sdk.assessment.get_assessment_orders(statuses=["OPEN"]).result.data.results[0]
    sdk.assessment.update_order_result(
        assessment_order_id=order.id,
        status="COMPLETED",
        result_url="https://results.example/1",
        completed_at="2024-05-01T10:00:00.000Z",
    )
    stored = sdk.assessment.get_assessment_orders(ids=[order.id]).result.data.results
    assert [(o.id, o.status) for o in stored] == [(order.id, "COMPLETED")]
    # the result was stored: a completed order's status can no longer change
    with pytest.raises(errors.KomboAtsError) as info:
        sdk.assessment.update_order_result(
            assessment_order_id=order.id, status="OPEN", result_url="https://results.example/2"
        )
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"


def test_sdk_error_path(sdk):
    with pytest.raises(errors.KomboAtsError) as info:
        sdk.ats.move_application_to_stage(application_id="nope", stage_id="nope")
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
