"""``response_schema``: a success body validates against the operation's 200 schema.

Validation is JSON Schema 2020-12 with formats, read through the errata (null admitted by
nullable enums). A body whose envelope is already broken is left to ``success_envelope``,
so one defect gives one finding.
"""

from __future__ import annotations

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.envelopes import (
    instance_pointer,
    is_success_status,
    says_error,
    schema_rule,
    success_envelope_problem,
)
from kombo_conformance.checks.finding import finding
from kombo_conformance.contract.validate import describe, first_error
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding


def response_schema(ctx: CheckContext, exchange: Exchange) -> list[Finding]:
    """A 2xx body matches the documented 200 schema (tolerant of accepted errata)."""
    schema = ctx.operation.conventions.success_schema
    body = exchange.json
    if (
        schema is None
        or not is_success_status(exchange.status)
        or says_error(body)
        or success_envelope_problem(ctx.operation, body) is not None
    ):
        return []
    cache = ctx.notes.setdefault("tolerant_success_schemas", {})
    assert isinstance(cache, dict)
    key = ctx.operation.key  # notes may be shared by contexts of several operations
    if key not in cache:
        cache[key] = ctx.contract.errata.tolerant(schema)
    tolerant = cache[key]
    error = first_error(tolerant, body)
    if error is None:
        return []
    return [
        finding(
            ctx,
            "response_schema",
            f"expected a body valid against the 200 schema, got: {describe(error)}",
            exchange,
            pointer=instance_pointer(error),
            rule=schema_rule(error, f"responses.200 of {ctx.operation.key}"),
        )
    ]
