"""``recorded_request``: a success answer to a request the contract says must be refused.

Replay judges the recorded request as well as the answer, where the contract says enough.
A 2xx answer is a finding ("the target accepted a request it must refuse") when the request

- lacks a parameter marked ``required: true`` (``X-Integration-Id``, a required query
  parameter; path parameters are always present in a request that matched its template);
- carries no body where the operation takes one: ``requestBody`` is ``required``, or the
  errata (``request-body-required``) say the API needs one although the contract does not
  mark it;
- carries a body that is not JSON, or that the request schema rejects (errata-tolerant).

Live runs leave this to the ``auth`` and ``negative_bodies`` probes and schemathesis's
negative cases, which judge the requests they send themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.envelopes import instance_pointer, is_success_status, schema_rule
from kombo_conformance.checks.finding import finding
from kombo_conformance.checks.media_types import body_kind
from kombo_conformance.contract.validate import describe, first_error
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.findings import Finding

ACCEPTED = "the target accepted a request it must refuse"


@dataclass(frozen=True)
class Problem:
    """What is wrong with a request, where, and the contract's rule that says so."""

    message: str
    rule: str
    pointer: str | None = None


def _has_parameter(request: Request, where: str, name: str) -> bool:
    if where == "header":
        return any(k.lower() == name.lower() for k in request.headers)
    if where == "query":
        return name in request.query
    return True  # a path parameter: the request matched its template


def _missing_parameters(ctx: CheckContext, request: Request) -> Iterator[Problem]:
    for param in ctx.operation.definition.get("parameters") or []:
        where, name = param.get("in"), param.get("name")
        if param.get("required") and not _has_parameter(request, where, name):
            yield Problem(
                f"required {where} parameter `{name}` is missing",
                f"parameters: {where} parameter `{name}` of {ctx.operation.key} is "
                "`required: true`",
                pointer=f"{where}:{name}",
            )


def _body_requirement(ctx: CheckContext) -> str | None:
    """The rule that makes a body required, or None when the operation may go without."""
    where = f"requestBody of {ctx.operation.key}"
    if ctx.operation.conventions.request_required:
        return f"{where}: `required: true`"
    errata = ctx.contract.errata.of_rule("request-body-required")
    return f"{where}: required per errata {errata[0].id} ({errata[0].reason})" if errata else None


def _tolerant_request_schema(ctx: CheckContext) -> Any:
    cache = ctx.notes.setdefault("tolerant_request_schemas", {})
    assert isinstance(cache, dict)
    key = ctx.operation.key  # notes may be shared by contexts of several operations
    if key not in cache:
        cache[key] = ctx.contract.errata.tolerant(ctx.operation.conventions.request_schema)
    return cache[key]


def _body_problems(ctx: CheckContext, request: Request) -> Iterator[Problem]:
    if ctx.operation.conventions.request_schema is None:
        return
    where = f"requestBody of {ctx.operation.key}"
    body = request.body
    if request.raw_body is not None:
        kind = body_kind(request.raw_body)
        if kind is not None:
            yield Problem(f"its body is {kind}, not JSON", f"{where}: content application/json")
            return
        body = json.loads(request.raw_body)
    elif body is None:
        if (rule := _body_requirement(ctx)) is not None:
            yield Problem("it carried no body", rule)
        return
    error = first_error(_tolerant_request_schema(ctx), body)
    if error is not None:
        yield Problem(
            f"its body is invalid: {describe(error)}",
            schema_rule(error, where),
            pointer=instance_pointer(error),
        )


def recorded_request(ctx: CheckContext, exchange: Exchange) -> list[Finding]:
    """A 2xx answer to a request the contract refuses (see the module docstring)."""
    if not is_success_status(exchange.status):
        return []
    problems = [
        *_missing_parameters(ctx, exchange.request),
        *_body_problems(ctx, exchange.request),
    ]
    return [
        finding(
            ctx,
            "recorded_request",
            f"{ACCEPTED}: {p.message} (answered {exchange.status})",
            exchange,
            pointer=p.pointer,
            rule=p.rule,
        )
        for p in problems
    ]
