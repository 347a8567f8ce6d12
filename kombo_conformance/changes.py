"""What a run changed on the target: one :class:`Change` per write the target accepted.

The report lists them so a user can clean up after a run against a real account.
"""

from __future__ import annotations

from dataclasses import dataclass

from kombo_conformance.exchange import Exchange

READ_METHODS = frozenset({"GET"})  # every other method may change the target


@dataclass(frozen=True)
class Change:
    """A non-GET request the target answered with 2xx."""

    operation: str  # "METHOD /path" of the contract, "" when it matched none
    method: str
    path: str  # as sent, e.g. /ats/applications/abc/notes
    id: str | None  # the record's id: data.id of the answer, else the last id in the path
    status: int
    integration_id: str | None = None


def change_of(exchange: Exchange, integration_id: str | None = None) -> Change | None:
    """The change an exchange made, or None for reads and refused writes."""
    method = exchange.request.method.upper()
    if method in READ_METHODS or not 200 <= exchange.status < 300:
        return None
    return Change(
        operation=exchange.operation,
        method=method,
        path=exchange.request.path,
        id=record_id_of(exchange),
        status=exchange.status,
        integration_id=integration_id,
    )


def record_id_of(exchange: Exchange) -> str | None:
    """``data.id`` of the answer when a string, else the last path parameter's value."""
    body = exchange.json
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        return data["id"]
    return last_path_id(exchange.operation, exchange.request.path)


def last_path_id(operation: str, path: str) -> str | None:
    """The value of the last ``{parameter}`` of ``operation``'s path template in ``path``.

    ``last_path_id("POST /ats/applications/{application_id}/notes",
    "/ats/applications/a1/notes")`` is ``"a1"``; None when the path does not fit the template.
    """
    template = operation.partition(" ")[2].strip("/").split("/")
    actual = path.split("?", 1)[0].strip("/").split("/")
    if not operation or len(template) != len(actual):
        return None
    found = None
    for want, got in zip(template, actual, strict=True):
        if want.startswith("{") and want.endswith("}"):
            found = got
        elif want != got:
            return None
    return found or None
