"""Generic filter semantics for list operations, derived from the filter's name.

| filter                      | record field(s)                                  |
| --------------------------- | ------------------------------------------------ |
| ``ids`` / ``remote_ids``    | ``id`` / ``remote_id``                            |
| ``<x>_ids``                 | ``<x>_id``, or ``<x>.id`` anywhere in the record  |
| ``<x>_remote_ids``          | ``<x>_remote_id`` or ``<x>.remote_id``            |
| ``<plural>`` (``statuses``) | ``<singular>`` (``status``)                       |
| ``<x>_contains``            | ``<x>`` contains the value (case-insensitive)     |
| ``<x>_after``               | ``<x>_at`` on or after the instant                |
| anything else               | the field of that name, equal (case-insensitive)  |

Comma lists are OR within a filter; filters AND together. The few irregular names are
in :data:`IRREGULAR`. A field is looked up at the top level first, then inside nested
objects and arrays (so ``job_ids`` on candidates matches their applications' jobs).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kombo_conformance.sandbox.data import singular

SPECIAL = frozenset({"cursor", "page_size", "include_deleted", "ignore_unsupported_filters"})
IRREGULAR = {
    "updated_after": ("after", "changed_at"),
    "email": ("equals", "email_addresses.email_address"),
}

Predicate = Callable[[dict[str, Any]], bool]


class FilterError(ValueError):
    pass


def parse_instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def values_at(record: Any, field: str, depth: int = 0) -> list[Any]:
    """Every value of field in record: top level, dotted path, ``x.id`` for ``x_id``,
    then nested objects and arrays."""
    if isinstance(record, list):
        return [v for item in record for v in values_at(item, field, depth)]
    if not isinstance(record, dict) or depth > 3:
        return []
    if "." in field:
        head, rest = field.split(".", 1)
        return values_at(record.get(head), rest, depth + 1) if head in record else []
    if field in record:
        value = record[field]
        return list(value) if isinstance(value, list) else [value]
    for suffix, sub in (("_remote_id", "remote_id"), ("_id", "id")):
        if field.endswith(suffix):
            stem = field[: -len(suffix)]
            if stem in record and record[stem] is not None:
                return values_at(record[stem], sub, depth + 1)
            break
    found: list[Any] = []
    for value in record.values():
        if isinstance(value, dict | list):
            found += values_at(value, field, depth + 1)
    return found


def field_of(name: str, record_schema: dict[str, Any]) -> tuple[str, str]:
    """(mode, field) for a filter name: mode is in, after, contains or equals."""
    if name in IRREGULAR:
        return IRREGULAR[name]
    props = record_schema.get("properties") or {}
    if name in ("ids", "remote_ids"):
        return "in", name[:-1]
    if name.endswith("_after"):
        return "after", name[: -len("_after")] + "_at"
    if name.endswith("_contains"):
        return "contains", name[: -len("_contains")]
    if name.endswith("s") and name not in props:
        return "in", singular(name)
    return "equals", name


def compile_filter(name: str, raw: str, record_schema: dict[str, Any]) -> tuple[str, Predicate]:
    """(top-level field, predicate) for one filter; FilterError on a bad value."""
    mode, field = field_of(name, record_schema)
    top = field.split(".")[0]
    if mode == "after":
        try:
            threshold = parse_instant(raw)
        except ValueError:
            raise FilterError(f"{name}: {raw!r} is not an ISO 8601 date-time") from None

        def after(record: dict[str, Any]) -> bool:
            for value in values_at(record, field) or values_at(record, f"_{field}"):
                if isinstance(value, str) and parse_instant(value) >= threshold:
                    return True
            return False

        return top, after
    if mode == "contains":
        needle = raw.casefold()
        return top, lambda r: any(
            isinstance(v, str) and needle in v.casefold() for v in values_at(r, field)
        )
    wanted = [v.strip() for v in raw.split(",")] if mode == "in" else [raw]
    wanted = [v for v in wanted if v]
    if mode == "in" and not wanted:
        # The contract types these lists as plain strings, so "" is valid input: no filter.
        return top, lambda r: True
    # A value outside the field's enum is valid input too (the contract's string admits it);
    # it matches no record, like an id that does not exist.
    folded = {v.casefold() for v in wanted}
    return top, lambda r: any(
        isinstance(v, str) and v.casefold() in folded for v in values_at(r, field)
    )
