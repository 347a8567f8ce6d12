"""Object schemas that contradict themselves."""

from __future__ import annotations

from collections.abc import Iterator

from kombo_conformance.spec.context import Issue, LintContext

COMPOSED = ("allOf", "anyOf", "oneOf", "patternProperties", "$ref")


def required_property_undeclared(ctx: LintContext) -> Iterator[Issue]:
    """A name in ``required`` that ``properties`` does not declare (a typo, or a lost field)."""
    for node in ctx.schemas:
        props, required = node.schema.get("properties"), node.schema.get("required")
        if not isinstance(props, dict) or not isinstance(required, list):
            continue
        if any(k in node.schema for k in COMPOSED):
            continue  # the property may be declared by a composed or referenced schema
        for i, name in enumerate(required):
            if name not in props:
                yield Issue(
                    f"{node.pointer}/required/{i}",
                    f"required property {name!r} is not declared in properties "
                    f"({', '.join(sorted(props)) or 'none'})",
                )
