"""Recorded traffic a change affects (``diff OLD NEW --cassettes DIR``).

Cassettes are read with replay's loader; a corrupt cassette or interaction is a
:class:`~kombo_conformance.errors.CassetteError` (exit 2). Interactions are matched to the
operations of OLD, the version they were recorded against, by method + path template, then
named as the changes name them (an operation paired through a renamed path parameter).

Which interactions exercise a change depends on its rule: those that send or receive a value
at the changed place; for a newly required property or parameter (or a changed default),
requests that omit it; for removed enum values or error codes, recorded values among them;
for `null` removed, recorded nulls. The last two are looked for in safe changes too: a
response value NEW no longer allows is a connector that would fail certification.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from kombo_conformance.cassettes.layout import connector_of
from kombo_conformance.cassettes.load import load_cassette
from kombo_conformance.cassettes.match import OperationIndex
from kombo_conformance.cassettes.replay import cassette_files
from kombo_conformance.cassettes.serialize import to_exchange
from kombo_conformance.contract import Contract
from kombo_conformance.errors import CassetteError
from kombo_conformance.exchange import Exchange
from kombo_conformance.spec.diff.catalogue import RULES, SAFE
from kombo_conformance.spec.diff.model import Change, parse_where
from kombo_conformance.spec.diff.model import Path as Tokens
from kombo_conformance.spec.diff.operations import match

Recorded = dict[str, list[Exchange]]  # operation, as changes name it -> its interactions
PARAMETER = re.compile(r"(query|header|path|cookie) parameter `(.+)`")
RESPONSE = re.compile(r"response (\S+)(?: header `(.+)`)?")
OMITTED = {
    "request_required_property_added", "request_property_became_required",
    "required_parameter_added", "parameter_became_required", "request_default_added",
    "request_default_changed", "request_default_removed", "request_body_added",
    "request_body_became_required",
}  # fmt: skip
LISTED = {"request_enum_values_removed", "response_enum_values_removed", "error_codes_removed"}
NULLS = {"request_nullability_removed", "response_nullability_removed"}
_ABSENT = object()


def read_recorded(directory: str | Path, old: Contract, new: Contract) -> Recorded:
    """Every recorded interaction under ``directory`` that matches an operation of OLD."""
    pairs, removed, _ = match(old.operations, new.operations)
    named = {before.key: after.key for before, after in pairs} | {op.key: op.key for op in removed}
    index = OperationIndex(old)
    recorded: Recorded = {}
    for path in cassette_files(directory):
        cassette = load_cassette(path)
        if cassette.problems:
            raise CassetteError(
                path, f"{cassette.problems[0].reason}; diff --cassettes reads every interaction"
            )
        for position, interaction in cassette.interactions:
            request = interaction["request"]
            operation, relative = index.match_uri(request["method"], request["uri"])
            if operation is None:
                continue
            key = named.get(operation.key, operation.key)
            exchange = to_exchange(
                interaction,
                path=relative,
                operation=key,
                connector=connector_of(path),
                source=f"{path}#{position}",
            )
            recorded.setdefault(key, []).append(exchange)
    return recorded


def with_recorded(changes: Iterable[Change], recorded: Recorded) -> list[Change]:
    """The changes, each that recorded traffic can exercise with ``recorded`` set."""
    out = []
    for change in changes:
        looked_for = RULES[change.kind].impact != SAFE or change.kind in LISTED | NULLS
        out.append(replace(change, recorded=exercising(change, recorded)) if looked_for else change)
    return out


def exercising(change: Change, recorded: Recorded) -> tuple[tuple[str, str], ...]:
    """``(connector, "cassette#index")`` of every recorded interaction exercising change."""
    found = []
    for operation, place in zip(change.operations, change.where, strict=True):
        for exchange in recorded.get(operation, []):
            if _exercises(change, place, exchange):
                found.append((exchange.connector, exchange.source or ""))
    return tuple(found)


def _exercises(change: Change, place: str, exchange: Exchange) -> bool:
    root, path = _root(change, place, exchange)
    if root is _ABSENT:
        return False
    if change.kind in OMITTED:
        return _omitted(root, path)
    values = _values(root, path)
    if change.kind in LISTED:
        listed = change.details.get("values") or []
        return any(v in listed for v in values if isinstance(v, str | int | float | bool))
    if change.kind in NULLS:
        return any(v is None for v in values)
    return bool(values)


def _root(change: Change, place: str, exchange: Exchange) -> tuple[Any, Tokens]:
    """What the interaction holds at the start of place, and the path inside it."""
    prefix, path = parse_where(place)
    request = exchange.request
    if prefix == "request body":
        body = request.body
        media = change.details.get("media_type")
        if media and not request.headers.get("content-type", "").startswith(media):
            return _ABSENT, path
        return ({} if body is None else {"": body}), ("", *path)
    if parameter := PARAMETER.fullmatch(prefix):
        location, name = parameter.groups()
        name = name.lower() if location == "header" else name
        return _parameters(location, name, exchange), (name, *path)
    if response := RESPONSE.fullmatch(prefix):
        status, header = response.groups()
        if not _status_matches(status, exchange.status):
            return _ABSENT, path
        media = change.details.get("media_type")
        if media and not exchange.headers.get("content-type", "").startswith(media):
            return _ABSENT, path
        if header:
            return exchange.headers, (header.lower(), *path)
        return exchange.json, path
    if prefix == "responses":
        status = change.details.get("status")
        return (exchange if _status_matches(status or "", exchange.status) else _ABSENT), ()
    return exchange, ()  # the operation itself, its security


def _parameters(location: str, name: str, exchange: Exchange) -> dict[str, Any]:
    """The parameters the request sends in location, by name."""
    request = exchange.request
    if location == "query":
        return dict(request.query)
    if location == "header":
        return dict(request.headers)
    if location == "cookie":
        cookie = SimpleCookie()
        cookie.load(request.headers.get("cookie", ""))
        return {name: morsel.value for name, morsel in cookie.items()}
    return {name: request.path}  # a path parameter is in every request of the operation


def _status_matches(status: str, code: int) -> bool:
    if status == "default":
        return code >= 400
    if len(status) == 3 and status[1:].upper() == "XX":
        return str(code)[0] == status[0]
    return status == str(code)


def _values(root: Any, path: Tokens) -> list[Any]:
    """Every value at path (``[]``: each array item, ``{}``: each map value)."""
    current = [root]
    for token in path:
        following: list[Any] = []
        for value in current:
            if token == "[]" and isinstance(value, list):
                following += value
            elif token == "{}" and isinstance(value, dict):
                following += value.values()
            elif isinstance(value, dict) and token in value:
                following.append(value.get(token))
        current = following
    return current


def _omitted(root: Any, path: Tokens) -> bool:
    """True if some object at path's parent lacks its last name (a request that omits it)."""
    if not path:
        return root is None or root == {}
    *parent, name = path
    return any(isinstance(v, dict) and name not in v for v in _values(root, tuple(parent)))
