"""Success and error envelopes, shaped by the operation's own documented schemas."""

from __future__ import annotations

from typing import Any

from kombo_conformance.contract import Errata, Operation
from kombo_conformance.sandbox.fault_kinds import error_code, omit_fields
from kombo_conformance.sandbox.faults import Faults

LOG_URL = "https://sandbox.kombo.invalid/logs?interactionId={}"

TITLES = {
    "PLATFORM.AUTHENTICATION_INVALID": "The API key is invalid.",
    "PLATFORM.INTEGRATION_NOT_FOUND": "The integration could not be found.",
    "PLATFORM.INPUT_INVALID": "The input is invalid.",
    "PLATFORM.UNKNOWN_ERROR": "An unknown error occurred.",
    "INTEGRATION.MODEL_NOT_AVAILABLE": "This data model isn't supported for the selected "
    "integration.",
    "INTEGRATION.ACTION_NOT_AVAILABLE": "This action isn't supported for the selected integration.",
}

# Use-case codes the ATS envelope documents; the general (LMS) envelope documents only
# PLATFORM.* codes, but the API also sends the codes the errata declare for it
# (undocumented-codes: INTEGRATION.*_NOT_AVAILABLE on LMS), and so does the sandbox. Any
# other code outside the operation's enum is sent as `code: null` (the "Minimal Error
# Response" the contract documents) with the intended code kept in the message.


class SandboxError(Exception):
    """An error the sandbox answers with a documented envelope."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        title: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.title = title
        self.headers = headers  # e.g. Allow on a 405 (RFC 9110)


def error_body(
    operation: Operation | None,
    code: str,
    message: str,
    *,
    title: str | None = None,
    faults: Faults,
    interaction: str = "0",
    errata: Errata | None = None,
) -> dict[str, Any]:
    envelope = operation.conventions.error_envelope if operation else None
    codes = (
        envelope.codes
        if envelope
        else frozenset({code}) | {c for c in TITLES if c.startswith("PLATFORM.")}
    )
    if errata is not None and operation is not None:
        codes = codes | errata.extra_codes(operation.error_response_ref)
    use_case = envelope.use_case if envelope else "general"
    key = operation.key if operation else None
    forced = error_code(faults, key, use_case)  # a fault's code, documented or not
    sent: str | None = forced or code
    if forced is None and code not in codes:
        message = f"{message} ({code})"
        sent = None
    error: dict[str, Any] = {
        "code": sent,
        "title": title or TITLES.get(code, "The request failed."),
        "message": message,
        "log_url": LOG_URL.format(interaction),
    }
    return omit_fields(faults, "error", key, {"status": "error", "error": error})


def list_body(
    results: list[Any],
    next_cursor: str | None,
    *,
    with_warnings: bool,
    faults: Faults,
    operation: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"status": "success", "data": {"next": next_cursor, "results": results}}
    if with_warnings:
        body["warnings"] = []
    return omit_fields(faults, "list", operation, body)


def action_body(
    data: Any, warnings: list[str], *, faults: Faults, operation: str | None = None
) -> dict[str, Any]:
    body = {"status": "success", "data": data, "warnings": [{"message": w} for w in warnings]}
    return omit_fields(faults, "action", operation, body)
