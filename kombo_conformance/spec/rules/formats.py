"""A ``pattern`` that disagrees with the ``format`` beside it, shown by counter-examples."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import product

from kombo_conformance.contract.validate import FORMAT_CHECKER
from kombo_conformance.spec.context import Issue, LintContext

DATES = ("2024-01-01", "2024-13-01", "2024-02-30", "2024-1-1", "24-01-01")
TIMES = ("00:00:00", "23:59:59.123", "24:00:00", "12:60:00", "00:00:00,5")
OFFSETS = ("Z", "", "+02:00", "-05:30", "z", "+0200")
# The telling cases first (they are the ones shown), then every combination of the parts.
DATE_TIMES = (
    "2024-01-01", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00",
    "2024-01-01T00:00:00+02:00", "2024-01-01T00:00:00.123Z", "2024-01-01t00:00:00z",
)  # fmt: skip
CANDIDATES: dict[str, tuple[str, ...]] = {
    "date-time": tuple(
        dict.fromkeys(
            (
                *DATE_TIMES,
                *DATES,
                *(f"{d}{s}{t}{o}" for d, s, t, o in product(DATES, "Tt ", TIMES, OFFSETS)),
            )
        )
    ),
    "date": (*DATES, "2024-01-01T00:00:00Z", "20240101", "2024-W01-1"),
    "time": tuple(f"{t}{o}" for t, o in product(TIMES, OFFSETS)),
    "uri": ("https://example.com/a", "example.com", "/relative/path", "mailto:a@example.com"),
    "email": ("a@example.com", "a@localhost", "not-an-email", "a@b@c"),
    "uuid": ("123e4567-e89b-12d3-a456-426614174000", "123e4567e89b12d3a456426614174000"),
}
SHOWN = 4  # counter-examples shown per direction


@lru_cache(maxsize=256)
def counter_examples(pattern: str, fmt: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(accepted by the pattern but not the format, accepted by the format but not the pattern)."""
    regex = re.compile(pattern)
    only_pattern: list[str] = []
    only_format: list[str] = []
    for value in CANDIDATES.get(fmt, ()):
        by_pattern = regex.search(value) is not None
        if by_pattern != FORMAT_CHECKER.conforms(value, fmt):
            (only_pattern if by_pattern else only_format).append(value)
    return tuple(only_pattern), tuple(only_format)


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(repr(v) for v in values[:SHOWN])


def pattern_format_disagreement(ctx: LintContext) -> Iterator[Issue]:
    """A string schema whose ``pattern`` accepts values its ``format`` rejects, or vice versa."""
    for node in ctx.schemas:
        pattern, fmt = node.schema.get("pattern"), node.schema.get("format")
        if not isinstance(pattern, str) or fmt not in CANDIDATES:
            continue
        try:
            only_pattern, only_format = counter_examples(pattern, fmt)
        except re.error as exc:
            yield Issue(node.pointer + "/pattern", f"pattern does not compile: {exc}")
            continue
        if not (only_pattern or only_format):
            continue
        parts = []
        if only_pattern:
            parts.append(f"the pattern accepts {_quoted(only_pattern)}, which {fmt} rejects")
        if only_format:
            parts.append(f"{fmt} accepts {_quoted(only_format)}, which the pattern rejects")
        yield Issue(
            node.pointer,
            f"pattern and format {fmt} disagree: " + "; ".join(parts),
            details={"pattern": pattern, "format": fmt, "pattern_only": list(only_pattern),
                     "format_only": list(only_format)},
        )  # fmt: skip
