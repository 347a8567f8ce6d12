"""Known defects of the Kombo spec, declared once in ``contracts/errata.yaml``.

The contracts copy the seeds faithfully, defects included. Each defect the suite knows
about is declared here, once, as data: the loader, the checks and ``lint`` all consult
the same list, so a correct server raises no false alarm and every erratum is still
reported by ``lint``. The file's format is :data:`errata_schema.ERRATA_SCHEMA`. Rules:

- ``nullable-enum-omits-null``: a schema whose ``type`` admits ``null`` but whose ``enum``
  leaves ``null`` out (the error envelope's ``code``). Validators read it as allowing null.
- ``invalid-example``: an example, at ``pointer``, that violates its own schema. It is not
  held against the contract, but must stay invalid (a fixed example makes it stale).
- ``prose-rule``: one rule stated only in a description (``property``'s, quoted in
  ``sentence``), applying at ``pointer`` or to every object schema whose properties include
  all of ``match.properties``. Either ``when``/``then`` (JSON Schemas: an object matching
  ``when`` must match ``then``) or a ``lock`` (a record field final once it left its ``open``
  values), and ``refused_with`` (the statuses and codes a target that enforces it answers).
  Generation, the sandbox, the checks and lint read it (``contract/prose_rules.py``).
- ``request-body-required``: operations with a request body do not mark it ``required``,
  yet the API refuses a missing body; generation always sends one.
- ``undocumented-codes``: error ``codes`` the API really sends with the error response at
  ``pointer`` although that envelope's enum leaves them out.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from kombo_conformance.contract.errata_schema import ERRATA_SCHEMA
from kombo_conformance.contract.errata_schema import RULES as _RULES
from kombo_conformance.contract.source import read_document
from kombo_conformance.errors import ContractError

RULES = frozenset(_RULES)


@dataclass(frozen=True)
class Lock:
    """A record ``field`` that may change only while its value is one of ``open``."""

    field: str
    open: tuple[Any, ...]
    operations: tuple[str, ...]  # ``METHOD /path`` of the operations that set it


@dataclass(frozen=True)
class RefusedWith:
    """How a target that enforces a prose rule answers a body breaking it."""

    status: tuple[int, ...] = ()  # empty: any 4xx
    codes: tuple[str, ...] = ()  # empty: any code the operation documents

    def status_ok(self, status: int) -> bool:
        return status in self.status if self.status else 400 <= status < 500

    def code_ok(self, code: str | None, documented: frozenset[str]) -> bool:
        """``code`` is one the rule allows (and the operation documents)."""
        return code in documented and (not self.codes or code in self.codes)


@dataclass(frozen=True)
class Erratum:
    id: str
    rule: str
    reason: str
    pointer: str | None = None
    codes: tuple[str, ...] = ()
    match: tuple[str, ...] = ()  # property names a schema must have for the erratum to apply
    # prose rules
    property_name: str | None = None  # whose description states it
    sentence: str | None = None
    when: dict[str, Any] | None = None
    then: dict[str, Any] | None = None
    lock: Lock | None = None
    refused_with: RefusedWith = field(default_factory=RefusedWith)

    @property
    def schema(self) -> dict[str, Any] | None:
        """A prose rule as one JSON Schema (``if``/``then``), None for a lock."""
        if self.then is None:
            return None
        return {"if": self.when, "then": self.then} if self.when is not None else self.then

    def cite(self) -> str:
        """``prose: '<sentence>' (`<property>` description, errata id <id>)``."""
        return f"prose: '{self.sentence}' (`{self.property_name}` description, errata id {self.id})"


@dataclass(frozen=True)
class Errata:
    entries: tuple[Erratum, ...] = ()
    source: Path | None = None
    _by_pointer: dict[tuple[str, str], Erratum] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        for e in reversed(self.entries):  # the first declared wins
            if e.pointer:
                self._by_pointer[(e.pointer, e.rule)] = e

    def has_rule(self, rule: str) -> bool:
        return any(e.rule == rule for e in self.entries)

    def at(self, pointer: str, rule: str) -> Erratum | None:
        return self._by_pointer.get((pointer, rule))

    def of_rule(self, rule: str) -> tuple[Erratum, ...]:
        return tuple(e for e in self.entries if e.rule == rule)

    def prose_rules(self) -> tuple[Erratum, ...]:
        """Prose rules on a body's shape (``when``/``then``)."""
        return tuple(e for e in self.of_rule("prose-rule") if e.then is not None)

    def locks(self, operation: str) -> tuple[Erratum, ...]:
        """Prose rules that lock a field the operation ``METHOD /path`` sets."""
        return tuple(
            e for e in self.of_rule("prose-rule") if e.lock and operation in e.lock.operations
        )

    def extra_codes(self, pointer: str | None) -> frozenset[str]:
        """Codes sent with the error response at pointer beyond its enum (may be empty)."""
        entry = self.at(pointer, "undocumented-codes") if pointer else None
        return frozenset(entry.codes) if entry else frozenset()

    def strict(self, document: dict[str, Any]) -> dict[str, Any]:
        """A copy of an OpenAPI document with prose rules encoded and bodies required."""
        from kombo_conformance.contract.strict import strict_document

        return strict_document(document, self)

    def tolerant(self, schema: Any) -> Any:
        """A copy of schema as the accepted errata read it (null added to nullable enums)."""
        if not self.has_rule("nullable-enum-omits-null"):
            return schema
        return _add_null_to_nullable_enums(copy.deepcopy(schema))


def admits_null_outside_enum(schema: dict[str, Any]) -> bool:
    """True for ``type: [X, 'null']`` with an ``enum`` that lacks null."""
    types = schema.get("type")
    enum = schema.get("enum")
    return (
        isinstance(types, list) and "null" in types and isinstance(enum, list) and None not in enum
    )


def _add_null_to_nullable_enums(node: Any) -> Any:
    if isinstance(node, dict):
        if admits_null_outside_enum(node):
            node["enum"] = [*node["enum"], None]
        for value in node.values():
            _add_null_to_nullable_enums(value)
    elif isinstance(node, list):
        for value in node:
            _add_null_to_nullable_enums(value)
    return node


def load_errata(path: Path | None) -> Errata:
    """Read an errata file; a missing path means no errata."""
    if path is None or not path.exists():
        return Errata()
    doc = read_document(path)
    error = best_match(Draft202012Validator(ERRATA_SCHEMA).iter_errors(doc))
    if error is not None:
        where = "".join(f"/{p}" for p in error.absolute_path) or "/"
        raise ContractError(path, where, _explain(error.message, error.validator))
    return Errata(tuple(_erratum(raw) for raw in doc["errata"]), path)


def _explain(message: str, keyword: Any) -> str:
    if keyword in ("oneOf", "anyOf", "not", "if"):
        return (
            f"{message[:200]}: a prose-rule needs `property`, `sentence`, a `pointer` or "
            "`match`, and either `then` (with an optional `when`) or a `lock`; other rules "
            "take none of these keys"
        )
    return message[:300]


def _erratum(raw: dict[str, Any]) -> Erratum:
    lock = raw.get("lock")
    refused = raw.get("refused_with") or {}
    return Erratum(
        id=raw["id"],
        rule=raw["rule"],
        reason=" ".join(str(raw["reason"]).split()),
        pointer=raw.get("pointer"),
        codes=tuple(raw.get("codes") or ()),
        match=tuple((raw.get("match") or {}).get("properties") or ()),
        property_name=raw.get("property"),
        sentence=" ".join(str(raw["sentence"]).split()) if raw.get("sentence") else None,
        when=raw.get("when"),
        then=raw.get("then"),
        lock=Lock(lock["field"], tuple(lock["open"]), tuple(lock["operations"])) if lock else None,
        refused_with=RefusedWith(
            status=tuple(refused.get("status") or ()),
            codes=tuple(refused.get("codes") or ()),
        ),
    )
