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
from tests.strategies.seed_schemas import order_result_schema, sample, validator

SCHEMA = order_result_schema()
BODY_V = validator(SCHEMA)


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
    BODY_V.validate(body)
    assert order_result_rule_violations(body) == []
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
        assert not BODY_V.is_valid(case.value), case
    else:
        assert BODY_V.is_valid(case.value), case
        violations = order_result_rule_violations(case.value)
        assert any(case.reason in v for v in violations), (case, violations)


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
