"""State probes: writes are visible to reads, and an order's status is locked once it left
the value its description names (``OPEN``).

``read_after_write``: a created record (response ``data.id``) is returned by the list
operation of the same resource (``POST /ats/jobs/{job_id}/applications`` ->
``GET /ats/applications?ids=<id>``); the effects in effects.py show on the record.

``order_status_lock``: for a request property with an enum whose description says it "can
only be updated ... if its current value is `X`": on a record in X, a change to another
value F succeeds, then changing it again (to each other value) is refused with 400.
"""

from __future__ import annotations

import re
from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.effects import Effect, effect_of
from kombo_conformance.checks.examples import UNRESOLVED, base_body, request_example
from kombo_conformance.checks.lookup import Lookup, list_operation_for, resource_of, stem_of
from kombo_conformance.checks.session import Session
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.findings import Finding

_LOCK = re.compile(r"only be (?:updated|changed).*?`(\w+)`", re.I | re.S)


def _dig(value: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _supported(ctx: CheckContext, key: str) -> bool:
    return ctx.profile is None or ctx.profile.supports(key)


def _read_back(lookup: Lookup, stem: str, ident: str) -> tuple[dict[str, Any] | None, Exchange]:
    op = list_operation_for(
        lookup.ctx.contract, stem, lookup.ctx.operation.use_case, exact_only=True
    )
    assert op is not None
    exchange = lookup.session.get(op.path, ids=ident)
    data = exchange.json.get("data") if isinstance(exchange.json, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    found = [r for r in results or [] if isinstance(r, dict) and r.get("id") == ident]
    return (found[0] if found else None), exchange


def _holds(effect: Effect, record: dict[str, Any], expected: Any) -> bool:
    actual = record.get(effect.field)
    if effect.expect == "equals":
        return actual == expected
    items = [
        i.get(effect.item_key) if effect.item_key and isinstance(i, dict) else i
        for i in actual or []
    ]
    return (expected in items) == (effect.expect == "contains")


def _write(session: Session, lookup: Lookup, path: str, body: Any, key: str) -> Exchange:
    method = key.split(" ", 1)[0]
    return session.send(Request(method, path, body=body))


def _check_effect(session: Session, effect: Effect) -> None:
    ctx = session.ctx
    lookup = Lookup(session)
    stem = stem_of(effect.record) or effect.record
    literal = None if effect.value.startswith("body.") else effect.value
    if literal is not None:
        lookup.prefer = lambda record: record.get(effect.field) != literal
    path = lookup.path(ctx.operation)
    if path is None:
        return
    target = lookup.chosen[0] if lookup.chosen else {}
    if effect.expect == "equals" and isinstance(target.get(effect.field), str):
        lookup.avoid.add(target[effect.field])  # a move to where it already is proves nothing
    body = base_body(lookup, ctx.operation)
    if body is UNRESOLVED:
        return
    ident = path.split("/")[ctx.operation.path.split("/").index("{" + effect.record + "}")]
    if effect.setup and _supported(ctx, effect.setup):
        setup_path = effect.setup.split(" ", 1)[1].replace("{" + effect.record + "}", ident)
        _write(session, lookup, setup_path, body, effect.setup)
    write = _write(session, lookup, path, body, ctx.operation.key)
    if not 200 <= write.status < 300:
        session.report(
            f"expected the write to succeed so its effect can be read, got "
            f"{write.status} {write.error_code}",
            write,
            severity="warning",
            pointer="write",
        )
        return
    expected = literal if literal is not None else _dig(body, effect.value[len("body.") :])
    record, read = _read_back(lookup, stem, ident)
    if record is None:
        session.report(
            f"expected {stem} {ident!r} to be listed after the write, got nothing",
            read,
            pointer=effect.field,
        )
    elif not _holds(effect, record, expected):
        session.report(
            f"expected {stem}.{effect.field} to {effect.expect} {expected!r} after "
            f"{ctx.operation.key}, got {record.get(effect.field)!r:.120}",
            read,
            pointer=effect.field,
        )


def _check_created(session: Session) -> None:
    ctx = session.ctx
    stem = resource_of(ctx.operation.path)
    list_op = list_operation_for(ctx.contract, stem, ctx.operation.use_case, exact_only=True)
    if list_op is None or not _supported(ctx, list_op.key):
        return
    lookup = Lookup(session)
    path = lookup.path(ctx.operation)
    body = base_body(lookup, ctx.operation) if path is not None else UNRESOLVED
    if path is None or body is UNRESOLVED:
        return
    write = _write(session, lookup, path, body, ctx.operation.key)
    ident = _dig(write.json, "data.id")
    if not 200 <= write.status < 300 or not isinstance(ident, str):
        return  # refusals are judged by the response checks
    record, read = _read_back(lookup, stem, ident)
    if record is None:
        session.report(
            f"expected the created {stem} {ident!r} in {list_op.key}?ids=, got nothing",
            read,
            pointer="created",
        )


def _creates(ctx: CheckContext) -> bool:
    data = ((ctx.operation.conventions.success_schema or {}).get("properties") or {}).get("data")
    return "id" in ((data or {}).get("properties") or {})


def read_after_write(ctx: CheckContext) -> tuple[list[Finding], list[Exchange]]:
    """Created records are listed; declared effects show on the record read back."""
    session = Session(ctx, "read_after_write")
    if (
        not session.live
        or ctx.operation.conventions.kind != "action"
        or not _supported(ctx, ctx.operation.key)
    ):
        return session.result()
    effect = effect_of(ctx.operation.key)
    if effect is not None:
        _check_effect(session, effect)
    elif _creates(ctx) and ctx.operation.method != "GET":
        _check_created(session)
    return session.result()


def _lock(ctx: CheckContext) -> tuple[str, str, list[str]] | None:
    """(property, locked-in value, enum) of a request property with a lock rule."""
    schema = ctx.operation.conventions.request_schema or {}
    for name, prop in (schema.get("properties") or {}).items():
        match = _LOCK.search(str(prop.get("description", "")))
        if match and match.group(1) in (prop.get("enum") or []):
            return name, match.group(1), list(prop["enum"])
    return None


def order_status_lock(ctx: CheckContext) -> tuple[list[Finding], list[Exchange]]:
    """A status leaves its locked-in value once, then further changes are refused (400)."""
    session = Session(ctx, "order_status_lock")
    lock = _lock(ctx)
    if not session.live or lock is None or not _supported(ctx, ctx.operation.key):
        return session.result()
    name, open_value, values = lock
    lookup = Lookup(session)
    lookup.prefer = lambda record: record.get(name) == open_value
    path = lookup.path(ctx.operation)
    body = base_body(lookup, ctx.operation) if path is not None else UNRESOLVED
    target = lookup.chosen[0] if lookup.chosen else {}
    if path is None or body is UNRESOLVED or target.get(name) != open_value:
        return session.result()
    example = request_example(ctx.operation) or {}
    final = example.get(name) if example.get(name) != open_value else None
    final = final or next(v for v in values if v != open_value)
    first = session.send(Request(ctx.operation.method, path, body={**body, name: final}))
    if not 200 <= first.status < 300:
        session.report(
            f"expected {name} {open_value} -> {final} to succeed, got "
            f"{first.status} {first.error_code}",
            first,
            pointer=f"{open_value}->{final}",
        )
        return session.result()
    for value in values:
        if value == final:
            continue
        again = session.send(Request(ctx.operation.method, path, body={**body, name: value}))
        if again.status != 400:
            session.report(
                f"expected {name} {final} -> {value} refused with 400 (only "
                f"{open_value} may change), got {again.status}",
                again,
                pointer=f"{final}->{value}",
            )
    return session.result()
