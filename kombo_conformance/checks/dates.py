"""``date_ambiguity``: how the target reads timestamps its own schema disagrees about.

Kombo's timestamps carry ``format: date-time`` *and* a ``pattern``; the two disagree on
real moments written differently: a bare date and a missing ``Z`` (pattern yes, format
no), a ``+02:00`` offset (format yes, pattern no). For the first date-time query parameter
and the first date-time body field of the operation, each such value is sent once; the
answer is recorded as an ``observation`` (accepted or rejected), never a failure.

With ``ctx.strict`` the whole schema rules (JSON Schema: pattern AND format): accepting a
value either half rejects is an ``error``; rejecting is then correct. Impossible dates
(Feb 30, month 13) are not ambiguous: ``negative_bodies`` requires them refused.
"""

from __future__ import annotations

from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.examples import UNRESOLVED, base_body
from kombo_conformance.checks.lookup import Lookup
from kombo_conformance.checks.mutations import date_sites, put
from kombo_conformance.checks.rules import keyword
from kombo_conformance.checks.session import ProbeResult, Session
from kombo_conformance.contract.validate import first_error
from kombo_conformance.exchange import Exchange, Request

AMBIGUOUS = {
    "bare-date": "2024-05-01",
    "no-zone": "2024-05-01T10:00:00",
    "offset": "2024-05-01T10:00:00+02:00",
}


def _verdict(schema: dict[str, Any], value: str) -> tuple[bool, bool]:
    """(pattern accepts, format accepts)."""
    pattern = {"type": "string", "pattern": schema["pattern"]}
    fmt = {"type": "string", "format": schema["format"]}
    return first_error(pattern, value) is None, first_error(fmt, value) is None


def _judge(
    session: Session, site: str, schema: dict[str, Any], slug: str, value: str, exchange: Exchange
) -> None:
    pattern_ok, format_ok = _verdict(schema, value)
    accepted = 200 <= exchange.status < 300
    answer = "accepted" if accepted else f"rejected ({exchange.status} {exchange.error_code})"
    halves = f"pattern {'accepts' if pattern_ok else 'rejects'}, format " + (
        "accepts" if format_ok else "rejects"
    )
    strict_violation = session.ctx.strict and accepted and not (pattern_ok and format_ok)
    session.report(
        f"{site}={value!r} ({halves}): {answer}"
        + ("; strict mode expects a rejection" if strict_violation else ""),
        exchange,
        severity="error" if strict_violation else "observation",
        pointer=f"{site}:{slug}",
        rule=keyword("format", f"{schema['format']} and pattern {schema['pattern']}", site),
        details={
            "value": value,
            "pattern_ok": pattern_ok,
            "format_ok": format_ok,
            "accepted": accepted,
        },
    )


def _query_site(ctx: CheckContext) -> tuple[str, dict[str, Any]] | None:
    for name, param in ctx.operation.conventions.query_parameters.items():
        schema = param.get("schema") or {}
        if schema.get("format") == "date-time" and schema.get("pattern"):
            return name, schema
    return None


def date_ambiguity(ctx: CheckContext) -> ProbeResult:
    """Records how ambiguous timestamps are answered (observations; errors when strict)."""
    session = Session(ctx, "date_ambiguity")
    if not session.live or (
        ctx.profile is not None and not ctx.profile.supports(ctx.operation.key)
    ):
        return session.result()
    op = ctx.operation
    query_site = _query_site(ctx)
    if query_site is not None:
        name, schema = query_site
        for slug, value in AMBIGUOUS.items():
            exchange = session.send(Request(op.method, op.path, query={name: value}))
            _judge(session, name, schema, slug, value, exchange)
    sites = date_sites(op.conventions.request_schema) if op.conventions.request_schema else []
    if not sites:
        return session.result()
    lookup = Lookup(session)
    path = lookup.path(op)
    body = base_body(lookup, op) if path is not None else UNRESOLVED
    if path is None or body is UNRESOLVED:
        session.inconclusive(f"no ids found to build a {op.key} body: body dates not judged")
        return session.result()
    where, schema = sites[0]
    for slug, value in AMBIGUOUS.items():
        mutated = put(body, where, value)
        if mutated is not None:
            exchange = session.send(Request(op.method, path, body=mutated))
            _judge(session, "/".join(where), schema, slug, value, exchange)
    return session.result()
