"""``negative_bodies`` and ``edge_bodies``: the operation's example body, mutated.

The unmutated body is sent first: if the target refuses it, the mutations cannot be
judged (a ``warning``, verdict inconclusive). See mutations.py for the shapes.

- an invalid body breaking a **schema** rule must be refused with 400
  ``PLATFORM.INPUT_INVALID`` (Kombo's platform validation error); a 2xx or a 5xx is an
  error, a 4xx with another code a ``warning`` (error with --strict);
- an invalid body breaking a rule stated only in **prose** (a ``prose-rule`` erratum) must
  be refused: a 2xx or a 5xx is an error; a refusal the rule's ``refused_with`` declares
  (its statuses, and a code among its codes that the operation documents) passes; another
  status, code or shape is a ``warning`` (error with --strict): Kombo does not say which;
- a valid edge case must be accepted (2xx), else an error.
"""

from __future__ import annotations

from kombo_conformance.checks import rules
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.envelopes import declared_refusal
from kombo_conformance.checks.examples import UNRESOLVED, base_body, request_example
from kombo_conformance.checks.lookup import Lookup
from kombo_conformance.checks.mutations import Mutation, mutations
from kombo_conformance.checks.session import ProbeResult, Session
from kombo_conformance.contract import prose_rules
from kombo_conformance.contract.errata import RefusedWith
from kombo_conformance.exchange import Exchange, Request

INPUT_INVALID = "PLATFORM.INPUT_INVALID"


def _prefer_same_status(body: object):
    """For a body setting ``status``, target records already in that status."""
    status = body.get("status") if isinstance(body, dict) else None
    return (lambda record: record.get("status") == status) if status else None


def _run(ctx: CheckContext, check: str, kind: str) -> ProbeResult:
    session = Session(ctx, check)
    schema = ctx.operation.conventions.request_schema
    found = prose_rules.sites(ctx.contract, ctx.operation)
    every = mutations(schema, ctx.contract.errata, ctx.data_url, found) if schema else []
    chosen = [m for m in every if m.kind == kind]
    if not session.live or not chosen:
        return session.result()
    if ctx.profile is not None and not ctx.profile.supports(ctx.operation.key):
        return session.result()  # answered *_NOT_AVAILABLE: availability's business
    lookup = Lookup(session)
    lookup.prefer = _prefer_same_status(request_example(ctx.operation))
    path = lookup.path(ctx.operation)
    body = base_body(lookup, ctx.operation) if path is not None else UNRESOLVED
    if path is None or body is UNRESOLVED:
        session.inconclusive(f"no records found to build a {ctx.operation.key} request: not judged")
        return session.result()
    base = session.send(Request(ctx.operation.method, path, body=body))
    if not 200 <= base.status < 300:
        session.report(
            f"expected the documented example body to be accepted, got "
            f"{base.status} {base.error_code}: mutations not judged",
            base,
            severity="warning",
            pointer="example",
            rule=f"the operation's documented request example ({ctx.operation.key})",
        )
        session.inconclusive(f"the example body was refused ({base.status}): not judged")
        return session.result()
    for mutation in chosen:
        mutated = mutation.apply(body)
        why = mutation.unsent(body, mutated) if mutated is not None else None
        if mutated is None or why:
            session.note(why or f"{mutation.name}: does not apply to the example body")
            continue
        sent = session.send(Request(ctx.operation.method, path, body=mutated))
        (_judge_invalid if kind == "invalid" else _judge_edge)(session, mutation, sent)
    return session.result()


def _got(exchange: Exchange) -> str:
    return f"{exchange.status} {exchange.error_code or ''}".rstrip()


def _judge_invalid(session: Session, mutation: Mutation, exchange: Exchange) -> None:
    ctx = session.ctx
    rule = f"{mutation.rule} ({ctx.operation.key})"
    status, code = exchange.status, exchange.error_code
    if not 400 <= status < 500:
        session.report(
            f"{mutation.description}: expected it refused with a 4xx, got {_got(exchange)}",
            exchange,
            pointer=mutation.name,
            rule=rule,
        )
    elif mutation.source == "schema" and (status, code) != (400, INPUT_INVALID):
        session.report(
            f"{mutation.description}: expected 400 {INPUT_INVALID} for a schema violation, "
            f"got {_got(exchange)}",
            exchange,
            severity=rules.unstated(ctx),
            pointer=mutation.name,
            rule=f"{rules.VALIDATION_CODE}; {rule}",
        )
    elif mutation.source == "prose":
        allowed = mutation.refused_with or RefusedWith()
        if declared_refusal(ctx, allowed, exchange):
            return
        session.report(
            f"{mutation.description}: refused with {_got(exchange)}, expected {_expected(allowed)}",
            exchange,
            severity=rules.unstated(ctx),
            pointer=mutation.name,
            rule=rules.not_stated(
                f"which answer a rule stated only in prose gets (refused_with declared in "
                f"contracts/errata.yaml); {rule}"
            ),
        )


def _expected(allowed: RefusedWith) -> str:
    status = "/".join(map(str, allowed.status)) if allowed.status else "a 4xx"
    codes = " or ".join(allowed.codes) if allowed.codes else "an error.code"
    return f"{status} with {codes} the operation documents"


def _judge_edge(session: Session, mutation: Mutation, exchange: Exchange) -> None:
    if not 200 <= exchange.status < 300:
        session.report(
            f"{mutation.description} (valid): expected it accepted, got {_got(exchange)}",
            exchange,
            pointer=mutation.name,
            rule=f"{mutation.rule} ({session.ctx.operation.key})",
        )


def negative_bodies(ctx: CheckContext) -> ProbeResult:
    """Invalid bodies are refused: schema rules with 400 PLATFORM.INPUT_INVALID."""
    return _run(ctx, "negative_bodies", "invalid")


def edge_bodies(ctx: CheckContext) -> ProbeResult:
    """Valid edge-case bodies are accepted."""
    return _run(ctx, "edge_bodies", "edge")
