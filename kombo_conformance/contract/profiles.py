"""Connector profiles: loading, format validation (JSON Schema) and cross-checking them
against the operations and fields the contract defines."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kombo_conformance.contract import pointer
from kombo_conformance.contract.source import read_document
from kombo_conformance.errors import ContractError

PROFILE_SCHEMA_PATH = Path(__file__).with_name("profile.schema.json")


@cache
def profile_schema() -> dict[str, Any]:
    return json.loads(PROFILE_SCHEMA_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Quirk:
    id: str
    kind: str
    operation: str
    description: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ConnectorProfile:
    """One connector: what it supports and how it deviates."""

    slug: str
    name: str
    use_cases: tuple[str, ...]
    operations: frozenset[str]
    models: dict[str, dict[str, Any]]
    actions: dict[str, dict[str, Any]]
    quirks: tuple[Quirk, ...]
    source: Path
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)
    general: frozenset[str] = frozenset()  # the contract's general operations: always served

    def supports(self, operation: str) -> bool:
        return operation in self.operations or operation in self.general

    def quirks_of(self, operation: str, kind: str | None = None) -> tuple[Quirk, ...]:
        return tuple(
            q for q in self.quirks if q.operation == operation and (kind is None or q.kind == kind)
        )

    def covers(self, operation: str, field: str) -> bool:
        """Whether the records of a read operation carry the (top-level) field for this
        connector: true unless its ``models`` for the operation leave it out (a model
        naming no field, as a declaration of unknown coverage makes, says nothing)."""
        models = [
            m
            for m in self.models.values()
            if m.get("operation") == operation and not m.get("items") and m.get("fields")
        ]
        return not models or any(field in m["fields"] for m in models)


def _schema_branches(schema: Any) -> Iterator[dict[str, Any]]:
    """The schema and every anyOf/allOf/oneOf branch below it (already resolved)."""
    if not isinstance(schema, dict):
        return
    yield schema
    for key in ("anyOf", "allOf", "oneOf"):
        for branch in schema.get(key, []) or []:
            yield from _schema_branches(branch)


def _step(schema: Any, name: str) -> list[Any]:
    """Subschemas reached by the property `name`, looking through arrays and unions."""
    found = []
    for branch in _schema_branches(schema):
        if branch.get("type") == "array" or "items" in branch:
            found.extend(_step(branch.get("items"), name))
        prop = (branch.get("properties") or {}).get(name)
        if prop is not None:
            found.append(prop)
    return found


def has_field(schema: Any, dotted: str) -> bool:
    """Whether ``a.b.c`` names a field in schema (through objects, arrays and unions)."""
    current = [schema]
    for name in dotted.split("."):
        current = [sub for s in current for sub in _step(s, name)]
        if not current:
            return False
    return True


def field_schemas(schema: Any, dotted: str) -> list[Any]:
    current = [schema]
    for name in dotted.split("."):
        current = [sub for s in current for sub in _step(s, name)]
    return current


def _validate_format(raw: Any, path: Path) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    error = best_match(Draft202012Validator(profile_schema()).iter_errors(raw))
    if error is not None:
        raise ContractError(path, pointer.join(*error.absolute_path) or "/", error.message)
    if raw["slug"] != path.stem:
        raise ContractError(
            path, "/slug", f"slug {raw['slug']!r} must equal the file name {path.stem!r}"
        )


class _Context:
    """What profile cross-checks need from the contract."""

    def __init__(
        self,
        operations: Mapping[str, Any],
        use_case_of: Callable[[str], str],
        success_record: Callable[[str], Any],
        request_schema: Callable[[str], Any],
        path_parameters: Callable[[str], tuple[str, ...]],
        general: frozenset[str] = frozenset(),
    ) -> None:
        self.operations = operations
        self.use_case_of = use_case_of
        self.success_record = success_record
        self.request_schema = request_schema
        self.path_parameters = path_parameters
        self.general = general  # the general operations, which every profile serves


def _check_operation(ctx: _Context, path: Path, where: str, op: str) -> None:
    if op not in ctx.operations:
        raise ContractError(
            path, where, f"unknown operation {op!r}: the contract has no such operation"
        )


def _cross_check(raw: dict[str, Any], path: Path, ctx: _Context) -> frozenset[str]:
    use_cases = set(raw["use_cases"])
    if raw["operations"] == "all":
        operations = frozenset(op for op in ctx.operations if ctx.use_case_of(op) in use_cases)
    else:
        for i, op in enumerate(raw["operations"]):
            _check_operation(ctx, path, f"/operations/{i}", op)
        operations = frozenset(raw["operations"])
    for name, model in (raw.get("models") or {}).items():
        where = pointer.join("models", name)
        _check_operation(ctx, path, f"{where}/operation", model["operation"])
        record = ctx.success_record(model["operation"])
        if record is None:
            raise ContractError(
                path, f"{where}/operation", f"{model['operation']} is not a list operation"
            )
        if model.get("items"):
            if not has_field(record, model["items"]):
                raise ContractError(
                    path, f"{where}/items", f"no field {model['items']!r} in the records"
                )
            record = {"anyOf": field_schemas(record, model["items"])}
        for j, name_ in enumerate(model["fields"]):
            if not has_field(record, name_):
                raise ContractError(
                    path,
                    f"{where}/fields/{j}",
                    f"field {name_!r} does not exist in the records of {model['operation']}; "
                    "list it under not_in_contract with a reason if the contract lacks it",
                )
    for name, action in (raw.get("actions") or {}).items():
        where = pointer.join("actions", name)
        _check_operation(ctx, path, f"{where}/operation", action["operation"])
        body = ctx.request_schema(action["operation"])
        params = ctx.path_parameters(action["operation"])
        for j, name_ in enumerate(action["fields"]):
            if name_ in params or (body is not None and has_field(body, name_)):
                continue
            raise ContractError(
                path,
                f"{where}/fields/{j}",
                f"input field {name_!r} is neither a path parameter nor a request body field of "
                f"{action['operation']}",
            )
    for i, quirk in enumerate(raw.get("quirks") or []):
        _check_operation(ctx, path, f"/quirks/{i}/operation", quirk["operation"])
        if "fallback_operation" in quirk:
            _check_operation(
                ctx, path, f"/quirks/{i}/fallback_operation", quirk["fallback_operation"]
            )
    return operations


def load_profile(path: Path, ctx: _Context) -> ConnectorProfile:
    return profile_from_raw(read_document(path), path, ctx)


def profile_from_raw(raw: Any, path: Path, ctx: _Context) -> ConnectorProfile:
    """A profile from its parsed file (``path`` names it in errors), validated and
    cross-checked against the contract like every loaded profile."""
    _validate_format(raw, path)
    operations = _cross_check(raw, path, ctx)
    return ConnectorProfile(
        slug=raw["slug"],
        name=raw["name"],
        use_cases=tuple(raw["use_cases"]),
        operations=operations,
        models=raw.get("models") or {},
        actions=raw.get("actions") or {},
        quirks=tuple(
            Quirk(
                id=q["id"],
                kind=q["kind"],
                operation=q["operation"],
                description=q["description"],
                options={
                    k: v
                    for k, v in q.items()
                    if k not in ("id", "kind", "operation", "description")
                },
            )
            for q in raw.get("quirks") or []
        ),
        source=path,
        raw=raw,
        general=ctx.general,
    )
