"""The official SDK (kombo 1.4.0) against the sandbox."""

from __future__ import annotations

import pytest

pytest.importorskip("kombo")
from kombo import Kombo, errors

from tests.sandbox.conftest import API_KEY

pytestmark = pytest.mark.e2e


@pytest.fixture
def sdk(base_url):
    with Kombo(api_key=API_KEY, integration_id="sandbox:sdk", server_url=base_url) as k:
        yield k


def test_sdk_lists_paginate(sdk):
    page = sdk.ats.get_jobs(page_size=100)
    seen = []
    while page is not None:
        seen += [j.id for j in page.result.data.results]
        page = page.next()
    assert len(seen) == len(set(seen)) > 200
    assert sdk.ats.get_applications(outcomes=["PENDING"]).result.data.results
    for call in (
        sdk.ats.get_candidates,
        sdk.ats.get_users,
        sdk.ats.get_tags,
        sdk.ats.get_application_stages,
        sdk.ats.get_interviews,
        sdk.ats.get_offers,
        sdk.ats.get_rejection_reasons,
        sdk.ats.get_roles,
        sdk.assessment.get_assessment_orders,
    ):
        assert call().result.data.results is not None
    assert sdk.assessment.get_packages().data.packages


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


def test_sdk_error_path(sdk):
    with pytest.raises(errors.KomboAtsError) as info:
        sdk.ats.move_application_to_stage(application_id="nope", stage_id="nope")
    assert info.value.data.error.code == "PLATFORM.INPUT_INVALID"
