"""The schemathesis checks the suite runs beside its own, and how they are tuned.

Vanilla schemathesis checks stay on so that the suite finds everything schemathesis finds;
each appears in reports as ``schemathesis.<check>``. Tuning, all of it here:

- ``ignored_auth`` and the stateful checks are left out: auth is probed by the Kombo
  ``auth`` check with explicit requests, state by ``read_after_write``/``order_status_lock``.
- ``positive_data_acceptance`` on operations with a request body is reported as an
  *observation*: a Kombo write body references other records (a stage of the
  application's job, a rejection reason, a job) and depends on their state (an order that
  has left OPEN), none of which a schema can express, so a correct server rightly refuses
  many schema-valid bodies. Acceptance of valid writes is judged by the ``edge_bodies``
  probe, whose bodies are built from real records. On reads the check stays an error.
"""

from __future__ import annotations

import json

import requests
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kombo_conformance.contract import Operation
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Severity

SCHEMATHESIS_CHECKS = {
    f"schemathesis.{check.__name__}": check
    for check in (
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        negative_data_rejection,
        positive_data_acceptance,
    )
}


#: Where each schemathesis check's rule comes from in the contract (a finding's ``rule``).
RULES = {
    "schemathesis.not_a_server_error": "responses: the contract documents 200 and the default "
    "error envelope; a 5xx is the server failing",
    "schemathesis.status_code_conformance": "responses: the status codes the operation documents",
    "schemathesis.content_type_conformance": "responses.*.content: the documented media types",
    "schemathesis.response_headers_conformance": "responses.*.headers: the documented headers",
    "schemathesis.response_schema_conformance": "responses.*.content.schema: the documented "
    "response schema",
    "schemathesis.negative_data_rejection": "parameters and requestBody schemas: a request "
    "they reject must be refused (4xx)",
    "schemathesis.positive_data_acceptance": "parameters and requestBody schemas: a request "
    "they accept should be accepted",
}


def rule_for(check: str) -> str:
    """The contract source of a schemathesis check's rule (see :data:`RULES`)."""
    return RULES.get(check, f"schemathesis check {check.removeprefix('schemathesis.')}")


def severity_for(check: str, operation: Operation) -> Severity:
    """The severity a schemathesis failure gets on operation (see the module docstring)."""
    if check == "schemathesis.positive_data_acceptance" and operation.conventions.request_schema:
        return "observation"
    return "error"


def check_name(failure: Failure) -> str:
    """The report name of the schemathesis check that raised failure."""
    names = getattr(failure, "checks", ()) or ()
    for name in names:
        if f"schemathesis.{name}" in SCHEMATHESIS_CHECKS:
            return f"schemathesis.{name}"
    return f"schemathesis.{names[0]}" if names else f"schemathesis.{type(failure).__name__}"


def as_schemathesis_response(exchange: Exchange) -> Response:
    """The exchange as schemathesis's checks expect a response."""
    request = exchange.request
    if request.raw_body is not None:
        sent = request.raw_body
    else:
        sent = b"" if request.body is None else json.dumps(request.body, default=str).encode()
    prepared = requests.Request(
        request.method, exchange.url, headers=request.headers, data=sent or None
    ).prepare()
    return Response(
        status_code=exchange.status,
        headers={k: [v] for k, v in exchange.headers.items()},
        content=exchange.content,
        request=prepared,
        elapsed=exchange.elapsed_s,
        verify=True,
    )
