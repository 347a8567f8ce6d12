"""A generated value labelled with why it is interesting (usually: why it is invalid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

#: Which layer of the contract a tagged value breaks.
#: ``schema``: the JSON schema rejects it; ``prose``: the schema accepts it but a rule stated
#: only in the description text (e.g. "completed_at is required when status is COMPLETED") does not.
Rule = Literal["schema", "prose"]


@dataclass(frozen=True, slots=True)
class Tagged(Generic[T]):
    """``value`` plus a short ``reason`` slug and the ``rule`` layer it violates."""

    value: T
    reason: str
    rule: Rule = "schema"
