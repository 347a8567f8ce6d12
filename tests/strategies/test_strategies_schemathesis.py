"""schemathesis 4.32 really generates from our strategies once ``install`` is called."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kombo_conformance.contract.errata import load_errata
from strategies.dates import classify_date, pattern_dates
from strategies.ids import is_kombo_id
from strategies.schemathesis_hooks import install
from tests.strategies.oracles import (
    ORDER_RESULT_V,
    assert_valid_order_result,
    broken_attachment_rules,
)
from tests.strategies.seed_schemas import CONTRACTS, order_result_schema, seed_document, validator

FAST = settings(
    max_examples=25, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)
COMPLETED_AT = order_result_schema()["properties"]["completed_at"]
FINAL_STATUSES = ("COMPLETED", "CANCELLED")


def strict_seed(number: str) -> dict[str, Any]:
    """A seed document as generation reads it: the declared errata (prose rules) encoded."""
    return load_errata(CONTRACTS / "errata.yaml").strict(seed_document(number))


def tiny_document() -> dict[str, Any]:
    """One PUT whose body has only the seed's ``completed_at`` property (required)."""
    body = {
        "type": "object",
        "required": ["completed_at"],
        "properties": {"completed_at": COMPLETED_AT},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "tiny", "version": "1"},
        "paths": {
            "/result": {
                "put": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": body}},
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }


def _cases(operation: Any, **kwargs: Any) -> list[Any]:
    seen: list[Any] = []

    @FAST
    @given(operation.as_strategy(**kwargs))
    def collect(case: Any) -> None:
        seen.append(case)

    collect()
    return seen


@pytest.fixture
def installed() -> Iterator[list]:
    handles: list = []
    yield handles
    for handle in handles:
        handle.uninstall()


def test_completed_at_comes_from_our_date_strategy(installed: list) -> None:
    drawn: set[str] = set()
    recording = pattern_dates().map(lambda v: drawn.add(v) or v)
    document = tiny_document()
    installed.append(install(document, date_strategy=recording))
    cases = _cases(schemathesis.openapi.from_dict(document)["/result"]["PUT"])
    values = [case.body["completed_at"] for case in cases]
    assert values and set(values) <= drawn
    assert all(classify_date(v).valid for v in values)


def test_sentinel_proves_the_format_override(installed: list) -> None:
    sentinel = "2024-02-29T12:34:56.123456789Z"
    document = tiny_document()
    installed.append(install(document, date_strategy=st.just(sentinel)))
    cases = _cases(schemathesis.openapi.from_dict(document)["/result"]["PUT"])
    assert {case.body["completed_at"] for case in cases} == {sentinel}


def test_uninstall_restores_the_builtin_generator(installed: list) -> None:
    document = tiny_document()
    install(document, date_strategy=st.just("2024-02-29T12:34:56.123456789Z")).uninstall()
    cases = _cases(schemathesis.openapi.from_dict(document)["/result"]["PUT"])
    assert len({case.body["completed_at"] for case in cases}) > 1


def test_order_result_bodies_follow_the_prose_rules(installed: list) -> None:
    document = strict_seed("001")
    schema = schemathesis.openapi.from_dict(document)
    installed.append(install(document, schema))
    operation = schema["/assessment/orders/{assessment_order_id}/result"]["PUT"]
    # The seed's requestBody is optional, so some cases carry no body at all.
    cases = [case for case in _cases(operation) if isinstance(case.body, dict)]
    assert len(cases) >= 5
    for case in cases:
        assert_valid_order_result(case.body)
    assert any(case.body["status"] in FINAL_STATUSES for case in cases)


def test_negative_cases_are_left_alone(installed: list) -> None:
    document = seed_document("001")
    schema = schemathesis.openapi.from_dict(document)
    installed.append(install(document, schema))
    operation = schema["/assessment/orders/{assessment_order_id}/result"]["PUT"]
    cases = _cases(operation, generation_mode=schemathesis.GenerationMode.NEGATIVE)
    bodies = [case.body for case in cases if isinstance(case.body, dict)]
    assert any(not ORDER_RESULT_V.is_valid(body) for body in bodies)


def test_list_query_parameters(installed: list) -> None:
    document = seed_document("002")
    schema = schemathesis.openapi.from_dict(document)
    handle = install(document, schema)
    installed.append(handle)
    assert set(handle.plans[("GET", "/lms/course-progressions")].query) == {
        "cursor",
        "ids",
        "remote_ids",
        "user_ids",
        "course_ids",
    }
    for case in _cases(schema["/lms/course-progressions"]["GET"]):
        query = case.query or {}
        if "updated_after" in query:
            assert classify_date(query["updated_after"]).valid
        for name in ("ids", "user_ids", "course_ids"):
            if name in query:
                assert all(is_kombo_id(part) for part in query[name].split(","))
        if "cursor" in query:
            assert isinstance(json.loads(base64.b64decode(query["cursor"])), dict)


def test_recognised_body_properties_are_replaced(installed: list) -> None:
    attachments_schema = order_result_schema()["properties"]["attachments"]
    body = {
        "type": "object",
        "required": ["attachments"],
        "properties": {"note": {"type": "string"}, "attachments": attachments_schema},
    }
    document = tiny_document()
    document["paths"]["/result"]["put"]["requestBody"]["content"]["application/json"] = {
        "schema": body
    }
    # as generation reads it: the declared prose rules on attachments encoded
    document = load_errata(CONTRACTS / "errata.yaml").strict(document)
    schema = schemathesis.openapi.from_dict(document)
    handle = install(document, schema)
    installed.append(handle)
    assert set(handle.plans[("PUT", "/result")].body_properties) == {"attachments"}
    cases = _cases(schema["/result"]["PUT"])
    assert any(case.body["attachments"] for case in cases)
    for case in cases:
        validator(body).validate(case.body)
        assert all(broken_attachment_rules(item) == set() for item in case.body["attachments"])
