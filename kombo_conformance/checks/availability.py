"""``availability``: a connector answers exactly the operations its profile lists.

An operation the profile does not list answers ``INTEGRATION.*_NOT_AVAILABLE`` (Kombo uses
MODEL for reads and ACTION for writes; either prefix is accepted); an operation it lists
never does. Skipped when the target has no profile (a user's own target).

For an unlisted operation, a 2xx ("served anyway") and an error with a non-``PLATFORM``
code are findings; ``PLATFORM.*`` errors (authentication, invalid input, rate limits) may
legitimately come before the availability check and are left alone.
"""

from __future__ import annotations

import re

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.finding import finding
from kombo_conformance.checks.rules import ERRORS
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding

NOT_AVAILABLE = re.compile(r"INTEGRATION\.\w+_NOT_AVAILABLE")


def _problem(ctx: CheckContext, exchange: Exchange) -> str | None:
    assert ctx.profile is not None
    code = exchange.error_code
    unavailable = code is not None and NOT_AVAILABLE.fullmatch(code) is not None
    if ctx.profile.supports(ctx.operation.key):
        if unavailable:
            return f"{ctx.profile.name} lists this operation: expected it served, got {code}"
        return None
    if 200 <= exchange.status < 300:
        return (
            f"{ctx.profile.name} does not list this operation: expected "
            f"INTEGRATION.*_NOT_AVAILABLE, got {exchange.status} (served)"
        )
    if code is not None and not unavailable and not code.startswith("PLATFORM."):
        return (
            f"{ctx.profile.name} does not list this operation: expected "
            f"INTEGRATION.*_NOT_AVAILABLE, got {code}"
        )
    return None


def availability(ctx: CheckContext, exchange: Exchange) -> list[Finding]:
    """Supported operations are served; unsupported ones answer *_NOT_AVAILABLE."""
    if ctx.profile is None:
        return []
    problem = _problem(ctx, exchange)
    if problem is None:
        return []
    rule = f"connector profile {ctx.profile.name}: its `operations` list ({ERRORS})"
    return [finding(ctx, "availability", problem, exchange, rule=rule)]
