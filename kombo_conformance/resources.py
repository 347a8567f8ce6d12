"""Real ids for path parameters, found through the contract's own list operations.

A path parameter ``<thing>_id`` names a resource; the list operation that returns it is the
one whose path, read as words, ends with ``<thing>`` in the plural (``application_id`` ->
``GET /ats/applications``; ``assessment_order_id`` -> ``GET /assessment/orders``). Nothing
here knows a concrete path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kombo_conformance.contract import Contract, Operation
from kombo_conformance.exchange import Exchange, Request


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("ses"):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _words(path: str) -> list[str]:
    return [
        _singular(w)
        for segment in path.strip("/").split("/")
        if not segment.startswith("{")
        for w in segment.replace("-", "_").split("_")
    ]


def list_operation_for(contract: Contract, parameter: str) -> Operation | None:
    """The list operation whose records a ``<thing>_id`` path parameter refers to."""
    if not parameter.endswith("_id"):
        return None
    wanted = parameter[: -len("_id")].split("_")
    best: tuple[int, Operation | None] = (0, None)
    for op in contract.operations.values():
        if not op.conventions.is_list:
            continue
        words = _words(op.path)
        if words[-1] != wanted[-1]:
            continue
        score = sum(1 for w in wanted if w in words) * 10 - len(words)
        if best[1] is None or score > best[0]:
            best = (score, op)
    return best[1]


def list_operation_of_resource(contract: Contract, operation: Operation) -> Operation | None:
    """The list operation of the resource an action writes (matched by the last segment)."""
    last = operation.path.rstrip("/").split("/")[-1]
    for op in contract.operations.values():
        if op.conventions.is_list and op.path.rstrip("/").split("/")[-1] == last:
            return op
    return None


@dataclass
class IdPool:
    """Ids of live records per path parameter, fetched once per connector and cached."""

    contract: Contract
    send: Callable[[Request, str], Exchange]  # (request, operation key) -> exchange
    _ids: dict[str, list[str]] = field(default_factory=dict)
    exchanges: list[Exchange] = field(default_factory=list)

    def ids_for(self, parameter: str) -> list[str]:
        if parameter not in self._ids:
            self._ids[parameter] = self._fetch(parameter)
        return self._ids[parameter]

    def path_parameters(self, operation: Operation) -> dict[str, str]:
        """One real id per path parameter of operation, where one can be found."""
        found = {}
        for name in operation.conventions.path_parameters:
            ids = self.ids_for(name)
            if ids:
                found[name] = ids[0]
        return found

    def _fetch(self, parameter: str) -> list[str]:
        op = list_operation_for(self.contract, parameter)
        if op is None:
            return []
        exchange = self.send(Request("GET", op.path, {"page_size": "50"}), op.key)
        self.exchanges.append(exchange)
        body = exchange.json
        if exchange.status != 200 or not isinstance(body, dict):
            return []
        results = (body.get("data") or {}).get("results") or []
        return [r["id"] for r in results if isinstance(r, dict) and isinstance(r.get("id"), str)]
