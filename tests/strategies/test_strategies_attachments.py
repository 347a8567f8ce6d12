"""strategies.attachments against the order result's ``attachments`` schema.

Items are drawn from the strict schema (the declared prose rules encoded), and judged by the
seed's schema and the independent oracles of tests/strategies/oracles.py. Which properties
an item sends follows the schema and its rules: from the plain schema some items break the
prose rules, and a rule added to the schema changes what is sent.
"""

from __future__ import annotations

import base64
import copy
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kombo_conformance.contract import Contract
from kombo_conformance.contract.resolve import Resolver
from strategies.attachments import (
    COMMON_CONTENT_TYPES,
    EXTENSIONS,
    attachment,
    attachments,
    invalid_attachment,
    too_many_attachments,
)
from tests.strategies.oracles import broken_attachment_rules
from tests.strategies.seed_schemas import (
    ORDER_RESULT,
    URI_V,
    order_result_schema,
    sample,
    validator,
)

SEED = order_result_schema()["properties"]["attachments"]
LIST_V = validator(SEED)
ITEM_V = validator(SEED["items"])
CONTENT_TYPE_V = validator(SEED["items"]["properties"]["content_type"])
FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def strict(contract: Contract) -> dict[str, Any]:
    """The ``attachments`` array of the strict order result schema (prose rules encoded)."""
    document = contract.errata.strict(contract.document)
    body = Resolver(document).resolve(document["components"]["schemas"][ORDER_RESULT])
    return body["properties"]["attachments"]


def is_base64(value: str) -> bool:
    return base64.b64encode(base64.b64decode(value, validate=True)).decode() == value


@FAST
@given(data=st.data())
def test_attachment_is_valid_realistic_and_follows_prose(strict, data) -> None:
    item = data.draw(attachment(strict["items"]))
    ITEM_V.validate(item)
    assert broken_attachment_rules(item) == set(), item
    assert set(item) <= set(SEED["items"]["properties"])  # no invented property
    assert item["name"].rsplit(".", 1)[-1] in EXTENSIONS or item["name"].endswith(".tar.gz")
    if "data" in item:
        assert is_base64(item["data"])
    if "content_type" in item:
        assert CONTENT_TYPE_V.is_valid(item["content_type"])
        assert item["content_type"] != "application/octet-stream"
    if "data_url" in item:
        assert URI_V.is_valid(item["data_url"])
        assert urlsplit(item["data_url"]).scheme == "https"


def test_every_combination_the_rules_allow_is_drawn(strict) -> None:
    seen = {frozenset(item) - {"name"} for item in sample(attachment(strict["items"]), 120)}
    assert {frozenset({"data", "content_type"}), frozenset({"data_url"})} <= seen
    assert frozenset() not in seen and frozenset({"data"}) not in seen


def test_without_the_rules_items_break_them() -> None:
    """The plain schema lets items break the prose rules: the strict schema is what keeps
    drawn items honest, not code here."""
    drawn = sample(attachment(SEED["items"]), 40)
    assert all(ITEM_V.is_valid(item) for item in drawn)
    assert any(broken_attachment_rules(item) for item in drawn)


def test_a_rule_added_to_the_schema_changes_what_is_sent(strict) -> None:
    items = copy.deepcopy(strict["items"])
    items["allOf"].append({"not": {"required": ["data"]}})
    drawn = sample(attachment(items), 40)
    assert drawn and all("data" not in item and "data_url" in item for item in drawn)


@FAST
@given(data=st.data())
def test_attachment_lists_are_valid(strict, data) -> None:
    items = data.draw(attachments(strict))
    LIST_V.validate(items)
    assert len(items) <= SEED["maxItems"]


def test_names_reach_non_ascii_and_types_are_common(strict) -> None:
    drawn = sample(attachment(strict["items"]), 60)
    assert any(not a["name"].isascii() for a in drawn)
    assert {a["content_type"] for a in drawn if "content_type" in a} & set(COMMON_CONTENT_TYPES)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_too_many_attachments_break_max_items(strict, data) -> None:
    case = data.draw(too_many_attachments(strict))
    assert len(case.value) > SEED["maxItems"]
    assert not LIST_V.is_valid(case.value)
    assert all(ITEM_V.is_valid(item) for item in case.value)


@FAST
@given(data=st.data())
def test_invalid_attachment_breaks_the_schema(strict, data) -> None:
    case = data.draw(invalid_attachment(strict["items"]))
    assert case.rule == "schema" and not ITEM_V.is_valid(case.value), case


def test_invalid_attachment_reasons(strict) -> None:
    seen = {case.reason for case in sample(invalid_attachment(strict["items"]), 60)}
    assert seen == {"bad-content-type", "missing-name"}
