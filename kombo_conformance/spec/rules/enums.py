"""Enums that contradict their own type, default or examples."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kombo_conformance.contract.errata import admits_null_outside_enum
from kombo_conformance.spec.context import Issue, LintContext


def nullable_enum_omits_null(ctx: LintContext) -> Iterator[Issue]:
    """``type: [string, 'null']`` with an ``enum`` lacking null: null passes the type, fails
    the enum, so a documented null (e.g. a minimal error example) fails the schema."""
    for node in ctx.schemas:
        if admits_null_outside_enum(node.schema):
            yield Issue(
                f"{node.pointer}/enum",
                "type admits null but the enum leaves null out, so null fails the schema; "
                "add null to the enum or drop 'null' from the type",
            )


def _outside(schema: dict[str, Any], value: Any) -> bool:
    enum = schema.get("enum")
    return isinstance(enum, list) and value not in enum


def enum_value_outside(ctx: LintContext) -> Iterator[Issue]:
    """A ``default``, ``example`` or ``examples`` item that is not one of the enum's values."""
    for node in ctx.schemas:
        schema = node.schema
        if not isinstance(schema.get("enum"), list):
            continue
        found = []
        if "default" in schema:
            found.append((f"{node.pointer}/default", schema["default"]))
        if "example" in schema:
            found.append((f"{node.pointer}/example", schema["example"]))
        for i, value in enumerate(schema.get("examples") or []):
            found.append((f"{node.pointer}/examples/{i}", value))
        for ptr, value in found:
            if _outside(schema, value):
                yield Issue(ptr, f"{value!r} is not one of the enum {schema['enum']!r}")
