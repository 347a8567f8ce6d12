"""Request validation against the contract: parameters, body schema, and prose rules.

Everything here raises :class:`SandboxError` with ``PLATFORM.INPUT_INVALID`` (a prose
rule's :class:`ProseRuleError` carries the code the caller asks for, e.g.
``REMOTE.INPUT_INVALID`` for a realistic sandbox); the app turns it into the operation's
documented error envelope. Limits and choices:

- a body larger than :data:`MAX_BODY_BYTES` (10 MiB) answers 413;
- a body on an operation that takes JSON must be sent as ``application/json`` (or a
  ``+json`` type), otherwise 415;
- malformed JSON, schema violations (JSON Schema 2020-12 with format checks) and the
  prose rules below answer 400.

Prose rules (stated only in descriptions, encoded here as data): at most
:data:`MAX_ATTACHMENTS` attachments; each attachment needs ``data`` or ``data_url``;
``content_type`` is required with ``data``; ``data`` must be valid base64; an assessment
result with ``status`` COMPLETED or CANCELLED needs ``completed_at``. Errata of rule
``prose-rule`` whose pointer lies in an operation's request body add their schema too.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from kombo_conformance.contract import Contract, Operation
from kombo_conformance.sandbox.data import is_base64
from kombo_conformance.sandbox.envelopes import SandboxError

MAX_BODY_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
INPUT_INVALID = "PLATFORM.INPUT_INVALID"
FINAL_STATUSES = ("COMPLETED", "CANCELLED")


class ProseRuleError(SandboxError):
    """A body that breaks a rule stated only in prose (the schema accepts it)."""


def invalid(message: str, status: int = 400) -> SandboxError:
    return SandboxError(status, INPUT_INVALID, message)


@lru_cache(maxsize=512)
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(
        json.loads(schema_json), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def validator_for(schema: Any) -> Draft202012Validator:
    return _validator(json.dumps(schema, sort_keys=True))


def check(schema: Any, value: Any, where: str, prose_code: str | None = None) -> None:
    """Raise INPUT_INVALID when value breaks schema (a ProseRuleError with prose_code,
    when given: the schema encodes a prose rule)."""
    error = best_match(validator_for(schema).iter_errors(value))
    if error is not None:
        path = "".join(f"/{p}" for p in error.absolute_path) or "/"
        message = error.message if len(error.message) < 300 else error.message[:297] + "..."
        message = f"{where}{path if where == 'body' else ''}: {message}"
        if prose_code is not None:
            raise ProseRuleError(400, prose_code, message)
        raise invalid(message)


def query_values(operation: Operation, query: dict[str, str]) -> dict[str, Any]:
    """The declared query parameters, type-coerced and validated."""
    out: dict[str, Any] = {}
    for name, param in operation.conventions.query_parameters.items():
        schema = param.get("schema") or {}
        if name not in query:
            if param.get("required"):
                raise invalid(f"query parameter {name!r} is required")
            continue
        raw = query[name]
        value: Any = raw
        if schema.get("type") == "integer":
            try:
                value = int(raw)
            except ValueError:
                raise invalid(f"query parameter {name}: {raw!r} is not an integer") from None
        elif schema.get("type") == "boolean":
            if raw not in ("true", "false"):
                raise invalid(f"query parameter {name}: {raw!r} is not true or false")
            value = raw == "true"
        check(schema, value, f"query parameter {name}")
        out[name] = value
    return out


def parse_body(operation: Operation, content_type: str | None, raw: bytes) -> Any:
    conv = operation.conventions
    if conv.request_schema is None:
        return None
    if len(raw) > MAX_BODY_BYTES:
        raise invalid(f"the request body exceeds {MAX_BODY_BYTES} bytes", 413)
    if not raw.strip():
        if conv.request_required:
            raise invalid("a JSON request body is required")
        return {}  # validated like an empty object: required fields still apply
    media = (content_type or "").split(";")[0].strip().lower()
    if not (media == "application/json" or media.endswith("+json")):
        raise invalid(f"expected Content-Type application/json, got {media or 'none'!r}", 415)
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise invalid(f"the request body is not valid JSON: {exc}") from None


def validate_body(
    contract: Contract,
    operation: Operation,
    body: Any,
    *,
    max_attachments: int = MAX_ATTACHMENTS,
    ascii_names_only: bool = False,
    prose_code: str = INPUT_INVALID,
) -> None:
    """Schema violations raise INPUT_INVALID; prose-rule violations a ProseRuleError
    with ``prose_code``."""
    schema = operation.conventions.request_schema
    if schema is None:
        return
    check(contract.errata.tolerant(schema), body, "body")
    for erratum in contract.errata.of_rule("prose-rule"):
        if erratum.schema and (erratum.pointer or "").startswith(
            operation.pointer + "/requestBody"
        ):
            check(erratum.schema, body, "body", prose_code)
    check_prose_rules(
        body,
        set(schema.get("properties") or {}),
        max_attachments=max_attachments,
        ascii_names_only=ascii_names_only,
        code=prose_code,
    )


def attachments_in(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return []
    found = [body["attachment"]] if isinstance(body.get("attachment"), dict) else []
    if isinstance(body.get("attachments"), list):
        found += [a for a in body["attachments"] if isinstance(a, dict)]
    return found


def check_prose_rules(
    body: Any,
    fields: set[str],
    *,
    max_attachments: int,
    ascii_names_only: bool,
    code: str = INPUT_INVALID,
) -> None:
    if not isinstance(body, dict):
        return

    def refuse(message: str) -> ProseRuleError:
        return ProseRuleError(400, code, message)

    if isinstance(body.get("attachments"), list) and len(body["attachments"]) > max_attachments:
        raise refuse(
            f"body/attachments: at most {max_attachments} attachments are allowed, "
            f"got {len(body['attachments'])}"
        )
    for i, attachment in enumerate(attachments_in(body)):
        where = f"attachment {i + 1}"
        if "data" not in attachment and "data_url" not in attachment:
            raise refuse(f"{where}: either `data` or `data_url` is required")
        if "data" in attachment:
            if "content_type" not in attachment:
                raise refuse(f"{where}: `content_type` is required when `data` is sent")
            if not is_base64(attachment["data"]):
                raise refuse(f"{where}: `data` is not valid base64")
        if ascii_names_only and not str(attachment.get("name", "")).isascii():
            raise refuse(f"{where}: file names must be ASCII")
    status = body.get("status")
    if (
        {"status", "completed_at"} <= fields
        and status in FINAL_STATUSES
        and not body.get("completed_at")
    ):
        raise refuse(f"body: `completed_at` is required when `status` is {status}")
