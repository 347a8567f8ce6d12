"""Property tests for strategies.dates against the seed's completed_at / updated_after schema."""

from __future__ import annotations

import jsonschema_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies.dates import (
    DateVerdict,
    ambiguous_dates,
    classify_date,
    invalid_dates,
    matches_iso_string,
    pattern_dates,
)
from tests.strategies.seed_schemas import (
    order_result_schema,
    sample,
    updated_after_schema,
    validator,
)

COMPLETED_AT = order_result_schema()["properties"]["completed_at"]
UPDATED_AFTER = updated_after_schema()
PY_VALIDATORS = [validator(COMPLETED_AT), validator(UPDATED_AFTER)]
# schemathesis filters generated strings with jsonschema_rs, so valid values must pass it too.
RS_VALIDATOR = jsonschema_rs.Draft202012Validator(COMPLETED_AT, validate_formats=True)


def test_seed_schemas_share_one_date_shape() -> None:
    for key in ("type", "format", "pattern"):
        assert COMPLETED_AT[key] == UPDATED_AFTER[key]


@settings(max_examples=150)
@given(pattern_dates())
def test_pattern_dates_validate_against_contract(value: str) -> None:
    for v in PY_VALIDATORS:
        v.validate(value)
    assert RS_VALIDATOR.is_valid(value)
    assert classify_date(value) == DateVerdict(pattern_ok=True, format_ok=True)


def test_pattern_dates_are_varied() -> None:
    """100 generated examples (as a schemathesis run would see them) hold >= 50 distinct values."""
    seen = sample(pattern_dates(), 100)
    assert len(seen) == 100
    assert len(set(seen)) >= 50
    fraction_lengths = {len(v.partition(".")[2]) for v in seen}  # 0 or digits + "Z"
    assert len(fraction_lengths) >= 5


@settings(max_examples=30)
@given(st.sampled_from([2000, 2024, 1600, 4]), st.sampled_from([1900, 2023, 2100, 1]))
def test_leap_days_only_in_leap_years(leap: int, common: int) -> None:
    assert classify_date(f"{leap:04d}-02-29T00:00:00Z").valid
    assert not classify_date(f"{common:04d}-02-29T00:00:00Z").format_ok


@settings(max_examples=300)
@given(pattern_dates())
def test_pattern_dates_reach_leap_days_and_fractions(value: str) -> None:
    # Not a coverage proof (see test below); just that every drawn leap day is a real one.
    if value[5:10] == "02-29":
        assert int(value[:4]) % 4 == 0


def test_pattern_dates_cover_leap_days_and_nine_digit_fractions() -> None:
    from hypothesis import find

    assert find(pattern_dates(), lambda v: v[5:10] == "02-29")
    assert find(pattern_dates(), lambda v: len(v.rsplit(".", 1)[-1]) == 10)  # 9 digits + Z


@settings(max_examples=200)
@given(ambiguous_dates())
def test_ambiguous_dates_have_the_stated_verdict(case) -> None:
    verdict = classify_date(case.value)
    assert verdict == case.expected, case
    schema_ok = PY_VALIDATORS[0].is_valid(case.value)
    assert schema_ok == verdict.valid
    if case.reason == "many-fractional-digits":
        # accepted by the schema, but not the documented ``.sss`` shape
        assert verdict.valid and not matches_iso_string(case.value)
    else:
        assert verdict.ambiguous


def test_ambiguous_dates_name_every_border() -> None:

    seen = {case.reason for case in sample(ambiguous_dates(), 200)}
    assert {"date-only", "no-z", "feb-29-non-leap-year", "month-13", "hour-24", "offset"} <= seen
    assert classify_date("2024-02-29T10:00:00Z").valid
    assert classify_date("2023-02-29T10:00:00Z") == DateVerdict(True, False)
    assert classify_date("2024-01-01T10:00:00+02:00") == DateVerdict(False, True)
    assert classify_date("2024-13-01T10:00:00Z") == DateVerdict(True, False)
    assert classify_date("2024-01-01T24:00:00Z") == DateVerdict(True, False)
    assert classify_date("2024-01-01") == DateVerdict(True, False)


@settings(max_examples=150)
@given(invalid_dates())
def test_invalid_dates_fail_both_halves(case) -> None:
    assert classify_date(case.value) == DateVerdict(False, False), case
    for v in PY_VALIDATORS:
        assert not v.is_valid(case.value)
    assert not RS_VALIDATOR.is_valid(case.value)


def test_iso_string_shape() -> None:
    assert matches_iso_string("2024-05-01T12:00:00.000Z")
    assert not matches_iso_string("2024-05-01T12:00:00Z")
