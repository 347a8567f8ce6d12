"""strategies.attributes against the seed's ``attributes`` schema (anyOf TEXT | SUB_RESULT)."""

from __future__ import annotations

from hypothesis import find, given, settings

from strategies.attributes import (
    SUB_RESULT_STATUSES,
    attributes,
    invalid_attribute,
    sub_result_attribute,
    text_attribute,
)
from tests.strategies.seed_schemas import order_result_schema, sample, validator

ATTRIBUTES = order_result_schema()["properties"]["attributes"]
ATTRIBUTES_V = validator(ATTRIBUTES)
ITEM_V = validator(ATTRIBUTES["items"])


@settings(max_examples=60)
@given(text_attribute())
def test_text_attribute_is_valid(item: dict) -> None:
    ITEM_V.validate(item)
    assert item["type"] == "TEXT"


@settings(max_examples=60)
@given(sub_result_attribute())
def test_sub_result_attribute_is_valid(item: dict) -> None:
    ITEM_V.validate(item)
    assert item["score"]["max"] >= 1
    assert item["status"] in SUB_RESULT_STATUSES


@settings(max_examples=60)
@given(attributes())
def test_attribute_lists_are_valid(items: list) -> None:
    ATTRIBUTES_V.validate(items)


def test_attribute_lists_mix_both_kinds() -> None:
    mixed = find(attributes(), lambda xs: {x["type"] for x in xs} == {"TEXT", "SUB_RESULT"})
    ATTRIBUTES_V.validate(mixed)


@settings(max_examples=100)
@given(invalid_attribute())
def test_invalid_attribute_fails_the_schema(case) -> None:
    assert case.rule == "schema"
    assert not ITEM_V.is_valid(case.value), case
    assert not ATTRIBUTES_V.is_valid([case.value])


def test_invalid_attribute_reasons() -> None:
    seen = {case.reason for case in sample(invalid_attribute(), 100)}
    assert {
        "unknown-type",
        "sub-result-missing-score",
        "sub-result-status-outside-enum",
        "sub-result-max-below-1",
        "text-missing-value",
    } <= seen
