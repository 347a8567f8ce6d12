"""Real ids for the path parameters of generated requests.

A path parameter ``<thing>_id`` names a resource; the list operation that returns it is found
by the same rule the probes use (``checks.lookup.list_operation_for``: ``application_id`` ->
``GET /ats/applications``, ``assessment_order_id`` -> ``GET /assessment/orders``);
``integration_id`` is the run's integration. Nothing here knows a concrete path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kombo_conformance.checks.lookup import list_operation_for, stem_of
from kombo_conformance.contract import Contract, Operation
from kombo_conformance.exchange import Exchange, Request

# Kombo names an integration the same way in the path (GET /integrations/{integration_id})
# as in the X-Integration-Id header: the run's own integration is the real id for it.
INTEGRATION_PARAMETER = "integration_id"


@dataclass
class IdPool:
    """Ids of live records per path parameter, fetched once per connector and cached."""

    contract: Contract
    send: Callable[[Request, str], Exchange]  # (request, operation key) -> exchange
    integration_id: str | None = None  # the value of an ``integration_id`` path parameter
    _ids: dict[str, list[str]] = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)

    def ids_for(self, parameter: str, use_case: str) -> list[str]:
        key = f"{use_case}:{parameter}"
        if key not in self._ids:
            self._ids[key] = self._fetch(parameter, use_case)
        return self._ids[key]

    def path_parameters(self, operation: Operation) -> dict[str, str]:
        """One real id per path parameter of operation, where one can be found."""
        found = {}
        for name in operation.conventions.path_parameters:
            if name == INTEGRATION_PARAMETER and self.integration_id:
                found[name] = self.integration_id
                continue
            ids = self.ids_for(name, operation.use_case)
            if ids:
                found[name] = ids[0]
        return found

    def _fetch(self, parameter: str, use_case: str) -> list[str]:
        stem = stem_of(parameter)
        op = list_operation_for(self.contract, stem, use_case) if stem else None
        if op is None:
            return []
        exchange = self.send(Request("GET", op.path, {"page_size": "50"}), op.key)
        self.exchanges.append(exchange)
        body = exchange.json
        if exchange.status != 200 or not isinstance(body, dict):
            return []
        results = (body.get("data") or {}).get("results") or []
        return [r["id"] for r in results if isinstance(r, dict) and isinstance(r.get("id"), str)]
