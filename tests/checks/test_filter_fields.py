"""How documented filter names read records (pure functions, no network)."""

from __future__ import annotations

import pytest

from kombo_conformance.checks.filter_fields import (
    FilterField,
    documented,
    interpret,
    matches,
    values_at,
)
from kombo_conformance.checks.rules import sentence
from kombo_conformance.contract import Contract


@pytest.mark.parametrize(
    ("operation", "name", "mode", "field"),
    [
        ("GET /ats/jobs", "statuses", "in", "status"),
        ("GET /ats/jobs", "status", "equals", "status"),
        ("GET /ats/jobs", "visibilities", "in", "visibility"),
        ("GET /ats/jobs", "name_contains", "contains", "name"),
        ("GET /ats/jobs", "remote_created_after", "after", "remote_created_at"),
        ("GET /ats/applications", "job_remote_ids", "in", "job_remote_id"),
        ("GET /ats/candidates", "email", "equals", "email_addresses.email_address"),
        ("GET /lms/course-progressions", "course_ids", "in", "course_id"),
    ],
)
def test_every_documented_filter_reads_a_documented_field(
    contract: Contract, operation: str, name: str, mode: str, field: str
) -> None:
    schema = contract.operation(operation).conventions.record_schema
    assert interpret(name, schema) == FilterField(name, mode, field)
    assert documented(schema, field)


def test_a_filter_without_a_field_is_not_documented(contract: Contract) -> None:
    schema = contract.operation("GET /assessment/orders").conventions.record_schema
    assert not documented(schema, interpret("created_after", schema).field)


def test_values_are_found_nested() -> None:
    progression = {"course_revision": {"course": {"id": "c1"}}, "user": {"id": "u1"}}
    assert values_at(progression, "course_id") == ["c1"]
    application = {"job": {"remote_id": "r9"}}
    assert values_at(application, "job_remote_id") == ["r9"]
    candidate = {"email_addresses": [{"email_address": "A@x.org"}, {"email_address": "b@x"}]}
    assert values_at(candidate, "email_addresses.email_address") == ["A@x.org", "b@x"]


def test_matching() -> None:
    statuses = FilterField("statuses", "in", "status")
    assert matches(statuses, {"status": "OPEN"}, "CLOSED,OPEN") is True
    assert matches(statuses, {"status": "DRAFT"}, "CLOSED,OPEN") is False
    assert matches(statuses, {"status": None}, "OPEN") is None  # not carried: not judged
    email = FilterField("email", "equals", "email_addresses.email_address")
    assert matches(email, {"email_addresses": [{"email_address": "A@x.org"}]}, "a@X.org")
    after = FilterField("remote_created_after", "after", "remote_created_at")
    threshold = "2024-05-01T12:00:00.000Z"
    assert matches(after, {"remote_created_at": "2024-05-01T08:00:00Z"}, threshold)  # same day
    assert not matches(after, {"remote_created_at": "2024-04-30T23:00:00Z"}, threshold)


def test_sentences_are_quoted_from_descriptions() -> None:
    text = "YYYY-MM-DD\n\n**Please make sure this is set when `x`.** More."
    assert sentence(text, "when") == "Please make sure this is set when `x`."
    assert sentence("One. Two.") == "One."
