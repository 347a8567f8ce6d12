"""Generic filter semantics for list operations, derived from the filter's name.

| filter                      | record field(s)                                  |
| --------------------------- | ------------------------------------------------ |
| ``ids`` / ``remote_ids``    | ``id`` / ``remote_id``                            |
| ``<x>_ids``                 | ``<x>_id``, or ``<x>.id`` anywhere in the record  |
| ``<x>_remote_ids``          | ``<x>_remote_id`` or ``<x>.remote_id``            |
| ``<plural>`` (``statuses``) | ``<singular>`` (``status``)                       |
| ``<x>_contains``            | ``<x>`` contains the value (case-insensitive)     |
| ``<x>_after``               | ``<x>_at`` on or after the instant (or after it)  |
| anything else               | the field of that name, equal (case-insensitive)  |

Comma lists are OR within a filter; filters AND together. The naming convention itself
(which field, which mode) is :mod:`kombo_conformance.contract.filter_names`, shared with the
``filters`` probe; this module turns it into predicates over the sandbox's records.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from kombo_conformance.contract.filter_names import interpret, values_at
from kombo_conformance.contract.filter_names import parse_instant as _instant

SPECIAL = frozenset({"cursor", "page_size", "include_deleted", "ignore_unsupported_filters"})
Predicate = Callable[[dict[str, Any]], bool]


class FilterError(ValueError):
    pass


def field_of(name: str, record_schema: dict[str, Any]) -> tuple[str, str]:
    """(mode, field) for a filter name: mode is in, after, contains or equals."""
    spec = interpret(name, record_schema)
    return spec.mode, spec.field


def parse_instant(text: str) -> datetime:
    """An aware datetime from an ISO 8601 text; ValueError when it is not one."""
    moment = _instant(text)
    if moment is None:
        raise ValueError(f"{text!r} is not an ISO 8601 date-time")
    return moment


def compile_filter(
    name: str, raw: str, record_schema: dict[str, Any], *, exclusive: bool = False
) -> tuple[str, Predicate]:
    """(top-level field, predicate) for one filter; FilterError on a bad value. An
    ``exclusive`` ``_after`` filter leaves out records at exactly the instant."""
    mode, field = field_of(name, record_schema)
    top = field.split(".")[0]
    if mode == "after":
        try:
            threshold = parse_instant(raw)
        except ValueError:
            raise FilterError(f"{name}: {raw!r} is not an ISO 8601 date-time") from None

        def after(record: dict[str, Any]) -> bool:
            for value in values_at(record, field) or values_at(record, f"_{field}"):
                if isinstance(value, str) and (
                    parse_instant(value) > threshold
                    if exclusive
                    else parse_instant(value) >= threshold
                ):
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
