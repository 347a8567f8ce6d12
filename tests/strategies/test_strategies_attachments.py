"""strategies.attachments against the seed's ``attachments`` schema and its prose rules
(the realistic files it draws happen to honour them; breaking them is ``strategies.prose``'s)."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

from hypothesis import find, given, settings

from strategies.attachments import (
    attachment,
    attachments,
    content_type_matches,
    invalid_attachment,
    too_many_attachments,
)
from tests.strategies.oracles import broken_attachment_rules
from tests.strategies.seed_schemas import URI_V, order_result_schema, sample, validator

ATTACHMENTS = order_result_schema()["properties"]["attachments"]
LIST_V = validator(ATTACHMENTS)
ITEM_V = validator(ATTACHMENTS["items"])


def is_base64(value: str) -> bool:
    return base64.b64encode(base64.b64decode(value, validate=True)).decode() == value


@settings(max_examples=80)
@given(attachment())
def test_attachment_is_valid_and_follows_prose(item: dict) -> None:
    ITEM_V.validate(item)
    assert broken_attachment_rules(item) == set()
    assert ("data" in item) != ("data_url" in item)
    if "data" in item:
        assert is_base64(item["data"]) and content_type_matches(item["content_type"])
    else:
        assert URI_V.is_valid(item["data_url"])
        assert urlsplit(item["data_url"]).scheme in {"http", "https"}


@settings(max_examples=40)
@given(attachments())
def test_attachment_lists_are_valid(items: list) -> None:
    LIST_V.validate(items)
    assert len(items) <= 5


def test_names_reach_non_ascii() -> None:
    item = find(attachment(), lambda a: not a["name"].isascii())
    assert "." in item["name"]


@settings(max_examples=20)
@given(too_many_attachments(ATTACHMENTS["maxItems"]))
def test_too_many_attachments_break_max_items(case) -> None:
    assert len(case.value) > ATTACHMENTS["maxItems"]
    assert not LIST_V.is_valid(case.value)
    assert all(ITEM_V.is_valid(item) for item in case.value)


@settings(max_examples=60)
@given(invalid_attachment())
def test_invalid_attachment_breaks_the_schema(case) -> None:
    assert case.rule == "schema" and not ITEM_V.is_valid(case.value), case


def test_invalid_attachment_reasons() -> None:
    seen = {case.reason for case in sample(invalid_attachment(), 60)}
    assert seen == {"bad-content-type", "missing-name"}
