"""Kombo's envelopes: ``{status: success, data, ...}`` for success, ``{status: error, error}``
for failures, each recognised from the operation's contract (see contract/conventions.py).

- ``success_envelope``: a 2xx answer is a JSON object with ``status: success`` and ``data``;
  a list's ``data`` has ``next`` (a cursor or null, never absent) and ``results`` (an array);
  an action has ``warnings``, a list of ``{message: string}``.
- ``error_envelope``: an error answer (status >= 400, or a body saying ``status: error``)
  matches the operation's own ``default`` response (ATS/Assessment envelope or the general
  one): its required keys and types, and ``error.code`` within that envelope's enum, plus
  the codes ``errata.yaml`` declares the API sends beyond it, or null.

Each check reports every problem of an exchange, one finding each (a list page without
``next`` and with ``results`` not an array is two findings).
"""

from __future__ import annotations

from typing import Any

from jsonschema.exceptions import best_match, relevance

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.finding import finding
from kombo_conformance.contract import Operation
from kombo_conformance.contract.errata import RefusedWith
from kombo_conformance.contract.validate import describe, schema_validator
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding


def is_success_status(status: int) -> bool:
    return 200 <= status < 300


def says_error(body: Any) -> bool:
    """Whether a body presents itself as an error envelope (``status: error``)."""
    return isinstance(body, dict) and body.get("status") == "error"


def _warnings_problem(warnings: Any) -> str | None:
    if not isinstance(warnings, list):
        return f"`warnings` must be a list of {{message}}, got {_kind(warnings)}"
    for i, item in enumerate(warnings):
        if not isinstance(item, dict) or not isinstance(item.get("message"), str):
            return f"`warnings[{i}]` must be an object with a string `message`, got {item!r:.80}"
    return None


def _kind(value: Any) -> str:
    return "nothing (absent)" if value is _ABSENT else type(value).__name__


_ABSENT = object()


def _list_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    if "next" not in data:
        problems.append("expected `data.next` (a cursor, or null on the last page), got no `next`")
    elif data["next"] is not None and not isinstance(data["next"], str):
        problems.append(f"expected `data.next` to be a string or null, got {_kind(data['next'])}")
    if not isinstance(data.get("results", _ABSENT), list):
        problems.append(
            f"expected `data.results` to be an array, got {_kind(data.get('results', _ABSENT))}"
        )
    return problems


def success_envelope_problems(operation: Operation, body: Any) -> list[str]:
    """Everything wrong with the envelope of a success body (empty when it is right)."""
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    problems = []
    if body.get("status") != "success":
        problems.append(
            f"expected `status: success`, got `status: {body.get('status', '(absent)')}`"
        )
    data = body.get("data", _ABSENT)
    kind = operation.conventions.kind
    if kind in ("list", "action") and not isinstance(data, dict):
        problems.append(f"expected `data` to be an object, got {_kind(data)}")
    elif data is _ABSENT:
        problems.append("expected `data`, got no `data`")
    if kind == "list" and isinstance(data, dict):
        problems += _list_problems(data)
    if kind == "action" and (warnings := _warnings_problem(body.get("warnings", _ABSENT))):
        problems.append(warnings)
    return problems


def success_envelope_problem(operation: Operation, body: Any) -> str | None:
    """The first thing wrong with the envelope of a success body, or None."""
    return next(iter(success_envelope_problems(operation, body)), None)


def success_envelope(ctx: CheckContext, exchange: Exchange) -> list[Finding]:
    """A 2xx answer carries Kombo's success envelope for its kind of operation; one finding
    per problem."""
    if not is_success_status(exchange.status) or says_error(exchange.json):
        return []  # error answers are error_envelope's and status_code's business
    body = exchange.json if exchange.is_json else exchange.content
    kind = ctx.operation.conventions.kind
    rule = f"responses.200 of {ctx.operation.key}: the {kind} success envelope"
    return [
        finding(ctx, "success_envelope", f"{kind} success envelope: {problem}", exchange, rule=rule)
        for problem in success_envelope_problems(ctx.operation, body)
    ]


def allowed_error_codes(ctx: CheckContext) -> frozenset[str]:
    envelope = ctx.operation.conventions.error_envelope
    codes = envelope.codes if envelope else frozenset()
    return codes | ctx.contract.errata.extra_codes(ctx.operation.error_response_ref)


def declared_refusal(ctx: CheckContext, allowed: RefusedWith, exchange: Exchange) -> bool:
    """``exchange`` is a refusal a prose rule's ``refused_with`` declares: one of its statuses
    and, among its codes, an ``error.code`` the operation documents."""
    return allowed.status_ok(exchange.status) and allowed.code_ok(
        exchange.error_code, allowed_error_codes(ctx)
    )


def _is_code_error(error: Any) -> bool:
    return list(error.absolute_path) == ["error", "code"]


def error_envelope(ctx: CheckContext, exchange: Exchange) -> list[Finding]:
    """An error answer matches the operation's documented error envelope and code enum."""
    body = exchange.json
    envelope = ctx.operation.conventions.error_envelope
    if envelope is None or not isinstance(body, dict):
        return []  # a non-JSON error body is status_code's finding
    if exchange.status < 400 and not says_error(body):
        return []
    name = (ctx.operation.error_response_ref or "").rsplit("/", 1)[-1] or "default response"
    findings = []
    code = exchange.error_code
    allowed = allowed_error_codes(ctx)
    if code is not None and code not in allowed:
        findings.append(
            finding(
                ctx,
                "error_envelope",
                f"expected error.code within the {envelope.use_case} envelope {name} "
                f"({len(allowed)} codes), got {code!r}",
                exchange,
                pointer="/error/code",
                details={"code": code, "envelope": envelope.use_case},
                rule=f"schema: enum at {name} /error/code (and errata undocumented-codes)",
            )
        )
    schema = ctx.contract.errata.tolerant(envelope.schema)
    errors = [e for e in schema_validator(schema).iter_errors(body) if not _is_code_error(e)]
    findings += [
        finding(
            ctx,
            "error_envelope",
            f"expected the {envelope.use_case} error envelope {name}, got: {describe(error)}",
            exchange,
            pointer=instance_pointer(error),
            rule=schema_rule(error, f"{name} (responses.default of {ctx.operation.key})"),
        )
        for error in _each_error(errors)
    ]
    return findings


def _each_error(errors: list[Any]) -> list[Any]:
    """Each validation error, most relevant first, as ``best_match`` would explain it."""
    return [best_match([e]) for e in sorted(errors, key=relevance, reverse=True)]


def schema_rule(error: Any, where: str) -> str:
    """``schema: <keyword> at <where> #<schema path>`` for a validation error."""
    path = "/".join(str(p) for p in error.schema_path)
    return f"schema: {error.validator} at {where} #/{path}"


def instance_pointer(error: Any) -> str:
    """Where in the body a validation error is, array indices generalised to ``*``."""
    parts = ["*" if isinstance(p, int) else str(p) for p in error.absolute_path]
    return "/" + "/".join(parts)
