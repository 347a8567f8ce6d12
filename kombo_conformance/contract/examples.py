"""Finding every example embedded in an OpenAPI document, with the schema it must satisfy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kombo_conformance.contract import pointer
from kombo_conformance.contract.resolve import Resolver


@dataclass(frozen=True)
class Example:
    pointer: str  # where the example value is, in the bundled document
    value: Any
    schema: Any  # the (unresolved) schema the example must satisfy


def _keyed_examples(
    node: dict[str, Any], where: str, resolver: Resolver
) -> Iterator[tuple[str, Any]]:
    """``example`` and ``examples: {name: {value}}`` of a media type or parameter object."""
    if "example" in node:
        yield f"{where}/example", node["example"]
    for name, entry in (node.get("examples") or {}).items():
        entry = resolver.deref(entry)
        if isinstance(entry, dict) and "value" in entry:
            yield pointer.join(*pointer.split(where), "examples", name, "value"), entry["value"]


def _schema_examples(schema: Any, where: str) -> Iterator[Example]:
    """``example`` and ``examples: [...]`` keywords inside a schema and its subschemas."""
    if isinstance(schema, list):
        for i, item in enumerate(schema):
            yield from _schema_examples(item, f"{where}/{i}")
        return
    if not isinstance(schema, dict):
        return
    if "example" in schema:
        yield Example(f"{where}/example", schema["example"], schema)
    if isinstance(schema.get("examples"), list):
        for i, value in enumerate(schema["examples"]):
            yield Example(f"{where}/examples/{i}", value, schema)
    for key, value in schema.items():
        if key in ("example", "examples", "enum", "const", "default"):
            continue
        if key == "properties" and isinstance(value, dict):
            for name, sub in value.items():
                yield from _schema_examples(sub, pointer.join(*pointer.split(where), key, name))
        elif isinstance(value, dict | list):
            yield from _schema_examples(value, f"{where}/{pointer.escape(key)}")


def iter_examples(document: dict[str, Any]) -> Iterator[Example]:
    """Every example in the document: media types, parameters and schemas."""
    resolver = Resolver(document)

    def carriers(node: Any, where: str) -> Iterator[Example]:
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from carriers(item, f"{where}/{i}")
            return
        if not isinstance(node, dict):
            return
        if "schema" in node and ("example" in node or "examples" in node):
            for ptr, value in _keyed_examples(node, where, resolver):
                yield Example(ptr, value, node["schema"])
        for key, value in node.items():
            child = pointer.join(*pointer.split(where), key)
            if key == "schema":
                yield from _schema_examples(value, child)
            elif key not in ("examples", "example") and isinstance(value, dict | list):
                yield from carriers(value, child)

    yield from carriers(document.get("paths", {}), "/paths")
    components = document.get("components", {})
    for kind in ("responses", "parameters", "requestBodies", "headers"):
        yield from carriers(components.get(kind, {}), f"/components/{kind}")
    for name, schema in components.get("schemas", {}).items():
        yield from _schema_examples(schema, pointer.join("components", "schemas", name))
