"""State probes: writes are visible to reads, and an order's status is locked once it left
the value its description names (``OPEN``).

``read_after_write``: a created record (response ``data.id``) is returned by the list
operation of the same resource (``POST /ats/jobs/{job_id}/applications`` ->
``GET /ats/applications?ids=<id>``); the effects in effects.py show on the record. Kombo
serves lists from synced copies, so the read is repeated with backoff (``FIRST_WAIT``
doubling, at most ``MAX_WAIT`` apart) for up to ``ctx.consistency_timeout`` seconds before
it is judged; the verdict note says how long the change took to show.

``order_status_lock``: for a request property with an enum whose description says it "can
only be updated ... if its current value is `X`": on a record in X, a change to another
value F succeeds, then changing it again (to each other value) is refused with 400.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from kombo_conformance.checks import rules
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.effects import Effect, effect_of
from kombo_conformance.checks.envelopes import allowed_error_codes
from kombo_conformance.checks.examples import UNRESOLVED, base_body, request_example
from kombo_conformance.checks.lookup import Lookup, list_operation_for, resource_of, stem_of
from kombo_conformance.checks.session import ProbeResult, Session
from kombo_conformance.exchange import Exchange, Request

_LOCK = re.compile(r"only be (?:updated|changed).*?`(\w+)`", re.I | re.S)
_OPPOSITE = {"lacks": "contains", "contains": "lacks"}
FIRST_WAIT = 0.25  # seconds before the second read; doubles after each read ...
MAX_WAIT = 2.0  # ... up to this
monotonic = time.monotonic  # module-level so that tests can replace the clock
sleep = time.sleep


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


@dataclass(frozen=True)
class Poll:
    """The last read of a record after a write: whether the change showed, and when."""

    record: dict[str, Any] | None
    read: Exchange
    elapsed: float  # seconds from the write's answer to this read
    reads: int
    shown: bool
    missed: float = 0.0  # when the previous read was made (the change had not shown yet)


def _poll(
    lookup: Lookup, stem: str, ident: str, shows: Callable[[dict[str, Any] | None], bool]
) -> Poll:
    """Read the record back until ``shows`` holds, the list answers an error, or
    ``consistency_timeout`` has passed (waits of FIRST_WAIT doubling up to MAX_WAIT)."""
    timeout = lookup.ctx.consistency_timeout
    started, wait, reads, missed = monotonic(), FIRST_WAIT, 0, 0.0
    while True:
        record, read = _read_back(lookup, stem, ident)
        reads += 1
        elapsed = monotonic() - started
        if shows(record) or read.status != 200 or elapsed >= timeout:
            return Poll(record, read, elapsed, reads, shows(record), missed)
        missed = elapsed
        sleep(min(wait, timeout - elapsed))
        wait = min(wait * 2, MAX_WAIT)


def _settle(session: Session, poll: Poll, what: str) -> bool:
    """True when the poll settled it: the change showed (noted with how long it took) or
    the read failed (inconclusive); False when it did not show in time (the caller's error)."""
    if poll.shown:
        session.note(
            f"{what} showed at the first read"
            if poll.reads == 1
            else f"{what} showed after {poll.elapsed:.1f} s ({poll.reads} reads; not yet "
            f"at {poll.missed:.1f} s)"
        )
        return True
    if poll.read.status != 200:
        session.inconclusive(
            f"{poll.read.request.method} {poll.read.request.path} answered {poll.read.status} "
            f"while reading back: {what} not judged"
        )
        return True
    return False


def _waited(session: Session, poll: Poll) -> str:
    return (
        f"within {session.ctx.consistency_timeout:g} s (--consistency-timeout; {poll.reads} reads)"
    )


def _refused(session: Session, write: Exchange, rule: str) -> None:
    """A write that should have succeeded was refused: nothing to read back."""
    session.report(
        f"expected the write to succeed so its effect can be read, got "
        f"{write.status} {write.error_code}",
        write,
        severity="warning",
        pointer="write",
        rule=rule,
    )
    session.inconclusive(f"the write was refused ({write.status}): nothing to read back")


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


def _effect_rule(ctx: CheckContext, effect: Effect) -> str:
    summary = ctx.operation.definition.get("summary")
    said = f"the operation's summary '{summary}' ({ctx.operation.key}); " if summary else ""
    return (
        f"{said}effects table checks/effects.py: {effect.record.removesuffix('_id')}."
        f"{effect.field} {effect.expect} {effect.value}"
    )


def _set_up(
    session: Session, lookup: Lookup, effect: Effect, ident: str, body: Any, expected: Any
) -> bool:
    """Send the effect's setup write and wait until it shows (a removal judged before the
    addition is visible would pass for nothing); False, with a verdict, when it cannot."""
    ctx = session.ctx
    assert effect.setup is not None
    if not _supported(ctx, effect.setup):
        session.not_run(f"{effect.setup} (the setup) is not supported by {ctx.connector}")
        return False
    setup_path = effect.setup.split(" ", 1)[1].replace("{" + effect.record + "}", ident)
    write = _write(session, lookup, setup_path, body, effect.setup)
    if not 200 <= write.status < 300:
        session.inconclusive(f"the setup {effect.setup} was refused ({write.status}): not judged")
        return False
    before = replace(effect, expect=_OPPOSITE.get(effect.expect, effect.expect))
    stem = stem_of(effect.record) or effect.record
    poll = _poll(lookup, stem, ident, lambda r: r is not None and _holds(before, r, expected))
    if poll.shown:
        return True
    if not _settle(session, poll, f"the setup {effect.setup}"):
        session.inconclusive(
            f"the setup {effect.setup} did not show {_waited(session, poll)}: not judged"
        )
    return False


def _check_effect(session: Session, effect: Effect) -> None:
    ctx = session.ctx
    lookup = Lookup(session)
    stem = stem_of(effect.record) or effect.record
    literal = None if effect.value.startswith("body.") else effect.value
    if literal is not None:
        lookup.prefer = lambda record: record.get(effect.field) != literal
    path = lookup.path(ctx.operation)
    if path is None:
        session.inconclusive(f"no {stem} found to write to: not judged")
        return
    target = lookup.chosen[0] if lookup.chosen else {}
    if effect.expect == "equals" and isinstance(target.get(effect.field), str):
        lookup.avoid.add(target[effect.field])  # a move to where it already is proves nothing
    body = base_body(lookup, ctx.operation)
    if body is UNRESOLVED:
        session.inconclusive(f"no ids found to build a {ctx.operation.key} body: not judged")
        return
    ident = path.split("/")[ctx.operation.path.split("/").index("{" + effect.record + "}")]
    rule = _effect_rule(ctx, effect)
    expected = literal if literal is not None else _dig(body, effect.value[len("body.") :])
    if effect.setup and not _set_up(session, lookup, effect, ident, body, expected):
        return
    write = _write(session, lookup, path, body, ctx.operation.key)
    if not 200 <= write.status < 300:
        _refused(session, write, rule)
        return
    poll = _poll(lookup, stem, ident, lambda r: r is not None and _holds(effect, r, expected))
    if _settle(session, poll, f"the {stem}.{effect.field} change"):
        return
    if poll.record is None:
        message = f"expected {stem} {ident!r} to be listed after the write {_waited(session, poll)}"
    else:
        message = (
            f"expected {stem}.{effect.field} to {effect.expect} {expected!r} after "
            f"{ctx.operation.key} {_waited(session, poll)}, got "
            f"{poll.record.get(effect.field)!r:.120}"
        )
    session.report(message, poll.read, pointer=effect.field, rule=rule)


def _check_created(session: Session) -> None:
    ctx = session.ctx
    stem = resource_of(ctx.operation.path)
    list_op = list_operation_for(ctx.contract, stem, ctx.operation.use_case, exact_only=True)
    if list_op is None:
        return  # no list of this resource: nothing to read back
    if not _supported(ctx, list_op.key):
        session.not_run(f"{list_op.key} is not supported by {ctx.connector}: nothing to read")
        return
    lookup = Lookup(session)
    path = lookup.path(ctx.operation)
    body = base_body(lookup, ctx.operation) if path is not None else UNRESOLVED
    if path is None or body is UNRESOLVED:
        session.inconclusive(f"no ids found to build a {ctx.operation.key} request: not judged")
        return
    write = _write(session, lookup, path, body, ctx.operation.key)
    rule = (
        f"the create response's `data.id` names a {stem} of {list_op.key}; "
        f"{rules.FETCHING_DATA}: 'ids: ... Only return objects with these ids'"
    )
    ident = _dig(write.json, "data.id")
    if not 200 <= write.status < 300:
        _refused(session, write, rule)
        return
    if not isinstance(ident, str):
        session.inconclusive("the write answered without a `data.id`: nothing to read back")
        return
    poll = _poll(lookup, stem, ident, lambda record: record is not None)
    if not _settle(session, poll, f"the created {stem}"):
        session.report(
            f"expected the created {stem} {ident!r} in {list_op.key}?ids= "
            f"{_waited(session, poll)}, got nothing",
            poll.read,
            pointer="created",
            rule=rule,
        )


def _creates(ctx: CheckContext) -> bool:
    data = ((ctx.operation.conventions.success_schema or {}).get("properties") or {}).get("data")
    return "id" in ((data or {}).get("properties") or {})


def read_after_write(ctx: CheckContext) -> ProbeResult:
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


def _lock(ctx: CheckContext) -> tuple[str, str, list[str], str] | None:
    """(property, locked-in value, enum, the sentence) of a request property with a lock."""
    schema = ctx.operation.conventions.request_schema or {}
    for name, prop in (schema.get("properties") or {}).items():
        text = str(prop.get("description", ""))
        match = _LOCK.search(text)
        if match and match.group(1) in (prop.get("enum") or []):
            rule = f"prose: '{rules.sentence(text, 'only be')}' (`{name}` of {ctx.operation.key})"
            return name, match.group(1), list(prop["enum"]), rule
    return None


def _judge_locked(session: Session, exchange: Exchange, change: str, rule: str) -> None:
    """A change the lock forbids is refused: a 4xx with a documented code (other codes: a
    warning, the contract does not say which)."""
    if not 400 <= exchange.status < 500:
        session.report(
            f"expected {change} refused with a 4xx, got {exchange.status}",
            exchange,
            pointer=change,
            rule=rule,
        )
    elif exchange.error_code not in allowed_error_codes(session.ctx):
        session.report(
            f"{change}: refused with {exchange.status} {exchange.error_code}, expected an "
            "error.code the operation documents",
            exchange,
            severity=rules.unstated(session.ctx),
            pointer=change,
            rule=rules.not_stated(f"which error code the lock's refusal gets; {rule}"),
        )


def order_status_lock(ctx: CheckContext) -> ProbeResult:
    """A status leaves its locked-in value once, then further changes are refused (4xx)."""
    session = Session(ctx, "order_status_lock")
    lock = _lock(ctx)
    if not session.live or lock is None or not _supported(ctx, ctx.operation.key):
        return session.result()
    name, open_value, values, rule = lock
    lookup = Lookup(session)
    lookup.prefer = lambda record: record.get(name) == open_value
    path = lookup.path(ctx.operation)
    body = base_body(lookup, ctx.operation) if path is not None else UNRESOLVED
    target = lookup.chosen[0] if lookup.chosen else {}
    if path is None or body is UNRESOLVED or target.get(name) != open_value:
        session.inconclusive(f"no record with {name} {open_value} found to write to: not judged")
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
            rule=rule,
        )
        return session.result()
    for value in values:
        if value != final:
            again = session.send(Request(ctx.operation.method, path, body={**body, name: value}))
            _judge_locked(session, again, f"{final}->{value}", rule)
    return session.result()
