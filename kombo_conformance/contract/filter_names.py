"""Kombo's naming convention for list filters: which record field a filter reads, and how.

| filter                      | mode     | record field                                      |
| --------------------------- | -------- | ------------------------------------------------- |
| ``ids`` / ``remote_ids``    | in       | ``id`` / ``remote_id``                            |
| ``<x>_ids``                 | in       | ``<x>_id``, or ``<x>.id`` (nested records too)    |
| ``<x>_remote_ids``          | in       | ``<x>_remote_id`` or ``<x>.remote_id``            |
| ``<x>_after``               | after    | ``<x>_at`` (``updated_after``: ``changed_at``)    |
| ``<x>_contains``            | contains | ``<x>``, case-insensitive                         |
| ``<plural>`` (``statuses``) | in       | ``<singular>`` (``status``)                       |
| ``email``                   | equals   | ``email_addresses.email_address``                 |
| anything else               | equals   | the field of that name                            |

Comma lists are OR within a filter. A field is looked up at the top level first, then
inside nested objects and arrays (``job_ids`` on candidates reads their applications'
jobs). The one reading of the convention: the sandbox serves filters with it and the
``filters`` probe judges listings with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

Mode = Literal["in", "equals", "contains", "after"]
IRREGULAR: dict[str, tuple[Mode, str]] = {
    "updated_after": ("after", "changed_at"),
    "email": ("equals", "email_addresses.email_address"),
}
MAX_DEPTH = 4


@dataclass(frozen=True)
class FilterField:
    """A filter's ``mode`` and the record ``field`` (dotted for nested) it reads."""

    name: str
    mode: Mode
    field: str

    @property
    def top(self) -> str:
        """The top-level record property the field lives under."""
        return self.field.split(".")[0]


def singular(word: str) -> str:
    """``statuses`` -> ``status``, ``categories`` -> ``category``, ``jobs`` -> ``job``."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "uses")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def interpret(name: str, record_schema: dict[str, Any] | None) -> FilterField:
    """The mode and field a filter named ``name`` reads (see the module table)."""
    if name in IRREGULAR:
        return FilterField(name, *IRREGULAR[name])
    props = (record_schema or {}).get("properties") or {}
    if name in ("ids", "remote_ids"):
        return FilterField(name, "in", name[:-1])
    if name.endswith("_after"):
        return FilterField(name, "after", name.removesuffix("_after") + "_at")
    if name.endswith("_contains"):
        return FilterField(name, "contains", name.removesuffix("_contains"))
    if name.endswith("s") and name not in props:
        return FilterField(name, "in", singular(name))
    return FilterField(name, "equals", name)


def parse_instant(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 text (naive ones read as UTC), else None."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def values_at(record: Any, field: str, depth: int = 0) -> list[Any]:
    """Every value of ``field`` in ``record``: top level, dotted path, ``x.id`` for
    ``x_id``, then inside nested objects and arrays (to :data:`MAX_DEPTH`)."""
    if isinstance(record, list):
        return [v for item in record for v in values_at(item, field, depth)]
    if not isinstance(record, dict) or depth > MAX_DEPTH:
        return []
    if "." in field:
        head, rest = field.split(".", 1)
        return values_at(record.get(head), rest, depth + 1) if head in record else []
    if field in record:
        value = record[field]
        return list(value) if isinstance(value, list) else [value]
    for suffix, sub in (("_remote_id", "remote_id"), ("_id", "id")):
        stem = field.removesuffix(suffix)
        if stem != field:
            if record.get(stem) is not None:
                return values_at(record[stem], sub, depth + 1)
            break
    return [
        v
        for value in record.values()
        if isinstance(value, dict | list)
        for v in values_at(value, field, depth + 1)
    ]
