"""What ``read_after_write`` expects to read back: the write effects the contract declares
(``x-kombo-effects``, :mod:`kombo_conformance.contract.effects`).

- Every ``change`` (``equals``, ``contains``, ``lacks``) of an existing record is judged on
  the record read through its list operation with ``ids=``.
- A ``creates`` is judged when the operation ``answers`` that record and the answer has its
  ``data.id``: the list operation lists it, with each field declared as a single value
  (``body.``, ``path.``, a literal, ``now()``) as declared. Records not answered, or
  answered without an id, cannot be found by id and are not judged.

An expected value is known from the request sent (``body.``, ``path.``), the records the
probe read before writing (path records, ``refs``) and the answer (the created record);
a value needing anything else (another created record) is not judged. ``now()`` and
``new_id()`` expect a value the server chose: any non-null one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from kombo_conformance.contract.effects import (
    MISSING,
    Call,
    Change,
    Const,
    Create,
    Effects,
    First,
    Ref,
    Value,
    dig,
    evaluate,
    refs_in,
    text_of,
)


class _ServerChosen:
    def __repr__(self) -> str:
        return "a value the server chose"


SERVER_CHOSEN: Any = _ServerChosen()
KNOWN_ROOTS = frozenset({"body", "path", "item"})


def answered(effects: Effects) -> Create | None:
    """The created record the operation answers (``answers: <name>``), if any."""
    declared = effects.answers
    if not isinstance(declared, Ref) or declared.keys:
        return None
    return next(
        (c for c in effects.changes if isinstance(c, Create) and c.name == declared.root), None
    )


def judged_fields(create: Create) -> list[tuple[str, Value]]:
    """The fields of a created record declared as single values."""
    return [(name, v) for name, v in create.fields if isinstance(v, Ref | Const | Call | First)]


class Expectations:
    """Expected values from the request sent and the records known by name."""

    def __init__(self, body: Any, path_ids: dict[str, str], names: dict[str, Any]) -> None:
        self.body = body
        self.path_ids = path_ids
        self.names = names

    def value(self, declared: Value) -> Any:
        """The expected value; MISSING when the request did not say or it is not known."""
        for ref in refs_in(declared):
            if ref.root not in KNOWN_ROOTS and self.names.get(ref.root) is None:
                return MISSING
        return evaluate(declared, self._resolve, lambda _: SERVER_CHOSEN)

    def _resolve(self, ref: Ref) -> Any:
        if ref.root == "body":
            return dig(self.body, ref.keys)
        if ref.root == "path":
            return self.path_ids.get(ref.keys[0], MISSING)
        return dig(self.names[ref.root], ref.keys)


def same(actual: Any, expected: Any) -> bool:
    """Equal values; date-times equal as instants; SERVER_CHOSEN matches any non-null."""
    if expected is SERVER_CHOSEN:
        return actual is not None
    if actual == expected:
        return True
    if isinstance(actual, str) and isinstance(expected, str):
        a, b = _instant(actual), _instant(expected)
        return a is not None and a == b
    return False


def _instant(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def holds(change: Change, record: dict[str, Any], expected: Any) -> bool:
    """Whether the record read back shows the change."""
    actual = dig(record, change.field.split("."))
    actual = None if actual is MISSING else actual
    if change.how == "equals":
        if change.key is None or not isinstance(expected, list):
            return same(actual, expected)
        return {_key(i, change.key) for i in actual or []} == set(expected)
    items = [_key(i, change.key) for i in actual or []] if isinstance(actual, list) else []
    wanted = _key(expected, change.key)
    return any(same(i, wanted) for i in items) == (change.how == "contains")


def _key(item: Any, key: str | None) -> Any:
    return item.get(key) if key and isinstance(item, dict) else item


def opposite(change: Change) -> Change:
    """The change undone: what must show before a removal is judged (its ``setup``)."""
    flipped = {"contains": "lacks", "lacks": "contains"}.get(change.how, change.how)
    return replace(change, how=flipped)


def describe(change: Change) -> str:
    """``application.current_stage_id equals body.stage_id`` (``, by name``: items compared
    by that key)."""
    by = f", by {change.key}" if change.key else ""
    return f"{change.name}.{change.field} {change.how} {text_of(change.value)}{by}"
