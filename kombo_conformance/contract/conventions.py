"""Recognising Kombo's conventions from the contract itself, never from hard-coded paths.

- **Error envelope**: the schema of an operation's ``default`` response. Its use case is
  read from its ``error.code`` enum: codes beyond ``PLATFORM.*`` (``ATS.*``, ``INTEGRATION.*``)
  mark the ATS envelope; only ``PLATFORM.*`` codes mark the general one.
- **List** (paginated) operation: a ``GET`` whose 200 schema has ``data.next`` and
  ``data.results`` (an array) and which accepts a ``cursor`` query parameter.
- **Action** operation: a 200 schema requiring ``status``, ``data`` and ``warnings``.
- **Filters**: the query parameters of a list operation other than ``cursor``/``page_size``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

PAGINATION_PARAMETERS = frozenset({"cursor", "page_size"})

Kind = Literal["list", "action", "other"]


@dataclass(frozen=True)
class ErrorEnvelope:
    """The documented error envelope of an operation."""

    schema: dict[str, Any]
    codes: frozenset[str]

    @property
    def use_case(self) -> str:
        """``ats`` when the enum carries use-case codes, ``general`` when only PLATFORM ones."""
        return "ats" if any(not c.startswith("PLATFORM.") for c in self.codes) else "general"


@dataclass(frozen=True)
class Conventions:
    """What the contract says about one operation, in Kombo's terms."""

    kind: Kind
    success_schema: dict[str, Any] | None
    request_schema: dict[str, Any] | None
    request_required: bool
    error_envelope: ErrorEnvelope | None
    query_parameters: dict[str, dict[str, Any]]
    path_parameters: tuple[str, ...]
    header_parameters: dict[str, dict[str, Any]]
    record_schema: dict[str, Any] | None

    @property
    def is_list(self) -> bool:
        return self.kind == "list"

    @property
    def filters(self) -> tuple[str, ...]:
        return tuple(n for n in self.query_parameters if n not in PAGINATION_PARAMETERS)


def json_schema_of(content: Any) -> dict[str, Any] | None:
    """The JSON schema of a resolved ``content`` map (application/json or a +json type)."""
    if not isinstance(content, dict):
        return None
    for media_type, entry in content.items():
        if media_type.split(";")[0].strip().endswith("json") and isinstance(entry, dict):
            schema = entry.get("schema")
            return schema if isinstance(schema, dict) else None
    return None


def _properties(schema: Any) -> dict[str, Any]:
    return schema.get("properties", {}) if isinstance(schema, dict) else {}


def _error_envelope(responses: dict[str, Any]) -> ErrorEnvelope | None:
    schema = json_schema_of((responses.get("default") or {}).get("content"))
    if schema is None:
        return None
    code = _properties(_properties(schema).get("error")).get("code", {})
    return ErrorEnvelope(schema=schema, codes=frozenset(c for c in code.get("enum", []) if c))


def recognise(operation: dict[str, Any], method: str) -> Conventions:
    """Recognise the conventions of one fully resolved operation object."""
    responses = operation.get("responses") or {}
    success = json_schema_of((responses.get("200") or responses.get("201") or {}).get("content"))
    body = operation.get("requestBody") or {}
    params = [p for p in operation.get("parameters") or [] if isinstance(p, dict)]
    query = {p["name"]: p for p in params if p.get("in") == "query"}
    data = _properties(success).get("data", {})
    results = _properties(data).get("results")
    kind: Kind = "other"
    if (
        method.upper() == "GET"
        and "next" in _properties(data)
        and isinstance(results, dict)
        and results.get("type") == "array"
        and "cursor" in query
    ):
        kind = "list"
    elif isinstance(success, dict) and {"status", "data", "warnings"} <= set(
        success.get("required", [])
    ):
        kind = "action"
    return Conventions(
        kind=kind,
        success_schema=success,
        request_schema=json_schema_of(body.get("content")),
        request_required=bool(body.get("required")),
        error_envelope=_error_envelope(responses),
        query_parameters=query,
        path_parameters=tuple(p["name"] for p in params if p.get("in") == "path"),
        header_parameters={p["name"]: p for p in params if p.get("in") == "header"},
        record_schema=results.get("items") if kind == "list" and results else None,
    )
