"""Connector personalities, read from the contract's connector profiles.

- **Support**: an operation a profile does not list answers
  ``INTEGRATION.MODEL_NOT_AVAILABLE`` (reads) or ``INTEGRATION.ACTION_NOT_AVAILABLE``
  (writes).
- **Coverage**: a profile's ``models`` list the fields a connector fills; every other
  field of those records is null where the contract allows null (top-level fields, or
  the fields of the nested records named by ``items``).
- **Quirks** are read generically by kind: ``refuse-stage`` (moving an application to the
  stage named ``stage_name`` is refused with ``error_code``) and ``fallback`` (the
  operation is carried out as ``fallback_operation`` and ``warning`` is added).

When the contract has no profile of its slug, the built-in personality (``builtin`` in
``personalities.yaml``: slug ``sandbox``) supports every operation with full field coverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kombo_conformance.contract import ConnectorProfile, Contract, Quirk
from kombo_conformance.sandbox.data import allows_null
from kombo_conformance.sandbox.datafiles import personality_data

_BUILTIN = personality_data()["builtin"]
SANDBOX_SLUG: str = _BUILTIN["slug"]
#: the integration requests fall back to when a fault skips the X-Integration-Id check
FALLBACK_INTEGRATION = f"{SANDBOX_SLUG}:{_BUILTIN['fallback_integration']}"


@dataclass(frozen=True)
class Personality:
    slug: str
    name: str
    profile: ConnectorProfile | None
    all_operations: frozenset[str]

    def supports(self, operation: str) -> bool:
        if self.profile is None:
            return operation in self.all_operations
        return self.profile.supports(operation)

    def quirks(self, operation: str, kind: str) -> tuple[Quirk, ...]:
        return self.profile.quirks_of(operation, kind) if self.profile else ()

    def model_for(self, operation: str) -> list[dict[str, Any]]:
        if self.profile is None:
            return []
        return [m for m in self.profile.models.values() if m.get("operation") == operation]

    def covers(self, operation: str, field: str) -> bool:
        """Whether records of operation carry field (top level) for this connector."""
        return self.profile is None or self.profile.covers(operation, field)

    def null_uncovered(self, operation: str, record: dict[str, Any], schema: dict[str, Any]):
        for model in self.model_for(operation):
            fields = set(model["fields"]) | {"id"}
            path = model.get("items")
            if not path:
                _null_fields(record, schema, fields)
                continue
            targets = [(record, schema)]
            for step in path.split("."):
                nxt = []
                for node, sch in targets:
                    sub_schema = (sch.get("properties") or {}).get(step, {})
                    value = node.get(step) if isinstance(node, dict) else None
                    if isinstance(value, list):
                        nxt += [(v, sub_schema.get("items", {})) for v in value]
                    elif isinstance(value, dict):
                        nxt.append((value, sub_schema))
                targets = nxt
            for node, sch in targets:
                if isinstance(node, dict):
                    _null_fields(node, sch, fields)
        return record


def _null_fields(record: dict[str, Any], schema: dict[str, Any], keep: set[str]) -> None:
    for key in _nullable_uncovered(schema, keep):
        if key in record:
            record[key] = None


_NULLABLE: dict[tuple[int, frozenset[str]], tuple[Any, frozenset[str]]] = {}


def _nullable_uncovered(schema: dict[str, Any], keep: set[str]) -> frozenset[str]:
    """The properties of schema that allow null and that keep does not name (nor a
    dotted path under them): those a connector without the field answers with null.
    Computed once per schema and field set."""
    key = (id(schema), frozenset(keep))
    found = _NULLABLE.get(key)
    if found is not None and found[0] is schema:
        return found[1]
    tops = {k.split(".")[0] for k in keep}
    props = schema.get("properties") or {}
    keys = frozenset(
        k
        for k, sub in props.items()
        if k not in keep and "." not in k and k not in tops and allows_null(sub)
    )
    _NULLABLE[key] = (schema, keys)
    return keys


def personalities(contract: Contract) -> dict[str, Personality]:
    every = frozenset(contract.operations)
    out = {
        slug: Personality(slug, profile.name, profile, every)
        for slug, profile in contract.profiles.items()
    }
    out.setdefault(SANDBOX_SLUG, Personality(SANDBOX_SLUG, _BUILTIN["name"], None, every))
    return out
