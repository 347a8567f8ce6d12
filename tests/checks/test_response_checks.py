"""Each response check: a correct response passes, each specific defect is caught by name."""

from __future__ import annotations

import random

import pytest

from kombo_conformance.checks.availability import availability
from kombo_conformance.checks.envelopes import error_envelope, success_envelope
from kombo_conformance.checks.schema import response_schema
from kombo_conformance.checks.status import status_code
from kombo_conformance.contract import Contract
from kombo_conformance.contract.errata import admits_null_outside_enum
from kombo_conformance.sandbox.data import Generator
from tests.checks.factory import action_body, context, error_body, exchange, list_body

TAGS = "GET /ats/tags"
SKILLS = "GET /lms/skills"
ADD_TAG = "POST /ats/candidates/{candidate_id}/tags"
RESPONSE_CHECKS = (status_code, error_envelope, success_envelope, response_schema, availability)

TAG = {
    "id": "T1",
    "remote_id": "r1",
    "name": "senior",
    "changed_at": "2024-05-01T10:00:00.000Z",
    "remote_deleted_at": None,
}


def run_all(contract: Contract, operation: str, ex, connector: str = "sandbox"):
    ctx = context(contract, operation, connector)
    return [f for check in RESPONSE_CHECKS for f in check(ctx, ex)]


def only(findings, check: str):
    assert [f.check for f in findings] == [check], [f.message for f in findings]
    finding = findings[0]
    assert finding.connector and finding.operation and finding.message
    return finding


@pytest.mark.parametrize(
    ("operation", "status", "body", "connector"),
    [
        (TAGS, 200, list_body([TAG], "cursor-2"), "sandbox"),
        (TAGS, 200, list_body([]), "sandbox"),
        (ADD_TAG, 200, action_body(warnings=[{"message": "tag created"}]), "sandbox"),
        (TAGS, 400, error_body(), "sandbox"),
        (TAGS, 404, error_body(), "sandbox"),  # unknown id: INPUT_INVALID with 404
        (TAGS, 401, error_body("PLATFORM.AUTHENTICATION_INVALID"), "sandbox"),
        (TAGS, 404, error_body(None, title=None, log_url=None), "sandbox"),  # minimal
        (SKILLS, 404, error_body("INTEGRATION.MODEL_NOT_AVAILABLE"), "homerun"),  # errata
        (TAGS, 404, error_body("ATS.JOB_CLOSED"), "sandbox"),
    ],
)
def test_correct_responses_pass(contract: Contract, operation, status, body, connector) -> None:
    assert run_all(contract, operation, exchange(operation, status, body), connector) == []


def test_finding_carries_masked_request_excerpt_and_reproduction(contract: Contract) -> None:
    f = only(run_all(contract, TAGS, exchange(TAGS, 500, error_body())), "status_code")
    assert f.connector == "sandbox" and f.operation == TAGS
    assert f.request is not None and f.request.headers["Authorization"] == "Bearer ***"
    assert f.response is not None and f.response.status == 500
    assert f.reproduction and "sk_secret_1" not in f.reproduction
    assert "$KOMBO_API_KEY" in f.reproduction


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (500, error_body("PLATFORM.UNKNOWN_ERROR"), "no 5xx"),
        (201, list_body([TAG]), "expected 200"),
        (200, error_body(), "with `status: error`"),
        (400, None, "non-JSON"),
        (400, error_body("PLATFORM.AUTHENTICATION_INVALID"), "expected 401"),
        (401, error_body("PLATFORM.INPUT_INVALID"), "AUTHENTICATION_INVALID"),
        (422, error_body("PLATFORM.INPUT_INVALID"), "expected 400"),
        (200, error_body("INTEGRATION.MODEL_NOT_AVAILABLE"), "with `status: error`"),
    ],
)
def test_status_code_defects(contract: Contract, status, body, expected) -> None:
    raw = b"<html>oops</html>" if body is None else None
    findings = run_all(contract, TAGS, exchange(TAGS, status, body, raw=raw))
    mine = [f for f in findings if f.check == "status_code"]
    assert len(mine) == 1 and expected in mine[0].message, [f.message for f in findings]


def test_not_available_code_must_be_4xx(contract: Contract) -> None:
    offers = "GET /ats/offers"  # not offered by homerun, so the code itself is right
    ex = exchange(offers, 502, error_body("INTEGRATION.MODEL_NOT_AVAILABLE"))
    assert "no 5xx" in only(run_all(contract, offers, ex, "homerun"), "status_code").message
    ex = exchange(offers, 409, error_body("INTEGRATION.MODEL_NOT_AVAILABLE"))
    assert run_all(contract, offers, ex, "homerun") == []


@pytest.mark.parametrize(
    ("operation", "body", "expected"),
    [
        (TAGS, error_body(title=None, log_url=None) | {"error": {"message": "x"}}, "code"),
        (
            TAGS,
            {
                "status": "error",
                "error": {"code": None, "message": 3, "title": None, "log_url": None},
            },
            "message",
        ),
        (TAGS, {"error": error_body()["error"]}, "status"),
        (TAGS, error_body("PLATFORM.OOPS"), "PLATFORM.OOPS"),
        (SKILLS, error_body("ATS.JOB_CLOSED"), "general envelope"),
        (TAGS, error_body(log_url="not a uri"), "log_url"),
    ],
)
def test_error_envelope_defects(contract: Contract, operation, body, expected) -> None:
    findings = run_all(contract, operation, exchange(operation, 400, body))
    assert {f.check for f in findings} == {"error_envelope"}, [f.message for f in findings]
    assert expected in findings[0].message


def test_error_envelope_of_the_sandbox_fault_loses_title_and_log_url(contract: Contract) -> None:
    body = {"status": "error", "error": {"code": "PLATFORM.INPUT_INVALID", "message": "bad"}}
    findings = run_all(contract, TAGS, exchange(TAGS, 400, body))
    assert {f.check for f in findings} == {"error_envelope"}
    assert sorted(f.message.split("'")[1] for f in findings) == ["log_url", "title"]


def test_every_problem_of_an_exchange_is_its_own_finding(contract: Contract) -> None:
    envelope = run_all(contract, TAGS, exchange(TAGS, 200, {"status": "ok", "data": {}}))
    assert [f.check for f in envelope] == ["success_envelope"] * 3
    html = exchange(TAGS, 503, None, raw=b"<html><body>503</body></html>")
    assert [f.check for f in run_all(contract, TAGS, html)] == ["status_code"] * 2


@pytest.mark.parametrize(
    ("operation", "body", "expected"),
    [
        (TAGS, {"status": "success", "data": {"results": [TAG]}}, "data.next"),
        (TAGS, {"status": "success", "data": {"next": None}}, "data.results"),
        (TAGS, {"status": "ok", "data": {"next": None, "results": []}}, "status: success"),
        (TAGS, {"status": "success", "data": {"next": 3, "results": []}}, "string or null"),
        (ADD_TAG, {"status": "success", "data": {}}, "warnings"),
        (ADD_TAG, action_body(warnings=[{"text": "x"}]), "message"),
        (ADD_TAG, {"status": "success", "warnings": []}, "data"),
    ],
)
def test_success_envelope_defects(contract: Contract, operation, body, expected) -> None:
    f = only(run_all(contract, operation, exchange(operation, 200, body)), "success_envelope")
    assert expected in f.message


def test_non_json_success_is_an_envelope_finding(contract: Contract) -> None:
    ex = exchange(TAGS, 200, None, raw=b"garbage")
    assert "not a JSON object" in only(run_all(contract, TAGS, ex), "success_envelope").message


@pytest.mark.parametrize(
    ("record", "pointer"),
    [
        ({k: v for k, v in TAG.items() if k != "changed_at"}, "/data/results/*"),
        (TAG | {"name": 42}, "/data/results/*/name"),
        (TAG | {"changed_at": "2024-13-01T00:00:00Z"}, "/data/results/*/changed_at"),
    ],
)
def test_response_schema_defects(contract: Contract, record, pointer) -> None:
    ex = exchange(TAGS, 200, list_body([TAG, record]))
    f = only(run_all(contract, TAGS, ex), "response_schema")
    assert f.pointer == pointer and "200 schema" in f.message


def test_response_schema_is_tolerant_of_errata(contract: Contract) -> None:
    op = "GET /lms/course-progressions"
    schema = contract.operation(op).conventions.record_schema
    assert schema is not None
    ctx = context(contract, op)

    def nullable_enum_paths(node, path=()):
        if isinstance(node, dict):
            if admits_null_outside_enum(node):
                yield path
            for key, sub in (node.get("properties") or {}).items():
                yield from nullable_enum_paths(sub, (*path, key))

    assert list(nullable_enum_paths(schema)), "the erratum no longer applies to this schema"
    record = Generator(random.Random(1)).value(schema, "course_progression")
    for path in nullable_enum_paths(schema):
        node = record
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = None
    assert response_schema(ctx, exchange(op, 200, list_body([record]))) == []


def test_availability(contract: Contract) -> None:
    unsupported = "GET /ats/offers"
    assert not contract.profiles["homerun"].supports(unsupported)
    served = exchange(unsupported, 200, list_body([]))
    f = only(availability(context(contract, unsupported, "homerun"), served), "availability")
    assert "does not list" in f.message
    refused = exchange(unsupported, 404, error_body("INTEGRATION.MODEL_NOT_AVAILABLE"))
    assert availability(context(contract, unsupported, "homerun"), refused) == []
    ex = exchange(TAGS, 404, error_body("INTEGRATION.ACTION_NOT_AVAILABLE"))
    f = only(availability(context(contract, TAGS), ex), "availability")
    assert "lists this operation" in f.message


def test_availability_skips_targets_without_profile(contract: Contract) -> None:
    ctx = context(contract, TAGS, connector="mine")
    assert ctx.profile is None
    ex = exchange(TAGS, 404, error_body("INTEGRATION.MODEL_NOT_AVAILABLE"))
    assert availability(ctx, ex) == []
