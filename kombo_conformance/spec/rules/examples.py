"""Examples that violate the schema they illustrate."""

from __future__ import annotations

from collections.abc import Iterator

from kombo_conformance.contract.examples import iter_examples
from kombo_conformance.contract.validate import describe, first_error
from kombo_conformance.spec.context import Issue, LintContext


def example_violates_schema(ctx: LintContext) -> Iterator[Issue]:
    """An example (media type, parameter or schema keyword) that fails its own schema.

    Schemas are read as the declared errata read them (null added to nullable enums), so a
    null that only fails because of that defect is reported once, by nullable_enum_omits_null.
    """
    errata = ctx.contract.errata
    for example in iter_examples(ctx.document):
        schema = errata.tolerant(ctx.resolve(example.schema))
        error = first_error(schema, example.value)
        if error is not None:
            yield Issue(example.pointer, f"example violates its schema: {describe(error)}")
