"""State probes: writes are visible to reads, and a locked field stays final once it left
its open values (a ``lock`` prose rule declared in ``contracts/errata.yaml``).

``read_after_write``: the effects the write declares (``x-kombo-effects``; what is judged:
checks/effects.py) show on the records read back through their list operations
(``?ids=``); a write without a declaration that answers a ``data.id`` has its record listed
by the list of the same resource (``POST /ats/jobs/{job_id}/applications`` ->
``GET /ats/applications?ids=<id>``). A path record is chosen where the change will show (not
yet the literal set, open under a declared lock). Kombo serves lists from synced copies, so
the read is repeated with backoff (``FIRST_WAIT`` doubling, at most ``MAX_WAIT`` apart) for
up to ``ctx.consistency_timeout`` seconds before it is judged; the verdict note says how
long the change took to show.

``order_status_lock``: for an operation a declared ``lock`` names (``field``, ``open`` values):
on a record whose field is open, a change to a final value F succeeds, then changing it
again (to each other value of the field's enum) is refused as the rule's ``refused_with``
says. Bodies that would break another declared prose rule are not sent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kombo_conformance.checks import rules
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.effects import (
    Expectations,
    answered,
    describe,
    holds,
    judged_fields,
    opposite,
    same,
)
from kombo_conformance.checks.envelopes import declared_refusal
from kombo_conformance.checks.examples import UNRESOLVED, base_body, request_example
from kombo_conformance.checks.lookup import Lookup
from kombo_conformance.checks.session import ProbeResult, Session
from kombo_conformance.contract import Erratum, Operation, prose_rules
from kombo_conformance.contract.effects import MISSING, Change, Const, Effects, Ref, dig, path_names
from kombo_conformance.contract.records import (
    contract_deletion_markers,
    is_deleted,
    list_operation_for,
    resource_of,
)
from kombo_conformance.exchange import Exchange, Request

FIRST_WAIT = 0.25  # seconds before the second read; doubles after each read ...
MAX_WAIT = 2.0  # ... up to this
monotonic = time.monotonic  # module-level so that tests can replace the clock
sleep = time.sleep


def _supported(ctx: CheckContext, key: str) -> bool:
    return ctx.profile is None or ctx.profile.supports(key)


def _covered(ctx: CheckContext, read: str, field: str) -> bool:
    """Whether the connector fills the field in the records of ``read`` (its profile)."""
    return ctx.profile is None or ctx.profile.covers(read, field.split(".")[0])


def _read_back(
    lookup: Lookup, read: Operation, ident: str
) -> tuple[dict[str, Any] | None, Exchange]:
    exchange = lookup.session.get(read.path, ids=ident)
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
    lookup: Lookup, read: Operation, ident: str, shows: Callable[[dict[str, Any] | None], bool]
) -> Poll:
    """Read the record back until ``shows`` holds, the list answers an error, or
    ``consistency_timeout`` has passed (waits of FIRST_WAIT doubling up to MAX_WAIT)."""
    timeout = lookup.ctx.consistency_timeout
    started, wait, reads, missed = monotonic(), FIRST_WAIT, 0, 0.0
    while True:
        record, answer = _read_back(lookup, read, ident)
        reads += 1
        elapsed = monotonic() - started
        if shows(record) or answer.status != 200 or elapsed >= timeout:
            return Poll(record, answer, elapsed, reads, shows(record), missed)
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


def _unreadable(ctx: CheckContext, reads: list[str]) -> str:
    return (
        f"no list found to read the write back: {', '.join(reads)} not supported by {ctx.connector}"
    )


def _rule(ctx: CheckContext, effects: Effects, what: str) -> str:
    summary = ctx.operation.definition.get("summary")
    said = f"the operation's summary '{summary}' ({ctx.operation.key}); " if summary else ""
    return f"{said}{effects.rule}: {what}"


@dataclass
class _Target:
    """A record whose declared changes are judged together, with their expected values."""

    name: str
    read: Operation
    ident: str
    changes: list[tuple[Change, Any]] = field(default_factory=list)

    def shows(self, record: dict[str, Any] | None) -> bool:
        return record is not None and all(holds(c, record, e) for c, e in self.changes)

    @property
    def what(self) -> str:
        return f"the {self.name}.{'/'.join(c.field for c, _ in self.changes)} change"


def _preference(ctx: CheckContext, effects: Effects) -> Callable[[dict[str, Any]], bool] | None:
    """Records to write to first: a path record whose field is not yet the literal a change
    sets, is open under a declared lock, and has the records a ``refs`` ``among`` needs."""
    tests: list[Callable[[dict[str, Any]], bool]] = []
    lock = prose_rules.lock_of(ctx.contract.errata, ctx.operation)
    for change in effects.changes:
        if not isinstance(change, Change) or change.record.root != "path":
            continue
        keys = change.field.split(".")
        if change.how == "equals" and isinstance(change.value, Const):
            tests.append(lambda r, k=keys, v=change.value.value: dig(r, k) != v)
        if lock is not None and lock.lock is not None and lock.lock.field == change.field:
            tests.append(lambda r, k=keys, ok=lock.lock.open: dig(r, k) in ok)
    names = path_names(ctx.operation)
    markers = contract_deletion_markers(ctx.contract)
    for ref in effects.refs:
        among = ref.among
        if among is not None and among.root in names and len(among.keys) == 1:
            tests.append(
                lambda r, f=among.keys[0]: any(not is_deleted(i, markers) for i in r.get(f) or [])
            )
    return (lambda record: all(t(record) for t in tests)) if tests else None


def _path_ids(op: Operation, path: str) -> dict[str, str]:
    parts = path.split("/")
    return {
        name: parts[i]
        for i, segment in enumerate(op.path.split("/"))
        if (name := segment.strip("{}")) in op.conventions.path_parameters
    }


def _ident(change: Change, effects: Effects, body: Any, path_ids: dict[str, str]) -> Any:
    """The id of the record a change is about, as the request names it."""
    if change.record.root == "path":
        return path_ids.get(change.record.keys[0])
    if change.record.root == "body":
        return dig(body, change.record.keys)
    ref = next((r for r in effects.refs if r.name == change.record.root), None)
    return dig(body, ref.ref.keys) if ref is not None else None


def _targets(
    session: Session,
    effects: Effects,
    changes: list[Change],
    expect: Expectations,
    path_ids: dict[str, str],
) -> list[_Target]:
    contract = session.ctx.contract
    found: dict[tuple[str, str], _Target] = {}
    for change in changes:
        ident, expected = _ident(change, effects, expect.body, path_ids), expect.value(change.value)
        if not isinstance(ident, str) or expected is MISSING:
            session.note(f"{describe(change)}: not judged (the request does not say)")
            continue
        target = found.setdefault(
            (change.read, ident), _Target(change.name, contract.operation(change.read), ident)
        )
        target.changes.append((change, expected))
    return list(found.values())


def _set_up(
    session: Session, lookup: Lookup, target: _Target, path_ids: dict[str, str], body: Any
) -> bool:
    """Send the setup writes of the target's changes and wait until they show (a removal
    judged before the addition is visible would pass for nothing); False, with a verdict,
    when it cannot."""
    ctx = session.ctx
    for change, expected in target.changes:
        if change.setup is None:
            continue
        if not _supported(ctx, change.setup):
            session.not_run(f"{change.setup} (the setup) is not supported by {ctx.connector}")
            return False
        setup = ctx.contract.operation(change.setup)
        path = setup.path
        for name, ident in path_ids.items():
            path = path.replace("{" + name + "}", ident)
        write = session.send(Request(setup.method, path, body=body))
        if not 200 <= write.status < 300:
            session.inconclusive(f"the setup {setup.key} was refused ({write.status}): not judged")
            return False
        before = opposite(change)
        poll = _poll(
            lookup,
            target.read,
            target.ident,
            lambda r, c=before, e=expected: r is not None and holds(c, r, e),
        )
        if poll.shown:
            continue
        if not _settle(session, poll, f"the setup {setup.key}"):
            session.inconclusive(
                f"the setup {setup.key} did not show {_waited(session, poll)}: not judged"
            )
        return False
    return True


def _judge(session: Session, lookup: Lookup, effects: Effects, target: _Target) -> None:
    poll = _poll(lookup, target.read, target.ident, target.shows)
    if _settle(session, poll, target.what):
        return
    ctx = session.ctx
    for change, expected in target.changes:
        rule = _rule(ctx, effects, describe(change))
        if poll.record is None:
            message = f"expected {target.name} {target.ident!r} to be listed after the write"
            session.report(
                f"{message} {_waited(session, poll)}", poll.read, pointer=change.field, rule=rule
            )
            return
        if not holds(change, poll.record, expected):
            actual = dig(poll.record, change.field.split("."))
            session.report(
                f"expected {target.name}.{change.field} to {change.how} {expected!r} after "
                f"{ctx.operation.key} {_waited(session, poll)}, got {actual!r:.120}",
                poll.read,
                pointer=change.field,
                rule=rule,
            )


def _judge_created(
    session: Session,
    lookup: Lookup,
    read: Operation,
    write: Exchange,
    expected: list[tuple[str, Any]],
    rule: Callable[[str], str],
) -> None:
    """The record the write answered is listed by ``read`` (``ids=``) with the expected
    field values."""
    stem = resource_of(read.path)
    listed = (
        f"the create response's `data.id` names a {stem} of {read.key}; "
        f"{rules.FETCHING_DATA}: 'ids: ... Only return objects with these ids'"
    )
    ident = dig(write.json, ("data", "id"))
    if not isinstance(ident, str):
        session.inconclusive("the write answered without a `data.id`: nothing to read back")
        return

    def shows(record: dict[str, Any] | None) -> bool:
        return record is not None and all(same(dig(record, [n]), e) for n, e in expected)

    poll = _poll(lookup, read, ident, shows)
    if _settle(session, poll, f"the created {stem}"):
        return
    if poll.record is None:
        session.report(
            f"expected the created {stem} {ident!r} in {read.key}?ids= "
            f"{_waited(session, poll)}, got nothing",
            poll.read,
            pointer="created",
            rule=rule(listed),
        )
        return
    for name, value in expected:
        actual = dig(poll.record, [name])
        if not same(actual, value):
            session.report(
                f"expected the created {stem}.{name} to be {value!r} "
                f"{_waited(session, poll)}, got {actual!r:.120}",
                poll.read,
                pointer=name,
                rule=rule(f"{stem}.{name} as declared"),
            )


def _check_declared(session: Session, effects: Effects) -> None:
    ctx = session.ctx
    op = ctx.operation
    created = answered(effects)
    if created is not None and not ctx.contract.operation(created.read).conventions.is_list:
        created = None  # not readable by id
    changes = []
    for change in (c for c in effects.changes if isinstance(c, Change)):
        if _covered(ctx, change.read, change.field):
            changes.append(change)
        else:
            session.note(f"{describe(change)}: not judged ({ctx.connector} has no such field)")
    if not changes and created is None:
        return
    reads = sorted({c.read for c in changes} | ({created.read} if created else set()))
    if unsupported := [r for r in reads if not _supported(ctx, r)]:
        session.not_run(_unreadable(ctx, unsupported))
        return
    lookup = Lookup(session)
    lookup.prefer = _preference(ctx, effects)
    path = lookup.path(op)
    if path is None:
        session.inconclusive(f"no record found to write to with {op.key}: not judged")
        return
    path_ids = _path_ids(op, path)
    names: dict[str, Any] = {
        name: next((r for r in lookup.chosen if r.get("id") == path_ids.get(param)), None)
        for name, param in path_names(op).items()
    }
    for change in changes:  # a move to where it already is proves nothing
        current = dig(names.get(change.name), change.field.split("."))
        if (
            change.record.root == "path"
            and isinstance(change.value, Ref)
            and isinstance(current, str)
        ):
            lookup.avoid.add(current)
    body = base_body(lookup, op)
    if body is UNRESOLVED:
        session.inconclusive(f"no ids found to build a {op.key} body: not judged")
        return
    for ref in effects.refs:
        ident = dig(body, ref.ref.keys)
        names[ref.name] = lookup.record(ref.name, ident) if isinstance(ident, str) else None
    expect = Expectations(body, path_ids, names)
    targets = _targets(session, effects, changes, expect, path_ids)
    if not targets and created is None:
        session.inconclusive("no declared value found in the request sent: not judged")
        return
    if not all(_set_up(session, lookup, t, path_ids, body) for t in targets):
        return
    write = session.send(Request(op.method, path, body=body))
    if not 200 <= write.status < 300:
        what = "; ".join(describe(c) for c in changes) or f"creates a record of {reads[0]}"
        _refused(session, write, _rule(ctx, effects, what))
        return
    if created is not None:
        expected = [(n, expect.value(v)) for n, v in judged_fields(created)]
        scalars = [
            (n, e)
            for n, e in expected
            if e is not MISSING
            and not isinstance(e, dict | list)
            and _covered(ctx, created.read, n)
        ]
        read = ctx.contract.operation(created.read)
        _judge_created(
            session, lookup, read, write, scalars, lambda what: _rule(ctx, effects, what)
        )
    for target in targets:
        _judge(session, lookup, effects, target)


def _check_created(session: Session) -> None:
    """No declared effects, but the write answers a record's ``data.id``: the list
    operation of the same resource lists it."""
    ctx = session.ctx
    stem = resource_of(ctx.operation.path)
    list_op = list_operation_for(ctx.contract, stem, ctx.operation.use_case, exact_only=True)
    if list_op is None:
        return  # no list of this resource: nothing to read back
    if not _supported(ctx, list_op.key):
        session.not_run(_unreadable(ctx, [list_op.key]))
        return
    lookup = Lookup(session)
    path = lookup.path(ctx.operation)
    body = base_body(lookup, ctx.operation) if path is not None else UNRESOLVED
    if path is None or body is UNRESOLVED:
        session.inconclusive(f"no ids found to build a {ctx.operation.key} request: not judged")
        return
    write = session.send(Request(ctx.operation.method, path, body=body))
    if not 200 <= write.status < 300:
        _refused(session, write, f"the create response's `data.id` of {ctx.operation.key}")
        return
    _judge_created(session, lookup, list_op, write, [], lambda what: what)


def _creates(ctx: CheckContext) -> bool:
    data = ((ctx.operation.conventions.success_schema or {}).get("properties") or {}).get("data")
    return "id" in ((data or {}).get("properties") or {})


def read_after_write(ctx: CheckContext) -> ProbeResult:
    """A write's declared effects (``x-kombo-effects``) show on the records read back; an
    undeclared write answering a ``data.id`` has its record listed."""
    session = Session(ctx, "read_after_write")
    if not session.live or ctx.operation.method == "GET" or not _supported(ctx, ctx.operation.key):
        return session.result()
    declared = ctx.contract.effects.get(ctx.operation.key)
    if declared is not None:
        _check_declared(session, declared)
    elif ctx.operation.conventions.kind == "action" and _creates(ctx):
        _check_created(session)
    return session.result()


def _lock(ctx: CheckContext) -> tuple[Erratum, list[Any]] | None:
    """The lock declared on the operation and the values its field may take (its enum,
    else the open values and the example's)."""
    rule = prose_rules.lock_of(ctx.contract.errata, ctx.operation)
    if rule is None or rule.lock is None:
        return None
    schema = ctx.operation.conventions.request_schema or {}
    prop = (schema.get("properties") or {}).get(rule.lock.field) or {}
    example = request_example(ctx.operation) or {}
    values = list(prop.get("enum") or [*rule.lock.open, example.get(rule.lock.field)])
    return rule, [v for v in dict.fromkeys(values) if v is not None]


def _judge_locked(session: Session, exchange: Exchange, change: str, lock: Erratum) -> None:
    """A change the lock forbids is refused as its ``refused_with`` says (a non-4xx is an
    error; another 4xx status or code a warning: Kombo does not say which)."""
    allowed = lock.refused_with
    rule = lock.cite()
    if not 400 <= exchange.status < 500:
        session.report(
            f"expected {change} refused with a 4xx, got {exchange.status}",
            exchange,
            pointer=change,
            rule=rule,
        )
    elif not declared_refusal(session.ctx, allowed, exchange):
        session.report(
            f"{change}: refused with {exchange.status} {exchange.error_code}, expected a "
            "refusal its refused_with declares (status and error.code)",
            exchange,
            severity=rules.unstated(session.ctx),
            pointer=change,
            rule=rules.not_stated(
                f"which answer the lock's refusal gets (refused_with declared in "
                f"contracts/errata.yaml); {rule}"
            ),
        )


def order_status_lock(ctx: CheckContext) -> ProbeResult:
    """A locked field leaves its open value once, then further changes are refused."""
    session = Session(ctx, "order_status_lock")
    lock = _lock(ctx)
    if not session.live or lock is None or not _supported(ctx, ctx.operation.key):
        return session.result()
    rule, values = lock
    assert rule.lock is not None
    name, open_values = rule.lock.field, rule.lock.open
    lookup = Lookup(session)
    lookup.prefer = lambda record: record.get(name) in open_values
    path = lookup.path(ctx.operation)
    body = base_body(lookup, ctx.operation) if path is not None else UNRESOLVED
    target = lookup.chosen[0] if lookup.chosen else {}
    if path is None or body is UNRESOLVED or target.get(name) not in open_values:
        session.inconclusive(
            f"no record with {name} in {list(open_values)} found to write to: not judged"
        )
        return session.result()
    found = prose_rules.sites(ctx.contract, ctx.operation)

    def honours_rules(candidate: Any) -> bool:  # else a refusal would prove nothing
        return not prose_rules.violations(found, candidate)

    example = request_example(ctx.operation) or {}
    finals = [example.get(name), *values]
    final = next(
        (v for v in finals if v is not None and v not in open_values
         and honours_rules({**body, name: v})),
        None,
    )  # fmt: skip
    if final is None:
        session.inconclusive(f"no final {name} value gives a body honouring the prose rules")
        return session.result()
    opened = target[name]
    first = session.send(Request(ctx.operation.method, path, body={**body, name: final}))
    if not 200 <= first.status < 300:
        session.report(
            f"expected {name} {opened} -> {final} to succeed, got "
            f"{first.status} {first.error_code}",
            first,
            pointer=f"{opened}->{final}",
            rule=rule.cite(),
        )
        return session.result()
    for value in values:
        if value == final:
            continue
        again = {**body, name: value}
        if not honours_rules(again):
            session.note(f"{final}->{value}: the body would break a prose rule: not sent")
            continue
        sent = session.send(Request(ctx.operation.method, path, body=again))
        _judge_locked(session, sent, f"{final}->{value}", rule)
    return session.result()
