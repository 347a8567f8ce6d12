"""Request validation against the contract: parameters, body schema, and prose rules.

Everything here raises :class:`SandboxError` with ``PLATFORM.INPUT_INVALID`` (a prose
rule's :class:`ProseRuleError` carries the code the caller asks for, e.g.
``REMOTE.INPUT_INVALID`` for a realistic sandbox, when the rule's ``refused_with`` allows
it); the app turns it into the operation's documented error envelope. Limits and choices:

- a body larger than :data:`MAX_BODY_BYTES` (10 MiB) answers 413;
- a body on an operation that takes JSON must be sent as ``application/json`` (or a
  ``+json`` type), otherwise 415;
- malformed JSON, schema violations (JSON Schema 2020-12 with format checks: ``maxItems``
  and every other limit come from the contract, nothing is added) and the declared prose
  rules answer 400 (or the status their ``refused_with`` declares).

Prose rules are the ``prose-rule`` errata (``contracts/errata.yaml``), read through
:mod:`kombo_conformance.contract.prose_rules`: a body breaking one where it applies is
refused; a write that changes a locked field (``lock``) away from a final value is too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from kombo_conformance.contract import Contract, Erratum, Operation, prose_rules
from kombo_conformance.sandbox.envelopes import SandboxError

MAX_BODY_BYTES = 10 * 1024 * 1024
INPUT_INVALID = "PLATFORM.INPUT_INVALID"


class ProseRuleError(SandboxError):
    """A body that breaks a rule stated only in prose (the schema accepts it)."""


def invalid(message: str, status: int = 400) -> SandboxError:
    return SandboxError(status, INPUT_INVALID, message)


def check(schema: Any, value: Any, where: str) -> None:
    """Raise INPUT_INVALID when value breaks schema."""
    _check_with(prose_rules.validator_for(schema), value, where)


def _check_with(validator: Draft202012Validator, value: Any, where: str) -> None:
    error = best_match(validator.iter_errors(value))
    if error is not None:
        path = "".join(f"/{p}" for p in error.absolute_path) or "/"
        message = error.message if len(error.message) < 300 else error.message[:297] + "..."
        raise invalid(f"{where}{path if where == 'body' else ''}: {message}")


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


@dataclass(frozen=True)
class BodyRules:
    """What an operation's request bodies are checked against: a validator of its schema
    as the accepted errata read it, and where the prose rules apply in it."""

    validator: Draft202012Validator
    sites: list[prose_rules.Site]


def body_rules(contract: Contract, operation: Operation) -> BodyRules | None:
    """The operation's :class:`BodyRules` (None: it takes no body)."""
    schema = operation.conventions.request_schema
    if schema is None:
        return None
    return BodyRules(
        prose_rules.validator_for(contract.errata.tolerant(schema)),
        prose_rules.sites(contract, operation),
    )


def validate_body(rules: BodyRules | None, body: Any, *, prose_code: str = INPUT_INVALID) -> None:
    """Schema violations raise INPUT_INVALID; prose-rule violations a ProseRuleError
    with ``prose_code`` (where the rule's ``refused_with`` allows it)."""
    if rules is None:
        return
    _check_with(rules.validator, body, "body")
    for violation in prose_rules.violations(rules.sites, body):
        raise refusal(violation.site.rule, violation.message, prose_code)


def refusal(rule: Erratum, message: str, preferred: str = INPUT_INVALID) -> ProseRuleError:
    """The answer to a body breaking ``rule``: its first declared status (400 without
    one) and ``preferred`` when the rule allows that code, else its first declared code."""
    allowed = rule.refused_with
    code = preferred if not allowed.codes or preferred in allowed.codes else allowed.codes[0]
    return ProseRuleError(allowed.status[0] if allowed.status else 400, code, message)


def check_locks(contract: Contract, operation: Operation, records: list[Any], body: Any) -> None:
    """Refuse a write that changes a locked field of a record it addresses (a ``lock``
    prose rule on the operation) away from a value that is final."""
    if not isinstance(body, dict):
        return
    for rule in contract.errata.locks(operation.key):
        assert rule.lock is not None
        name = rule.lock.field
        for record in records:
            if (
                name in body
                and name in record
                and prose_rules.locked(rule, record[name], body[name])
            ):
                raise refusal(
                    rule,
                    f"body/{name}: the record's {name} is {record[name]!r}, final; "
                    f"breaks prose rule {rule.id}: '{rule.sentence}'",
                )
