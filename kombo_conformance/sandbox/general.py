"""Kombo's general endpoints, served from the connector profiles.

- ``GET /check-api-key``: the environment behind the key (:data:`ENVIRONMENT_ID`).
- ``GET /integrations/{integration_id}``: the integration ``<slug>:<id>`` (any id, as for
  ``X-Integration-Id``) of the connector profile ``<slug>``, with its coverage grid.
- ``GET /tools/{category}``: every connector whose profile has that use case, with its grid.

The grids come from :mod:`kombo_conformance.contract.declare`. Unlike Kombo, where an
integration has one category, a sandbox integration serves all its connector's use cases,
so its grid covers all of them (``category`` names the first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kombo_conformance.contract import Contract, Operation
from kombo_conformance.contract.datapoints import contract_fields, datapoints, record_schema
from kombo_conformance.contract.declaration import (
    UNKNOWN,
    UNSUPPORTED,
    DeclaredItem,
    integration_grid,
    tool_grid,
)
from kombo_conformance.contract.declare import declare, restated
from kombo_conformance.contract.profiles import field_schemas, has_field
from kombo_conformance.errors import UsageError
from kombo_conformance.sandbox.data import allows_null
from kombo_conformance.sandbox.envelopes import SandboxError
from kombo_conformance.sandbox.faults import Change, Faults
from kombo_conformance.sandbox.personalities import Personality

ENVIRONMENT_ID = "kombo-conformance-sandbox"
ASSETS = "https://storage.googleapis.com/kombo-assets/integrations/{slug}/{name}.svg"
CREATED_AT = "2024-01-01T00:00:00.000Z"
MISDECLARE = "misdeclare"  # the fault change kind that makes a declaration lie

Handler = Callable[[Any, Operation, dict[str, str]], dict[str, Any]]


def answer(sandbox: Any, operation: Operation, params: dict[str, str]) -> dict[str, Any]:
    """The success body of a general operation (``sandbox`` is the app's ``Sandbox``)."""
    handler = HANDLERS.get(operation.operation_id or "")
    if handler is None:
        raise SandboxError(
            404,
            "PLATFORM.INPUT_INVALID",
            f"the sandbox does not serve the general operation {operation.key}",
            "Not found.",
        )
    return {"status": "success", "data": handler(sandbox, operation, params)}


def _check_api_key(sandbox: Any, operation: Operation, params: dict[str, str]) -> dict[str, Any]:
    # customer_id: Kombo's deprecated name of environment_id, still sent (contracts/README.md)
    return {"environment_id": ENVIRONMENT_ID, "customer_id": ENVIRONMENT_ID}


def declared_for(
    sandbox: Any, operation: Operation, personality: Personality, categories: set[str]
) -> list[DeclaredItem]:
    """The declaration of one connector for ``categories`` as ``operation`` serves it
    (possibly lying, see :func:`lie`); built once per app (``sandbox.declarations``)."""
    key = (operation.key, personality.slug, frozenset(categories))
    found = sandbox.declarations.get(key)
    if found is None:
        served = [
            _as_served(sandbox.contract, d)
            for d in declare(sandbox.contract, personality.profile, categories)
        ]
        found = sandbox.declarations[key] = lie(sandbox, operation, served)
    return found


def _as_served(contract: Contract, item: DeclaredItem) -> DeclaredItem:
    """A read-model field the profile leaves out is nulled by the sandbox where the contract
    allows null (:meth:`Personality.null_uncovered`); where it does not (arrays such as a
    job's ``stages``) the sandbox still fills it, so it is declared ``UNKNOWN``, not
    ``UNSUPPORTED``: the clean sandbox's declaration is true."""
    record = record_schema(contract, item.point) if item.point else None
    if record is None or not item.is_available:
        return item
    filled = {
        f.id: UNKNOWN
        for f in item.fields
        if f.coverage_status == UNSUPPORTED
        and has_field(record, f.id)
        and not any(allows_null(s) for s in field_schemas(record, f.id))
    }
    return restated(item, fields=filled) if filled else item


def _use_cases(sandbox: Any, personality: Personality) -> list[str]:
    """The profile's use cases; the built-in sandbox personality has every category."""
    if personality.profile is not None:
        return list(personality.profile.use_cases)
    return list(dict.fromkeys(p.category for p in datapoints(sandbox.contract)))


def _integration(sandbox: Any, operation: Operation, params: dict[str, str]) -> dict[str, Any]:
    personality, integration = sandbox.personality_of(params["integration_id"])
    slug, ident = integration.split(":", 1)
    use_cases = _use_cases(sandbox, personality)
    declared = declared_for(sandbox, operation, personality, set(use_cases))
    return {
        "id": integration,
        "tool": {
            "id": slug,
            "label": personality.name,
            "internal_label": None,
            "logo_url": ASSETS.format(slug=slug, name="logo"),
            "icon_url": ASSETS.format(slug=slug, name="icon"),
        },
        "category": use_cases[0].upper(),
        "status": "ACTIVE",
        "setup_status": "COMPLETED",
        "end_user": {
            "organization_name": f"Sandbox customer of {personality.name}",
            "creator_email": None,
            "origin_id": ident,
        },
        "scope_config": {"id": "sandbox-scope-config", "name": "All scopes"},
        "data_expired_at": None,
        "created_at": CREATED_AT,
        "beta": False,
        **integration_grid(declared),
    }


def _category_enum(operation: Operation) -> list[str]:
    for param in operation.definition.get("parameters") or []:
        if param.get("in") == "path" and param.get("name") == "category":
            return list((param.get("schema") or {}).get("enum") or [])
    return []


def _tools(sandbox: Any, operation: Operation, params: dict[str, str]) -> dict[str, Any]:
    category = params["category"]
    allowed = _category_enum(operation)
    if allowed and category not in allowed:
        raise SandboxError(
            400,
            "PLATFORM.INPUT_INVALID",
            f"path parameter category: {category!r} is not one of {', '.join(allowed)}",
        )
    tools = []
    for slug in sorted(sandbox.personalities):
        personality = sandbox.personalities[slug]
        if category not in _use_cases(sandbox, personality):
            continue
        declared = declared_for(sandbox, operation, personality, {category})
        tools.append(
            {
                "id": slug,
                "label": personality.name,
                "internal_label": None,
                "assets": {
                    "logo_url": ASSETS.format(slug=slug, name="logo"),
                    "icon_url": ASSETS.format(slug=slug, name="icon"),
                    "icon_black_url": ASSETS.format(slug=slug, name="icon-black"),
                },
                "paid_api_details_markdown": None,
                "fast_track_details_markdown": None,
                "partner_only_details_markdown": None,
                "connection_guide_url": None,
                "coverage": tool_grid(declared),
            }
        )
    return {"tools": tools}


def lie(sandbox: Any, operation: Operation, declared: list[DeclaredItem]) -> list[DeclaredItem]:
    """The declaration after the switched-on ``misdeclare`` fault changes: a datapoint, or
    one of its fields, declared with another status than the one the sandbox serves."""
    for change in sandbox.faults.changes(MISDECLARE, operation.key):
        declared = [_misdeclared(item, change) for item in declared]
    return declared


def _misdeclared(item: DeclaredItem, change: Change) -> DeclaredItem:
    field, status = change.get("field"), change["status"]
    if item.id != change["datapoint"] or (field is not None and field not in item.statuses):
        return item
    if field is None:
        return restated(item, status=status)
    return restated(item, fields={field: status})


def require_datapoints(contract: Contract, faults: Faults) -> None:
    """UsageError when a switched-on ``misdeclare`` names a datapoint (or a field of it) the
    contract does not have: it would change nothing."""
    points = {p.id: p for p in datapoints(contract)}
    for change in faults.changes(MISDECLARE):
        point = points.get(change["datapoint"])
        field = change.get("field")
        if point is None or (field is not None and field not in contract_fields(contract, point)):
            what = f"field {field!r} of " if field else ""
            raise UsageError(
                f"a fault misdeclares {what}datapoint {change['datapoint']!r}, which the "
                "contract's x-kombo-datapoints do not have: it would change nothing"
            )


HANDLERS: dict[str, Handler] = {
    "GetCheckApiKey": _check_api_key,
    "GetIntegrationsIntegrationId": _integration,
    "GetToolsCategory": _tools,
}
