"""strategies.results: PUT order result bodies, with the completed_at/status conditional rule."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from strategies.results import (
    FINAL_STATUSES,
    ORDER_RESULT_REMOTE_FIELDS,
    invalid_order_result_cases,
    invalid_order_results,
    order_result_rule_violations,
    order_results,
)
from tests.strategies.oracles import (
    ORDER_RESULT_V,
    assert_valid_order_result,
    broken_order_result_rules,
)
from tests.strategies.seed_schemas import order_result_schema, sample

SCHEMA = order_result_schema()
RESULT_URL = "https://files.kombo-conformance.invalid/result"
DATE = "2024-05-01T10:00:00.000Z"


def _strip_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_descriptions(v) for k, v in node.items() if k != "description"}
    if isinstance(node, list):
        return [_strip_descriptions(v) for v in node]
    return node


def test_remote_fields_constant_mirrors_the_seed() -> None:
    assert _strip_descriptions(SCHEMA["properties"]["remote_fields"]) == ORDER_RESULT_REMOTE_FIELDS


@settings(max_examples=50)
@given(order_results())
def test_order_results_are_valid_and_follow_prose(body: dict) -> None:
    assert_valid_order_result(body)
    if body["status"] in FINAL_STATUSES:
        assert "completed_at" in body


def test_open_orders_may_omit_completed_at() -> None:
    bodies = sample(order_results(), 60)
    assert any(b["status"] == "OPEN" and "completed_at" not in b for b in bodies)
    assert any(b["status"] == "OPEN" and "completed_at" in b for b in bodies)


@settings(max_examples=60)
@given(invalid_order_results())
def test_invalid_order_results_break_the_stated_layer(case) -> None:
    if case.rule == "schema":
        assert not ORDER_RESULT_V.is_valid(case.value), case
    else:
        assert ORDER_RESULT_V.is_valid(case.value), case
        assert case.reason in broken_order_result_rules(case.value), case


def _body(**fields: Any) -> dict[str, Any]:
    return {"status": "OPEN", "result_url": RESULT_URL, **fields}


PDF = {"name": "report.pdf", "content_type": "application/pdf", "data": "JVBERi0xLjQK"}
LINK = {"name": "report.pdf", "data_url": RESULT_URL}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (_body(), []),
        (_body(status="COMPLETED", completed_at=DATE, attachments=[PDF, LINK]), []),
        (_body(status="COMPLETED"), ["final-status-without-completed-at"]),
        (_body(status="CANCELLED", score=1), ["final-status-without-completed-at"]),
        (
            _body(attachments=[LINK, {"name": "a.pdf"}]),
            ["attachments[1]: neither-data-nor-data-url"],
        ),
        (
            _body(attachments=[{"name": "a.pdf", "data": "JVBERi0xLjQK"}]),
            ["attachments[0]: data-without-content-type"],
        ),
        (_body(attachments=[{**PDF, "data": "not base64!"}]), ["attachments[0]: data-not-base64"]),
        (
            _body(status="COMPLETED", attachments=[{"name": "a.txt", "data": "Zm9v\nYmFy"}]),
            [
                "final-status-without-completed-at",
                "attachments[0]: data-without-content-type",
                "attachments[0]: data-not-base64",
            ],
        ),
    ],
)
def test_rule_violations_catch_hand_made_bodies(body: dict, expected: list[str]) -> None:
    """The module's own judge, checked against bodies whose faults are known by construction."""
    ORDER_RESULT_V.validate(body)  # every fault here is one the schema cannot see
    assert order_result_rule_violations(body) == expected
    assert broken_order_result_rules(body) == {v.rpartition(": ")[2] for v in expected}


@pytest.mark.parametrize("reason", sorted(invalid_order_result_cases()))
def test_each_invalid_order_result_case_is_tagged_with_its_reason(reason: str) -> None:
    cases = sample(invalid_order_result_cases()[reason], 5)
    assert {case.reason for case in cases} == {reason}


def test_invalid_order_results_cover_the_brief() -> None:
    assert {
        "final-status-without-completed-at",
        "six-attachments",
        "sub-result-without-score",
        "bad-completed-at",
        "bad-content-type",
    } <= invalid_order_result_cases().keys()
