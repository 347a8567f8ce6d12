"""The conformance checks: one small named function per rule, registered by public name.

- **Response checks** ``(ctx, exchange) -> list[Finding]`` judge any one exchange, live or
  replayed, without network.
- **Request checks** ``(ctx, exchange) -> list[Finding]`` judge the recorded request of an
  exchange (a 2xx to a request the contract refuses); replay only, since live the probes
  and schemathesis's negative cases judge the requests they send.
- **Probes** ``(ctx) -> ProbeResult`` run once per (connector, operation) in live runs and
  build their own requests with ``ctx.send`` (through a :class:`~.session.Session`). The
  :class:`~.session.ProbeResult` holds their findings, the exchanges they made (so they can
  be recorded and judged by the response checks), a verdict (``passed``, ``not run``,
  ``inconclusive`` or ``not applicable``; the engine makes it ``failed`` when a finding is
  an error), a ``note`` and a ``bounded`` flag. A probe stopped mid-way (writes not allowed,
  retries run out) raises :class:`~.session.ProbeStopped` carrying its result so far.
  Without ``ctx.send``, or with nothing to judge, a probe sends nothing and is
  ``not applicable``.

The names are the public check names of reports, junit and baselines (docs/checks.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kombo_conformance.checks.auth import auth
from kombo_conformance.checks.availability import availability
from kombo_conformance.checks.bodies import edge_bodies, negative_bodies
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.dates import date_ambiguity
from kombo_conformance.checks.declared import declared_coverage
from kombo_conformance.checks.envelopes import error_envelope, success_envelope
from kombo_conformance.checks.filters import filters, include_deleted
from kombo_conformance.checks.media_types import media_type
from kombo_conformance.checks.pagination import judge_pages, page_size, pagination
from kombo_conformance.checks.requests import recorded_request
from kombo_conformance.checks.schema import response_schema
from kombo_conformance.checks.session import ProbeResult, ProbeStopped
from kombo_conformance.checks.state import order_status_lock, read_after_write
from kombo_conformance.checks.status import status_code
from kombo_conformance.errors import UsageError
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding

ResponseCheck = Callable[[CheckContext, Exchange], list[Finding]]
Probe = Callable[[CheckContext], ProbeResult]

RESPONSE_CHECKS: dict[str, ResponseCheck] = {
    "status_code": status_code,
    "media_type": media_type,
    "error_envelope": error_envelope,
    "success_envelope": success_envelope,
    "response_schema": response_schema,
    "availability": availability,
}

REQUEST_CHECKS: dict[str, ResponseCheck] = {
    "recorded_request": recorded_request,
}

PROBES: dict[str, Probe] = {
    "auth": auth,
    "pagination": pagination,
    "page_size": page_size,
    "filters": filters,
    "include_deleted": include_deleted,
    "negative_bodies": negative_bodies,
    "edge_bodies": edge_bodies,
    "date_ambiguity": date_ambiguity,
    "read_after_write": read_after_write,
    "order_status_lock": order_status_lock,
    "declared_coverage": declared_coverage,
}

ALL_CHECKS: tuple[str, ...] = (*RESPONSE_CHECKS, *PROBES)


def select(
    names: Iterable[str] | None,
) -> tuple[dict[str, ResponseCheck], dict[str, Probe]]:
    """The response checks and probes named (all of them for None); unknown names raise."""
    if names is None:
        return dict(RESPONSE_CHECKS), dict(PROBES)
    wanted = list(dict.fromkeys(names))
    unknown = [n for n in wanted if n not in ALL_CHECKS]
    if unknown:
        raise UsageError(
            f"unknown check {', '.join(map(repr, unknown))}; known checks: {', '.join(ALL_CHECKS)}"
        )
    return (
        {n: RESPONSE_CHECKS[n] for n in wanted if n in RESPONSE_CHECKS},
        {n: PROBES[n] for n in wanted if n in PROBES},
    )


__all__ = [
    "ALL_CHECKS",
    "PROBES",
    "REQUEST_CHECKS",
    "RESPONSE_CHECKS",
    "CheckContext",
    "Probe",
    "ProbeResult",
    "ProbeStopped",
    "ResponseCheck",
    "judge_pages",
    "select",
]
