"""strategies.ids: Kombo ids, comma-separated id filters and cursors (seed 002 query params)."""

from __future__ import annotations

import base64
import binascii
import json

from hypothesis import given, settings

from strategies.ids import cursors, id_lists, invalid_cursors, is_kombo_id, kombo_ids, remote_ids
from tests.strategies.seed_schemas import component_schema, validator

IDS_V = validator(component_schema("002", "GetLmsCourseProgressionsParameterIds"))
CURSOR_V = validator(component_schema("002", "GetLmsCourseProgressionsParameterCursor"))


def test_documented_ids_are_kombo_ids() -> None:
    for value in (
        "8Xi6iZrwusZqJmDGXs49GBmJ",
        "222k7eCGyUdgt2JWZDNnkDs3",
        "B5DVmypWENfU6eMe6gYDyJG3",
    ):
        assert is_kombo_id(value)


@settings(max_examples=50)
@given(kombo_ids())
def test_kombo_ids(value: str) -> None:
    assert is_kombo_id(value)


@settings(max_examples=50)
@given(id_lists())
def test_id_lists_are_comma_separated_kombo_ids(value: str) -> None:
    IDS_V.validate(value)
    parts = value.split(",")
    assert all(is_kombo_id(p) for p in parts) and len(set(parts)) == len(parts)


@settings(max_examples=50)
@given(id_lists(remote_ids(), max_size=4))
def test_remote_id_lists_split_back(value: str) -> None:
    assert all(part and "," not in part for part in value.split(","))


@settings(max_examples=50)
@given(cursors())
def test_cursors_are_base64_json(value: str) -> None:
    CURSOR_V.validate(value)
    assert isinstance(json.loads(base64.b64decode(value, validate=True)), dict)


def _decodes(value: str) -> bool:
    try:
        json.loads(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return False
    return True


@settings(max_examples=50)
@given(invalid_cursors())
def test_invalid_cursors_are_schema_valid_but_undecodable(case) -> None:
    assert case.rule == "prose"
    CURSOR_V.validate(case.value)  # ``type: string`` admits them; only the server can refuse
    assert not _decodes(case.value), case
