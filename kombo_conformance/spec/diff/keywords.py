"""Schema keyword checks: each compares one keyword family of two schemas (``$ref``s at the
top already followed) and yields ``(kind, message, details)``; kinds are in
:data:`~kombo_conformance.spec.diff.catalogue.SCHEMA_KINDS`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Hit = tuple[str, str, dict[str, Any]]
Schema = dict[str, Any]

BOUNDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # family: (lower bounds, upper bounds); a higher lower or lower upper bound is tighter
    "range": (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")),
    "length": (("minLength",), ("maxLength",)),
    "items_count": (("minItems",), ("maxItems",)),
    "properties_count": (("minProperties",), ("maxProperties",)),
}
# format pairs where the new one accepts every value of the old one
WIDER_FORMATS = {("int32", "int64"), ("float", "double")}


def types(schema: Schema) -> frozenset[str]:
    """The JSON types a schema names (OpenAPI 3.0 ``nullable: true`` counts as null)."""
    kind = schema.get("type")
    found = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    if found and schema.get("nullable") is True:
        found.add("null")
    return frozenset(found)


def _covers(wide: frozenset[str], narrow: frozenset[str]) -> bool:
    return all(t in wide or (t == "integer" and "number" in wide) for t in narrow)


def type_check(old: Schema, new: Schema) -> Iterator[Hit]:
    before, after = types(old), types(new)
    if not before or not after or before == after:
        return
    if ("null" in before) != ("null" in after):
        kind = "nullability_added" if "null" in after else "nullability_removed"
        yield kind, kind.replace("_", " "), {}
    before, after = before - {"null"}, after - {"null"}
    if before == after or not before or not after:
        return
    widened, narrowed = _covers(after, before), _covers(before, after)
    kind = "type_widened" if widened else "type_narrowed" if narrowed else "type_changed"
    yield kind, f"type {sorted(before)} -> {sorted(after)}", {}


def format_check(old: Schema, new: Schema) -> Iterator[Hit]:
    before, after = old.get("format"), new.get("format")
    if before == after:
        return
    message = f"format {before!r} -> {after!r}"
    if before is None:
        yield "format_added", message, {}
    elif after is None:
        yield "format_removed", message, {}
    else:
        yield (
            ("format_widened" if (before, after) in WIDER_FORMATS else "format_changed"),
            message,
            {},
        )


def enum_check(old: Schema, new: Schema) -> Iterator[Hit]:
    before, after = old.get("enum"), new.get("enum")
    if before is None and after is None:
        return
    if before is None or after is None:
        kind = "enum_added" if after is not None else "enum_removed"
        yield kind, kind.replace("_", " "), {}
        return
    added = [v for v in after if v not in before]
    removed = [v for v in before if v not in after]
    if added:
        yield "enum_values_added", f"enum values added: {added}", {"values": added}
    if removed:
        yield "enum_values_removed", f"enum values removed: {removed}", {"values": removed}


def const_check(old: Schema, new: Schema) -> Iterator[Hit]:
    missing = object()
    before, after = old.get("const", missing), new.get("const", missing)
    if before == after:
        return
    kind = "const_added" if before is missing else "const_removed" if after is missing else ""
    shown = [None if v is missing else v for v in (before, after)]
    yield kind or "const_changed", f"const {shown[0]!r} -> {shown[1]!r}", {}


def _tighter(lower: bool, old: Any, new: Any) -> bool | None:
    """True if the new bound is tighter, False if looser, None if equal or not comparable."""
    if old == new:
        return None
    if old is None or new is None:
        return new is not None  # a bound added is tighter, one removed looser
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (old, new)):
        return None
    return new > old if lower else new < old


def bounds_check(old: Schema, new: Schema) -> Iterator[Hit]:
    for family, (lowers, uppers) in BOUNDS.items():
        for key in (*lowers, *uppers):
            before, after = old.get(key), new.get(key)
            tighter = _tighter(key in lowers, before, after)
            if tighter is not None:
                kind = f"{family}_{'tightened' if tighter else 'loosened'}"
                yield kind, f"{key} {before!r} -> {after!r}", {"keyword": key}
    before, after = old.get("multipleOf"), new.get("multipleOf")
    if before != after and after is not None:
        yield "multiple_of_changed", f"multipleOf {before!r} -> {after!r}", {}


def pattern_check(old: Schema, new: Schema) -> Iterator[Hit]:
    before, after = old.get("pattern"), new.get("pattern")
    if before == after:
        return
    kind = "pattern_added" if before is None else "pattern_removed" if after is None else ""
    yield kind or "pattern_changed", f"pattern {before!r} -> {after!r}", {}


def _flag(keyword: str, kind: str) -> Callable[[Schema, Schema], Iterator[Hit]]:
    """A boolean keyword (``uniqueItems``, ``readOnly``, ``writeOnly``) turned on or off."""

    def check(old: Schema, new: Schema) -> Iterator[Hit]:
        before, after = old.get(keyword) is True, new.get(keyword) is True
        if before != after:
            yield f"{kind}_{'added' if after else 'removed'}", f"{keyword} -> {after}", {}

    check.__name__ = f"{kind}_check"
    return check


def default_check(old: Schema, new: Schema) -> Iterator[Hit]:
    missing = object()
    before, after = old.get("default", missing), new.get("default", missing)
    if before == after:
        return
    kind = "default_added" if before is missing else "default_removed" if after is missing else ""
    shown = [None if v is missing else v for v in (before, after)]
    yield kind or "default_changed", f"default {shown[0]!r} -> {shown[1]!r}", {}


def additional_properties_check(old: Schema, new: Schema) -> Iterator[Hit]:
    before = old.get("additionalProperties") is False
    after = new.get("additionalProperties") is False
    if before != after:
        kind = "additional_properties_closed" if after else "additional_properties_opened"
        yield kind, f"additionalProperties {'became' if after else 'no longer'} false", {}


def discriminator_check(old: Schema, new: Schema) -> Iterator[Hit]:
    before, after = old.get("discriminator"), new.get("discriminator")
    if not isinstance(before, dict) and not isinstance(after, dict):
        return
    if not isinstance(before, dict) or not isinstance(after, dict):
        kind = "discriminator_added" if isinstance(after, dict) else "discriminator_removed"
        yield kind, kind.replace("_", " "), {}
        return
    if before.get("propertyName") != after.get("propertyName"):
        names = before.get("propertyName"), after.get("propertyName")
        yield "discriminator_property_changed", f"discriminator {names[0]!r} -> {names[1]!r}", {}
    old_map, new_map = before.get("mapping") or {}, after.get("mapping") or {}
    added, removed = sorted(set(new_map) - set(old_map)), sorted(set(old_map) - set(new_map))
    if added:
        yield "discriminator_mapping_added", f"discriminator values added: {added}", {}
    if removed:
        yield "discriminator_mapping_removed", f"discriminator values removed: {removed}", {}


CHECKS: tuple[Callable[[Schema, Schema], Iterator[Hit]], ...] = (
    type_check,
    format_check,
    enum_check,
    const_check,
    bounds_check,
    pattern_check,
    _flag("uniqueItems", "unique_items"),
    default_check,
    _flag("readOnly", "read_only"),
    _flag("writeOnly", "write_only"),
    additional_properties_check,
    discriminator_check,
)
