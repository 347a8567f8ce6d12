"""``media_type``: what a body is when it is not the JSON its response declares."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kombo_conformance.checks import RESPONSE_CHECKS
from kombo_conformance.checks.media_types import body_kind, media_type, response_key
from kombo_conformance.contract import Contract
from tests.checks.factory import context, error_body, exchange, list_body

TAGS = "GET /ats/tags"


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b'{"status": "success"}', None),
        (b"null", None),
        (b"", "an empty body"),
        (b"<!DOCTYPE html><html><body>oops</body></html>", "HTML"),
        (b'<?xml version="1.0"?><error/>', "XML"),
        (b"upstream connect error or disconnect/reset before headers", "plain text"),
        (b'{"status": "success", "data": {"ne', "truncated JSON at byte 34"),
        (b'{"status": "success",', "truncated JSON at byte 21"),
        (b'{"a": 1}}', "malformed JSON at byte 8 (Extra data)"),
        (b"\xff\xfe\x00\x01", "binary data (4 bytes)"),
    ],
)
def test_body_kind(content: bytes, kind: str | None) -> None:
    assert body_kind(content) == kind


def test_response_key_follows_openapi_order() -> None:
    responses = {"200": {}, "5XX": {}, "default": {}}
    assert [response_key(responses, s) for s in (200, 503, 404)] == ["200", "5XX", "default"]
    assert response_key({"200": {}}, 404) is None


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_declared_media_types_pass(contract: Contract, content_type: str) -> None:
    for status, body in ((200, list_body([])), (400, error_body()), (500, error_body())):
        ex = exchange(TAGS, status, body)
        ex = replace(ex, headers={"Content-Type": content_type})
        assert media_type(context(contract, TAGS), ex) == []


def test_a_json_body_without_content_type(contract: Contract) -> None:
    ex = replace(exchange(TAGS, 200, list_body([])), headers={})
    (finding,) = media_type(context(contract, TAGS), ex)
    assert "got no Content-Type for a JSON body" in finding.message


def test_plain_text_500_quotes_an_excerpt(contract: Contract) -> None:
    text = b"Internal Server Error " * 10
    ex = replace(exchange(TAGS, 500, None, raw=text), headers={"content-type": "text/plain"})
    (finding,) = media_type(context(contract, TAGS), ex)
    assert "got plain text (text/plain, status 500): 'Internal Server Error" in finding.message
    assert finding.message.endswith("…'") and finding.details["body"] == "plain text"


def test_media_type_is_a_response_check_for_live_runs_and_replay() -> None:
    assert RESPONSE_CHECKS["media_type"] is media_type
