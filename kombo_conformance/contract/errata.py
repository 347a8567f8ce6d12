"""Known defects of the Kombo spec, declared once in ``contracts/errata.yaml``.

The contracts copy the seeds faithfully, defects included. Each defect the suite knows
about is declared here, once, as data: the loader, the checks and ``lint`` all consult
the same list, so a correct server raises no false alarm and every erratum is still
reported by ``lint``. Rules:

- ``nullable-enum-omits-null``: a schema whose ``type`` admits ``null`` but whose ``enum``
  leaves ``null`` out (the error envelope's ``code``). Validators read it as allowing null.
- ``invalid-example``: an example, at ``pointer``, that violates its own schema. It is not
  held against the contract, but must stay invalid (a fixed example makes it stale).
- ``prose-rule``: a rule stated only in a description; ``schema`` encodes it so that request
  generation, the sandbox and the checks honour it. It applies at ``pointer``, or to every
  object schema whose properties include all of ``match.properties``.
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

from kombo_conformance.contract.source import read_document
from kombo_conformance.errors import ContractError

RULES = frozenset(
    {
        "nullable-enum-omits-null",
        "invalid-example",
        "prose-rule",
        "undocumented-codes",
        "request-body-required",
    }
)


@dataclass(frozen=True)
class Erratum:
    id: str
    rule: str
    reason: str
    pointer: str | None = None
    schema: dict[str, Any] | None = None
    codes: tuple[str, ...] = ()
    match: tuple[str, ...] = ()  # property names a schema must have for the erratum to apply


@dataclass(frozen=True)
class Errata:
    entries: tuple[Erratum, ...] = ()
    source: Path | None = None
    _by_pointer: dict[str, Erratum] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_pointer.update({e.pointer: e for e in self.entries if e.pointer})

    def has_rule(self, rule: str) -> bool:
        return any(e.rule == rule for e in self.entries)

    def at(self, pointer: str, rule: str) -> Erratum | None:
        entry = self._by_pointer.get(pointer)
        return entry if entry is not None and entry.rule == rule else None

    def of_rule(self, rule: str) -> tuple[Erratum, ...]:
        return tuple(e for e in self.entries if e.rule == rule)

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
    if not isinstance(doc, dict) or not isinstance(doc.get("errata"), list):
        raise ContractError(path, "/errata", "expected a mapping with an `errata` list")
    entries = []
    for i, raw in enumerate(doc["errata"]):
        where = f"/errata/{i}"
        if not isinstance(raw, dict) or not {"id", "rule", "reason"} <= raw.keys():
            raise ContractError(path, where, "each erratum needs `id`, `rule` and `reason`")
        if raw["rule"] not in RULES:
            raise ContractError(
                path, f"{where}/rule", f"unknown rule {raw['rule']!r}; known: {sorted(RULES)}"
            )
        match = tuple((raw.get("match") or {}).get("properties") or ())
        global_rule = raw["rule"] in ("nullable-enum-omits-null", "request-body-required")
        if not global_rule and not (raw.get("pointer") or match):
            raise ContractError(path, where, f"rule {raw['rule']!r} needs a `pointer` or `match`")
        if raw["rule"] == "prose-rule" and not isinstance(raw.get("schema"), dict):
            raise ContractError(path, where, "a prose-rule needs the `schema` that encodes it")
        entries.append(
            Erratum(
                id=raw["id"],
                rule=raw["rule"],
                reason=" ".join(str(raw["reason"]).split()),
                pointer=raw.get("pointer"),
                schema=raw.get("schema"),
                codes=tuple(raw.get("codes") or ()),
                match=match,
            )
        )
    return Errata(tuple(entries), path)
