"""What a write must change, as data: the effects ``read_after_write`` verifies.

Each row: after ``operation`` succeeds, the record named by path parameter ``record``,
read back through its list operation with ``ids=``, shows ``field`` ``expect``-ing
``value`` (``body.<dotted>`` takes it from the request body sent, anything else is a
literal). ``item_key`` compares a list of objects by that key; ``setup`` is an operation
sent first with the same body (something to remove before a removal).

Writes that create a record (their response ``data`` has an ``id``) need no row: the list
operation of the same resource must return the new id (see state.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Effect:
    operation: str
    record: str
    field: str
    expect: Literal["equals", "contains", "lacks"]
    value: str
    item_key: str | None = None
    setup: str | None = None


EFFECTS: tuple[Effect, ...] = (
    Effect(
        "PUT /ats/applications/{application_id}/stage",
        "application_id",
        "current_stage_id",
        "equals",
        "body.stage_id",
    ),
    Effect(
        "POST /ats/applications/{application_id}/reject",
        "application_id",
        "outcome",
        "equals",
        "DECLINED",
    ),
    Effect(
        "POST /ats/candidates/{candidate_id}/tags",
        "candidate_id",
        "tags",
        "contains",
        "body.tag.name",
        item_key="name",
    ),
    Effect(
        "DELETE /ats/candidates/{candidate_id}/tags",
        "candidate_id",
        "tags",
        "lacks",
        "body.tag.name",
        item_key="name",
        setup="POST /ats/candidates/{candidate_id}/tags",
    ),
)


def effect_of(operation: str) -> Effect | None:
    return next((e for e in EFFECTS if e.operation == operation), None)
