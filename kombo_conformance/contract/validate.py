"""Validating a bundled contract: OpenAPI 3.1 structure and every embedded example."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
from jsonschema import Draft202012Validator

from kombo_conformance.contract import pointer
from kombo_conformance.contract.bundle import HTTP_METHODS, Bundle
from kombo_conformance.contract.errata import Errata
from kombo_conformance.contract.examples import iter_examples
from kombo_conformance.contract.resolve import Resolver
from kombo_conformance.errors import ContractError

FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER


def schema_validator(schema: Any) -> Draft202012Validator:
    """A JSON Schema 2020-12 validator that also checks formats (date-time, uri, ...)."""
    return Draft202012Validator(schema, format_checker=FORMAT_CHECKER)


_FAST: dict[int, tuple[Any, jsonschema_rs.Validator | None]] = {}
_FAST_LIMIT = 1024


def _fast_validator(schema: Any) -> jsonschema_rs.Validator | None:
    """A compiled jsonschema_rs validator for a schema object, cached by identity."""
    entry = _FAST.get(id(schema))
    if entry is None or entry[0] is not schema:
        if len(_FAST) >= _FAST_LIMIT:
            _FAST.clear()
        try:
            compiled = jsonschema_rs.validator_for(schema, validate_formats=True)
        except Exception:  # a schema jsonschema_rs cannot compile: use the reference only
            compiled = None
        entry = _FAST[id(schema)] = (schema, compiled)
    return entry[1]


def first_error(schema: Any, value: Any) -> jsonschema.ValidationError | None:
    """The most relevant validation error of value against schema, or None.

    A compiled (Rust) validator answers the common "valid" case fast; only when it finds a
    problem does the reference implementation (python-jsonschema) judge and explain it, so
    verdicts and messages are python-jsonschema's wherever the two disagree on an invalid
    value. Pass long-lived schema objects: the compiled validator is cached by identity.
    """
    fast = _fast_validator(schema)
    if fast is not None and fast.is_valid(value):
        return None
    return jsonschema.exceptions.best_match(schema_validator(schema).iter_errors(value))


def describe(error: jsonschema.ValidationError, limit: int = 160) -> str:
    """One line: the validator's message (long enum lists cut) and where in the instance."""
    where = "".join(f"/{p}" for p in error.absolute_path) or "/"
    message = error.message if len(error.message) <= limit else error.message[: limit - 1] + "…"
    return f"{message} (at {where})"


OAS_SCHEMA_PATH = Path(__file__).with_name("schemas") / "oas-3.1.schema.json"


@cache
def _oas_validator() -> jsonschema_rs.Validator:
    """The official OpenAPI 3.1 JSON Schema (spec.openapis.org/oas/3.1/schema), compiled once."""
    return jsonschema_rs.validator_for(json.loads(OAS_SCHEMA_PATH.read_text(encoding="utf-8")))


def validate_openapi(bundle: Bundle) -> None:
    """Validate the bundle as an OpenAPI 3.1 document; raise on the first problem.

    Structure is checked against the official OAS 3.1 JSON Schema; on top of it, what that
    schema cannot see: every Schema Object is a valid JSON Schema, every ``{param}`` of a
    path template is declared as a path parameter, and operationIds are unique.
    """
    document = bundle.document
    error = next(iter(_oas_validator().iter_errors(document)), None)
    if error is not None:
        ptr = pointer.join(*error.instance_path)
        raise ContractError(
            bundle.source_of(ptr) or "the contract",
            ptr or "/",
            f"invalid OpenAPI 3.1: {error.message}",
        )
    for ptr, problem in _semantic_problems(document):
        raise ContractError(bundle.source_of(ptr) or "the contract", ptr, problem)


def _semantic_problems(document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    resolver = Resolver(document)
    for name, schema in (document.get("components", {}).get("schemas") or {}).items():
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            yield pointer.join("components", "schemas", name), f"invalid JSON Schema: {exc.message}"
    seen_ids: dict[str, str] = {}
    for route, item in (document.get("paths") or {}).items():
        item = resolver.deref(item)
        templated = set(re.findall(r"{([^}]+)}", route))
        shared = [resolver.deref(p) for p in item.get("parameters", [])]
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            where = pointer.join("paths", route, method)
            params = shared + [resolver.deref(p) for p in operation.get("parameters", [])]
            declared = {p.get("name") for p in params if p.get("in") == "path"}
            for missing in sorted(templated - declared):
                yield where, f"path parameter {{{missing}}} of {route} is not declared"
            for extra in sorted(declared - templated):
                yield where, f"path parameter {extra!r} is declared but not in the path {route}"
            operation_id = operation.get("operationId")
            if operation_id in seen_ids:
                yield (
                    where,
                    f"operationId {operation_id!r} is also used by {seen_ids[operation_id]}",
                )
            elif operation_id:
                seen_ids[operation_id] = f"{method.upper()} {route}"


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
