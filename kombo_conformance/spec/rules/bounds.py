"""Numeric bounds that bound nothing (the largest double written as a minimum, say)."""

from __future__ import annotations

from collections.abc import Iterator

from kombo_conformance.spec.context import Issue, LintContext

BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
NO_BOUND = 1e300  # beyond this a bound is a serialised ±DBL_MAX / ±infinity, not a limit


def vacuous_numeric_bound(ctx: LintContext) -> Iterator[Issue]:
    """``minimum: -1.7976931348623157e+308`` and the like: a bound that means "no bound"."""
    for node in ctx.schemas:
        for key in BOUNDS:
            value = node.schema.get(key)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and abs(value) >= NO_BOUND:
                yield Issue(
                    f"{node.pointer}/{key}",
                    f"{key} {value!r} is no bound at all (±DBL_MAX); omit it, or state "
                    "the real limit",
                    severity="warning",
                    details={"keyword": key, "value": value},
                )
