"""The document as the errata read it.

For requests: what a correct server enforces beyond the schema. Request generation uses it
so that "valid" requests really are valid (a body is sent, and every declared prose rule
holds: each ``prose-rule`` erratum's ``when``/``then`` is added, as ``if``/``then``, to the
object schemas it applies to); the sandbox and the checks read the same errata
(``contract/prose_rules.py``), so there is one definition of valid.

For responses: what a correct server may send beyond the schema (the error codes declared
``undocumented-codes``), so that schemathesis's own response checks, which read this view,
raise no false alarm on them.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from kombo_conformance.contract import pointer
from kombo_conformance.contract.bundle import HTTP_METHODS

if TYPE_CHECKING:
    from kombo_conformance.contract.errata import Errata


def _constrain(schema: dict[str, Any], rule: dict[str, Any]) -> None:
    schema.setdefault("allOf", []).append(copy.deepcopy(rule))


def _walk_objects(node: Any):
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            yield node
        for value in node.values():
            yield from _walk_objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_objects(value)


def _walk_enums(node: Any):
    """Enums of error codes (``PLATFORM.*`` among their values) below node."""
    if isinstance(node, dict):
        enum = node.get("enum")
        if isinstance(enum, list) and any(
            isinstance(v, str) and v.startswith("PLATFORM.") for v in enum
        ):
            yield node
        for value in node.values():
            yield from _walk_enums(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_enums(value)


def strict_document(document: dict[str, Any], errata: Errata) -> dict[str, Any]:
    strict = copy.deepcopy(document)
    for erratum in errata.prose_rules():
        if erratum.pointer:
            try:
                target = pointer.resolve(strict, pointer.split(erratum.pointer))
            except KeyError:
                continue  # a contract without that schema (a user's subset): nothing to encode
            _constrain(target, erratum.schema or {})
        if erratum.match:
            for schema in list(_walk_objects(strict)):
                if set(erratum.match) <= set(schema["properties"]):
                    _constrain(schema, erratum.schema or {})
    for erratum in errata.of_rule("undocumented-codes"):
        try:
            response = pointer.resolve(strict, pointer.split(erratum.pointer or ""))
        except KeyError:
            continue
        for schema in _walk_enums(response):
            schema["enum"] = [
                *schema["enum"],
                *(c for c in erratum.codes if c not in schema["enum"]),
            ]
    if errata.has_rule("request-body-required"):
        for item in (strict.get("paths") or {}).values():
            for method in HTTP_METHODS:
                body = (
                    (item.get(method) or {}).get("requestBody") if isinstance(item, dict) else None
                )
                if isinstance(body, dict) and "$ref" not in body:
                    body["required"] = True
    return strict
