"""Building blocks for the certify tests: exchanges, findings and a small certification."""

from __future__ import annotations

import json
from typing import Any

from kombo_conformance.certify.coverage import ModelCoverage
from kombo_conformance.certify.matrix import ConnectorResult, Evidence, classify
from kombo_conformance.certify.result import Certification
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.findings import Finding, RequestRecord, ResponseExcerpt

SECRET = "sk_live_certify_secret_123"
JOBS, CANDIDATES, ORDERS = "GET /ats/jobs", "GET /ats/candidates", "GET /assessment/orders"


def exchange(operation: str, status: int, body: Any = None, connector: str = "acme") -> Exchange:
    method, path = operation.split(" ", 1)
    return Exchange(
        request=Request(method, path),
        url=f"http://127.0.0.1:1/v1{path}",
        status=status,
        headers={"content-type": "application/json"},
        content=json.dumps(body).encode() if body is not None else b"",
        operation=operation,
        connector=connector,
    )


def error(code: str) -> dict[str, Any]:
    return {"status": "error", "error": {"code": code, "title": "x", "message": "x"}}


def finding(connector: str, operation: str, check: str = "response_schema", **kw) -> Finding:
    return Finding(
        check=check,
        message=kw.pop("message", f"{check} broke <b>here</b>"),
        connector=connector,
        operation=operation,
        pointer=kw.pop("pointer", "/data/results/0/name"),
        request=RequestRecord("GET", f"http://127.0.0.1:1/v1/ats/jobs?api_key={SECRET}"),
        response=ResponseExcerpt(200, "{}"),
        reproduction=(
            "curl -sS http://127.0.0.1:1/v1/ats/jobs -H 'Authorization: Bearer $KOMBO_API_KEY'"
        ),
        **kw,
    )


def evidence(served: int = 0, not_available: int = 0, rejected: int = 0, errors: int = 0):
    total = served + not_available + rejected + errors
    return Evidence(total, served, not_available, rejected, errors)


def sample_certification() -> Certification:
    """Two connectors: ``acme`` certified, ``bolt`` with every kind of non-passing cell."""
    acme = ConnectorResult(
        "acme",
        "Acme",
        [
            classify("acme", JOBS, True, evidence(served=3), []),
            classify("acme", CANDIDATES, False, evidence(not_available=1), []),
            classify("acme", ORDERS, False, evidence(not_available=1), []),
        ],
        [ModelCoverage("jobs", JOBS, None, 2, {"id": 2, "name": 1}, {"status": 2})],
    )
    bolt = ConnectorResult(
        "bolt",
        "Bolt <ATS>",
        [
            classify("bolt", JOBS, True, evidence(served=3), [finding("bolt", JOBS)]),
            classify("bolt", CANDIDATES, True, evidence(not_available=2), []),
            classify("bolt", ORDERS, False, evidence(served=1), []),
        ],
    )
    return Certification([acme, bolt], [JOBS, CANDIDATES, ORDERS], {"mode": "live"})
