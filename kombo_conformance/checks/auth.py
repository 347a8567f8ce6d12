"""``auth``: requests without a valid API key or integration are refused.

- no ``Authorization`` header, and a wrong bearer token: 401, the operation's documented
  error envelope, ``error.code`` ``PLATFORM.AUTHENTICATION_INVALID``;
- no ``X-Integration-Id`` header: a 4xx with the documented error envelope (only where the
  operation declares the header; the general operations take none).

The request is the operation's ordinary one with placeholder ids (authentication comes
before any id is looked at), so the probe needs no data from the target.
"""

from __future__ import annotations

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.envelopes import error_envelope
from kombo_conformance.checks.lookup import Lookup
from kombo_conformance.checks.probe_requests import ordinary_request
from kombo_conformance.checks.session import ProbeResult, Session
from kombo_conformance.exchange import Exchange

AUTH_CODE = "PLATFORM.AUTHENTICATION_INVALID"
WRONG_TOKEN = "Bearer kombo-conformance-wrong-key"
# (case, headers that break it, whether 401 + AUTH_CODE is required)
CASES = (
    ("no API key", {"Authorization": ""}, True),
    ("a wrong API key", {"Authorization": WRONG_TOKEN}, True),
    ("no X-Integration-Id", {"X-Integration-Id": ""}, False),
)


AUTH_RULE = (
    "securitySchemes ApiKey (HTTP bearer) and the error enum's PLATFORM.AUTHENTICATION_INVALID; "
    "RFC 9110 answers missing or wrong credentials with 401"
)
INTEGRATION_RULE = "header parameter X-Integration-Id (required: true)"


def _judge(session: Session, case: str, exchange: Exchange, needs_auth_code: bool) -> None:
    status, code = exchange.status, exchange.error_code
    rule = AUTH_RULE if needs_auth_code else INTEGRATION_RULE
    if not 400 <= status < 500:
        session.report(
            f"with {case}: expected a 4xx refusal, got {status}", exchange, pointer=case, rule=rule
        )
        return
    if needs_auth_code and (status != 401 or code != AUTH_CODE):
        session.report(
            f"with {case}: expected 401 {AUTH_CODE}, got {status} {code}",
            exchange,
            pointer=case,
            rule=rule,
        )
    for problem in error_envelope(session.ctx, exchange):
        session.report(f"with {case}: {problem.message}", exchange, pointer=case, rule=problem.rule)


def auth(ctx: CheckContext) -> ProbeResult:
    """Missing/wrong API key -> 401 AUTHENTICATION_INVALID; missing integration -> 4xx."""
    session = Session(ctx, "auth")
    if not session.live:
        return session.result()
    lookup = Lookup(session)
    declared = {name.lower() for name in ctx.operation.conventions.header_parameters}
    for case, headers, needs_auth_code in CASES:
        if not needs_auth_code and not {h.lower() for h in headers} <= declared:
            continue  # the operation takes no X-Integration-Id (a general one): nothing to omit
        request = ordinary_request(lookup, headers, real_ids=False)
        assert request is not None
        _judge(session, case, session.send(request), needs_auth_code)
    return session.result()
