"""Synthetic exchanges and contexts for unit tests of the response checks."""

from __future__ import annotations

import json
from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.contract import Contract
from kombo_conformance.exchange import Exchange, Request

BASE = "http://127.0.0.1:9/v1"


def context(contract: Contract, operation: str, connector: str = "sandbox") -> CheckContext:
    return CheckContext(
        contract=contract,
        operation=contract.operation(operation),
        connector=connector,
        profile=contract.profiles.get(connector),
    )


def exchange(operation: str, status: int, body: Any, *, raw: bytes | None = None) -> Exchange:
    method, path = operation.split(" ", 1)
    content = raw if raw is not None else json.dumps(body).encode()
    return Exchange(
        request=Request(method, path, headers={"Authorization": "Bearer sk_secret_1"}),
        url=BASE + path,
        status=status,
        headers={"content-type": "application/json"},
        content=content,
        operation=operation,
    )


def error_body(code: str | None = "PLATFORM.INPUT_INVALID", **changes: Any) -> dict[str, Any]:
    error = {
        "code": code,
        "title": "Invalid input",
        "message": "The request body is invalid.",
        "log_url": "https://app.kombo.dev/logs?interactionId=1",
    }
    error.update(changes)
    return {"status": "error", "error": error}


def list_body(records: list[dict[str, Any]], next_cursor: str | None = None) -> dict[str, Any]:
    return {"status": "success", "data": {"next": next_cursor, "results": records}}


def action_body(data: dict[str, Any] | None = None, warnings: Any = ()) -> dict[str, Any]:
    return {"status": "success", "data": data or {}, "warnings": list(warnings)}
