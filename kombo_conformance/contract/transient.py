"""Error codes that mean "try again later", as the contract declares them.

An error response may carry the extension ``x-kombo-transient-codes``::

    x-kombo-transient-codes:
      description: why these codes are transient, and the source (Kombo's docs)
      codes: [PLATFORM.RATE_LIMIT_EXCEEDED, ...]

Every declared code must be in that response's own error envelope (``error.code`` enum),
so a typo or a code Kombo dropped is a :class:`ContractError`, never a silent no-op.
"""

from __future__ import annotations

from typing import Any

from kombo_conformance.contract import pointer
from kombo_conformance.contract.bundle import Bundle
from kombo_conformance.contract.conventions import json_schema_of
from kombo_conformance.contract.resolve import Resolver
from kombo_conformance.errors import ContractError

EXTENSION = "x-kombo-transient-codes"
_KEYS = frozenset({"description", "codes"})


def transient_codes(bundle: Bundle, resolver: Resolver | None = None) -> frozenset[str]:
    """The union of all declared transient codes; ContractError naming a bad declaration."""
    resolver = resolver or Resolver(bundle.document)
    found: set[str] = set()
    for where, owner in _owners(bundle.document, ""):
        found |= _declared(bundle, resolver, owner, where)
    return frozenset(found)


def _owners(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    """(pointer, node) of every mapping that carries the extension."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if EXTENSION in node:
            found.append((where, node))
        for key, value in node.items():
            found += _owners(value, f"{where}/{pointer.escape(str(key))}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _owners(value, f"{where}/{i}")
    return found


def _envelope_codes(resolver: Resolver, response: dict[str, Any]) -> list[Any] | None:
    """The ``error.code`` enum of an error response object, or None when it is not one."""
    schema = json_schema_of(resolver.resolve(response.get("content")))
    error = (schema or {}).get("properties", {}).get("error")
    code = (error.get("properties") or {}).get("code") if isinstance(error, dict) else None
    enum = code.get("enum") if isinstance(code, dict) else None
    return enum if isinstance(enum, list) else None


def _declared(bundle: Bundle, resolver: Resolver, owner: dict[str, Any], where: str) -> set[str]:
    ptr = f"{where}/{EXTENSION}"

    def fail(at: str, reason: str) -> ContractError:
        return ContractError(bundle.source_of(at) or "the contract", at, reason)

    value = owner[EXTENSION]
    if not isinstance(value, dict) or not isinstance(value.get("codes"), list):
        raise fail(ptr, f"{EXTENSION} must be a mapping with a list of error codes under 'codes'")
    if unknown := sorted(set(value) - _KEYS):
        raise fail(ptr, f"{EXTENSION} has unknown key(s) {unknown}; allowed: description, codes")
    if not isinstance(value.get("description", ""), str):
        raise fail(f"{ptr}/description", "description must be a string")
    enum = _envelope_codes(resolver, owner)
    if enum is None:
        raise fail(
            ptr,
            f"{EXTENSION} belongs on an error response (a JSON schema with an error.code enum)",
        )
    codes: set[str] = set()
    for i, code in enumerate(value["codes"]):
        if not isinstance(code, str) or code not in enum:
            raise fail(
                f"{ptr}/codes/{i}",
                f"transient code {code!r} is not in this error envelope's error.code enum",
            )
        codes.add(code)
    return codes
