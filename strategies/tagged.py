"""A generated value labelled with why it is interesting (usually: why it is invalid)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")

#: Which layer of the contract a tagged value breaks.
#: ``schema``: the JSON schema rejects it; ``prose``: the schema accepts it but a rule stated
#: only in a description (a ``prose-rule`` of ``contracts/errata.yaml``; the reason is its id)
#: does not.
Rule = Literal["schema", "prose"]


@dataclass(frozen=True, slots=True)
class Tagged(Generic[T]):
    """``value`` plus a short ``reason`` slug and the ``rule`` layer it violates."""

    value: T
    reason: str
    rule: Rule = "schema"


def without(mapping: dict[str, Any], *keys: str) -> dict[str, Any]:
    """A copy of ``mapping`` lacking ``keys`` (how most invalid neighbours are made)."""
    return {key: value for key, value in mapping.items() if key not in keys}
