"""Validating a bundled contract: OpenAPI 3.1 structure and every embedded example."""

from __future__ import annotations

from typing import Any

import jsonschema
from jsonschema import Draft202012Validator

from kombo_conformance.contract import pointer
from kombo_conformance.contract.bundle import Bundle
from kombo_conformance.contract.errata import Errata
from kombo_conformance.contract.examples import iter_examples
from kombo_conformance.contract.resolve import Resolver
from kombo_conformance.errors import ContractError

FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


def schema_validator(schema: Any) -> Draft202012Validator:
    """A JSON Schema 2020-12 validator that also checks formats (date-time, uri, ...)."""
    return Draft202012Validator(schema, format_checker=FORMAT_CHECKER)


def first_error(schema: Any, value: Any) -> jsonschema.ValidationError | None:
    """The most relevant validation error of value against schema, or None."""
    return jsonschema.exceptions.best_match(schema_validator(schema).iter_errors(value))


def describe(error: jsonschema.ValidationError, limit: int = 160) -> str:
    """One line: the validator's message (long enum lists cut) and where in the instance."""
    where = "".join(f"/{p}" for p in error.absolute_path) or "/"
    message = error.message if len(error.message) <= limit else error.message[: limit - 1] + "…"
    return f"{message} (at {where})"


def validate_openapi(bundle: Bundle) -> None:
    """Validate the bundle as an OpenAPI 3.1 document; raise on the first error."""
    from openapi_spec_validator import OpenAPIV31SpecValidator

    try:
        error = next(iter(OpenAPIV31SpecValidator(bundle.document).iter_errors()), None)
    except Exception as exc:  # the validator raises (not yields) on some broken documents
        raise ContractError(
            bundle.source_of("/") or "the contract", "/", f"invalid OpenAPI 3.1: {exc}"
        ) from None
    if error is not None:
        ptr = pointer.join(*getattr(error, "absolute_path", []) or [])
        raise ContractError(
            bundle.source_of(ptr) or "the contract",
            ptr or "/",
            f"invalid OpenAPI 3.1: {error.message}",
        )


def invalid_examples(document: dict[str, Any], errata: Errata) -> list[tuple[str, str]]:
    """(pointer, reason) for every example that violates its schema, errata applied."""
    resolver = Resolver(document)
    problems: list[tuple[str, str]] = []
    for example in iter_examples(document):
        schema = errata.tolerant(resolver.resolve(example.schema))
        error = first_error(schema, example.value)
        accepted = errata.at(example.pointer, "invalid-example")
        if error is not None and accepted is None:
            problems.append((example.pointer, f"example violates its schema: {describe(error)}"))
        elif error is None and accepted is not None:
            problems.append(
                (
                    example.pointer,
                    f"erratum {accepted.id!r} says this example is invalid, but it "
                    "validates now; remove the erratum",
                )
            )
    return problems


def validate_examples(bundle: Bundle, errata: Errata) -> None:
    """Raise ContractError for the first example that violates its schema."""
    problems = invalid_examples(bundle.document, errata)
    if problems:
        ptr, reason = problems[0]
        more = f" ({len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ContractError(bundle.source_of(ptr) or "the contract", ptr, reason + more)
