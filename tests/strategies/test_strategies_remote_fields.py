"""strategies.remote_fields built from the seeds' remote_fields schemas (object and allOf)."""

from __future__ import annotations

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from strategies.remote_fields import connector_remote_fields, connectors, remote_fields
from tests.strategies.seed_schemas import order_result_schema, result_link_schema, validator

ORDER_RF = order_result_schema()["properties"]["remote_fields"]
LINK_RF = result_link_schema()["properties"]["remote_fields"]


def test_connectors_are_read_from_the_schema() -> None:
    assert connectors(ORDER_RF) == ["smartrecruiters", "recruitee", "workday"]
    assert connectors(LINK_RF) == ["icims", "oracle", "greenhouse", "workable"]


@settings(max_examples=60)
@given(st.data())
def test_remote_fields_are_valid(data: st.DataObject) -> None:
    for schema in (ORDER_RF, LINK_RF):
        validator(schema).validate(data.draw(remote_fields(schema)))


@settings(max_examples=60)
@given(st.data())
def test_connector_remote_fields_hold_one_connector(data: st.DataObject) -> None:
    for schema in (ORDER_RF, LINK_RF):
        slug = data.draw(st.sampled_from(connectors(schema)))
        value = data.draw(connector_remote_fields(schema, slug))
        assert list(value) == [slug]
        validator(schema).validate(value)


def test_nested_required_fields_are_generated() -> None:
    value = find(
        connector_remote_fields(ORDER_RF, "workday"),
        lambda v: (
            "Assessment_Test_Status_Reference"
            in v["workday"]
            .get("Assess_Candidate_Data", {})
            .get("Candidate_Assessment_Data", {})
            .get("Assess_Candidate_Test_Result_Data", {})
        ),
    )
    ref = value["workday"]["Assess_Candidate_Data"]["Candidate_Assessment_Data"][
        "Assess_Candidate_Test_Result_Data"
    ]["Assessment_Test_Status_Reference"]
    assert "Assessment_Status_ID" in ref


def test_oracle_enum_and_greenhouse_nullable() -> None:
    oracle = find(
        connector_remote_fields(LINK_RF, "oracle"),
        lambda v: "override_document_category" in v["oracle"],
    )
    assert oracle["oracle"]["override_document_category"] in {
        "IRC_CANDIDATE_RESUME",
        "IRC_CANDIDATE_COVERLETTER",
        "MISC",
        "IRC_INTERNAL",
    }
    find(
        connector_remote_fields(LINK_RF, "greenhouse"),
        lambda v: v["greenhouse"].get("post_headers", {}).get("On-Behalf-Of", "") is None,
    )


def test_unknown_connector_is_rejected() -> None:
    with pytest.raises(KeyError):
        connector_remote_fields(ORDER_RF, "bamboohr")
