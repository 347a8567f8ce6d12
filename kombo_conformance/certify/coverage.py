"""Field coverage: how often each field a profile declares was populated in real responses.

For each model of a profile (``models[name] = {operation, items?, fields}``) the records are
the ``data.results`` of the 2xx answers to the model's list operation, or the nested records
at the dotted path ``items`` inside them. Identical records (the same record on several
pages or answers) count once. A field is *populated* when its value is not null (a dotted
field through arrays: in any element). Fields populated but not declared are listed too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from kombo_conformance.exchange import Exchange


@dataclass
class ModelCoverage:
    """Coverage of one profile model; counts are records where the field was non-null."""

    model: str
    operation: str
    items: str | None
    records: int = 0
    declared: dict[str, int] = field(default_factory=dict)
    undeclared: dict[str, int] = field(default_factory=dict)

    def ratio(self, name: str) -> float:
        return self.declared.get(name, 0) / self.records if self.records else 0.0

    @property
    def never_populated(self) -> list[str]:
        return [name for name, count in self.declared.items() if count == 0]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelCoverage:
        return cls(
            model=data["model"],
            operation=data["operation"],
            items=data.get("items"),
            records=data["records"],
            declared=dict(data["declared"]),
            undeclared=dict(data["undeclared"]),
        )


def _values(node: Any, dotted: str) -> Iterator[Any]:
    """Every value reached by ``a.b.c`` from node, looking through arrays."""
    if isinstance(node, list):
        for item in node:
            yield from _values(item, dotted)
        return
    if not isinstance(node, dict):
        return
    head, _, rest = dotted.partition(".")
    value = node.get(head)
    if not rest:
        if isinstance(value, list):
            yield from value
        else:
            yield value
        return
    yield from _values(value, rest)


def populated(record: Mapping[str, Any], dotted: str) -> bool:
    return any(v is not None for v in _values(dict(record), dotted))


def filled(node: Any, dotted: str) -> bool:
    """Whether ``a.b.c`` carries a value: not null, not ``""``, ``[]`` or ``{}``."""
    return any(v not in (None, "", {}) for v in _values(node, dotted))


def list_records(exchange: Exchange) -> list[dict[str, Any]]:
    """The records of a 2xx list answer (``data.results``), else none."""
    if not 200 <= exchange.status < 300:
        return []
    body = exchange.json
    data = body.get("data") if isinstance(body, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    return [r for r in results if isinstance(r, dict)] if isinstance(results, list) else []


def model_records(
    exchanges: Iterable[Exchange], operation: str, items: str | None
) -> Iterator[dict[str, Any]]:
    """The distinct records of ``operation``'s 2xx list answers (nested at ``items``)."""
    seen: set[str] = set()
    for exchange in exchanges:
        if exchange.operation != operation:
            continue
        for record in list_records(exchange):
            nested = [record] if not items else _values(record, items)
            for item in nested:
                key = json.dumps(item, sort_keys=True, default=str)
                if isinstance(item, dict) and key not in seen:
                    seen.add(key)
                    yield item


def model_coverage(
    name: str, model: Mapping[str, Any], exchanges: Iterable[Exchange]
) -> ModelCoverage:
    declared = list(model.get("fields") or ())
    roots = {f.split(".")[0] for f in declared}
    result = ModelCoverage(
        name, model["operation"], model.get("items"), declared=dict.fromkeys(declared, 0)
    )
    for record in model_records(exchanges, result.operation, result.items):
        result.records += 1
        for dotted in declared:
            result.declared[dotted] += populated(record, dotted)
        for key, value in record.items():
            if key not in roots and value is not None:
                result.undeclared[key] = result.undeclared.get(key, 0) + 1
    result.undeclared = dict(sorted(result.undeclared.items()))
    return result


def coverage(
    models: Mapping[str, Mapping[str, Any]], exchanges: list[Exchange]
) -> list[ModelCoverage]:
    """One :class:`ModelCoverage` per profile model, in the profile's order."""
    return [model_coverage(name, model, exchanges) for name, model in models.items()]
