"""Judging a filtered record against Kombo's filter naming convention
(:mod:`kombo_conformance.contract.filter_names`: which field a filter reads, and how).

Comma lists are OR within a filter; text compares case-insensitively. Pure functions, no
network: the ``filters`` probe uses them to judge what a filtered listing returned.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from kombo_conformance.checks.examples import branches
from kombo_conformance.contract.filter_names import (
    MAX_DEPTH,
    FilterField,
    interpret,
    parse_instant,
    values_at,
)

__all__ = [
    "FilterField",
    "carried",
    "documented",
    "interpret",
    "matches",
    "parse_instant",
    "values_at",
    "wanted",
]


def _property_names(schema: Any, depth: int = 0) -> set[str]:
    names: set[str] = set()
    if depth > MAX_DEPTH:
        return names
    for branch in branches(schema):
        for key, sub in (branch.get("properties") or {}).items():
            names |= {key, *_property_names(sub, depth + 1)}
        names |= _property_names(branch.get("items"), depth + 1)
    return names


def documented(record_schema: dict[str, Any] | None, field: str) -> bool:
    """Whether the record schema has ``field`` somewhere (``x_id`` also as ``x`` + ``id``)."""
    names = _property_names(record_schema)
    if "." in field:
        return set(field.split(".")) <= names
    for suffix, sub in (("_remote_id", "remote_id"), ("_id", "id")):
        stem = field.removesuffix(suffix)
        if stem != field and {stem, sub} <= names:
            return True
    return field in names


def carried(record: Any, field: str) -> list[Any]:
    """The non-empty values of ``field`` a record carries."""
    return [v for v in values_at(record, field) if v not in (None, "")]


def wanted(spec: FilterField, value: str) -> list[str]:
    """The values a filter value names: a comma list for ``in``, else the value itself."""
    if spec.mode == "in":
        return [v.strip() for v in value.split(",") if v.strip()]
    return [value]


def matches(spec: FilterField, record: Any, value: str) -> bool | None:
    """Whether ``record`` satisfies ``<spec.name>=<value>``; None when it does not carry
    the field (nothing to judge). ``after`` is lenient to the day: some filters are
    documented "by the day", so only a value before the threshold's day mismatches."""
    found = carried(record, spec.field)
    if not found:
        return None
    if spec.mode == "after":
        threshold = parse_instant(value)
        moments = [m for v in found if (m := parse_instant(v)) is not None]
        if threshold is None or not moments:
            return None
        day = threshold.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        return any(m >= day for m in moments)
    texts = [str(v).casefold() for v in found if isinstance(v, str | int | float)]
    if spec.mode == "contains":
        return any(value.casefold() in t for t in texts)
    names = {w.casefold() for w in wanted(spec, value)}
    return any(t in names for t in texts)
