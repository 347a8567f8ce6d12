"""``negative_bodies`` and ``edge_bodies``: the operation's example body, mutated.

Invalid mutations must be refused with 400 ``PLATFORM.INPUT_INVALID``; valid edge cases
must be accepted (2xx). The unmutated body is sent first: if the target refuses it, the
mutations cannot be judged and one ``warning`` says so. See mutations.py for the shapes.
"""

from __future__ import annotations

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.examples import UNRESOLVED, base_body, request_example
from kombo_conformance.checks.lookup import Lookup
from kombo_conformance.checks.mutations import Mutation, mutations
from kombo_conformance.checks.session import Session
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.findings import Finding

INPUT_INVALID = "PLATFORM.INPUT_INVALID"


def _prefer_same_status(body: object):
    """For a body setting ``status``, target records already in that status."""
    status = body.get("status") if isinstance(body, dict) else None
    return (lambda record: record.get("status") == status) if status else None


def _run(ctx: CheckContext, check: str, kind: str) -> tuple[list[Finding], list[Exchange]]:
    session = Session(ctx, check)
    schema = ctx.operation.conventions.request_schema
    chosen = [m for m in mutations(schema) if m.kind == kind] if schema else []
    if not session.live or not chosen:
        return session.result()
    if ctx.profile is not None and not ctx.profile.supports(ctx.operation.key):
        return session.result()  # answered *_NOT_AVAILABLE: availability's business
    lookup = Lookup(session)
    lookup.prefer = _prefer_same_status(request_example(ctx.operation))
    path = lookup.path(ctx.operation)
    body = base_body(lookup, ctx.operation) if path is not None else UNRESOLVED
    if path is None or body is UNRESOLVED:
        return session.result()
    base = session.send(Request(ctx.operation.method, path, body=body))
    if not 200 <= base.status < 300:
        session.report(
            f"expected the documented example body to be accepted, got "
            f"{base.status} {base.error_code}: mutations not judged",
            base,
            severity="warning",
            pointer="example",
        )
        return session.result()
    for mutation in chosen:
        mutated = mutation.apply(body)
        if mutated is not None:
            _judge(
                session, mutation, session.send(Request(ctx.operation.method, path, body=mutated))
            )
    return session.result()


def _judge(session: Session, mutation: Mutation, exchange: Exchange) -> None:
    status, code = exchange.status, exchange.error_code
    if mutation.kind == "invalid" and (status != 400 or code != INPUT_INVALID):
        session.report(
            f"{mutation.description}: expected 400 {INPUT_INVALID}, got {status} "
            f"{code or ''}".rstrip(),
            exchange,
            pointer=mutation.name,
        )
    if mutation.kind == "edge" and not 200 <= status < 300:
        session.report(
            f"{mutation.description} (valid): expected it accepted, got {status} "
            f"{code or ''}".rstrip(),
            exchange,
            pointer=mutation.name,
        )


def negative_bodies(ctx: CheckContext) -> tuple[list[Finding], list[Exchange]]:
    """Invalid bodies are refused with 400 PLATFORM.INPUT_INVALID."""
    return _run(ctx, "negative_bodies", "invalid")


def edge_bodies(ctx: CheckContext) -> tuple[list[Finding], list[Exchange]]:
    """Valid edge-case bodies are accepted."""
    return _run(ctx, "edge_bodies", "edge")
