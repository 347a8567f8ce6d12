"""Filter semantics of list operations, judged on a sample of the listing and on ``ids``
lookups, so that a list of 100,000 records costs the same few requests as one of 100.

Sampling plan: the default listing is read for at most ``SAMPLE_PAGES`` pages of the
largest page size (the sample); a filtered listing for at most ``FILTER_PAGES`` pages.
Filters combine with AND (``rules.FILTERS_AND``), so ``ids=<sample>&<filter>=<value>``
asks whether particular records pass a filter in one request.

- ``ids`` / ``remote_ids``: ``SPREAD`` values taken across the sample: only those records,
  and all of them (error);
- ``updated_after``: a threshold ``T`` taken from the sample's ``changed_at``;
  ``ids=<sampled records changed after T>&updated_after=T`` returns every one of them
  (error); a record changed exactly at ``T`` missing is a warning (error with --strict:
  inclusive or exclusive is not stated); a ``T`` in the future gives an empty first page;
- every other documented filter (``statuses``, ``job_ids``, ``email``, ``name_contains``,
  ...; read by :mod:`filter_fields`): a value taken from the sample; every returned record
  that carries the field matches it, the sampled records that match are returned, and the
  returned records are records of the unfiltered listing (``ids=`` lookup). A filter the
  probe cannot interpret is named in the verdict note as not judged, and so is one the
  integration does not support (an empty listing that ``ignore_unsupported_filters=true``
  turns into an unfiltered one, as that parameter's description allows).
- ``include_deleted`` (probe of its own): no walked default record has the parameter's
  ``x-kombo-deleted-marker`` field (``remote_deleted_at``) set, and the walked default
  records are all returned with ``include_deleted=true``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from kombo_conformance.checks import rules
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.filter_fields import (
    FilterField,
    carried,
    documented,
    interpret,
    matches,
    parse_instant,
    wanted,
)
from kombo_conformance.checks.pagination import Walk, largest_page_size, walk_live
from kombo_conformance.checks.session import ProbeResult, Session
from kombo_conformance.contract.records import deletion_markers, is_deleted
from kombo_conformance.exchange import Exchange

SAMPLE_PAGES = 4  # the sample: at most 4 pages of the largest size (1,000 records)
FILTER_PAGES = 2  # a filtered listing is judged on its first 2 pages
SPREAD = 3  # ids / remote_ids asked for, spread across the sample
AFTER_IDS = 20  # sampled records changed after T looked up with updated_after=T
EQUAL_IDS = 5  # sampled records changed exactly at T looked up too
SOURCE_IDS = 5  # sampled records matching a filter value looked up with that filter
LOOKUP_IDS = 50  # ids per `ids=` lookup (keeps the URL short)
DELETED_LOOKUPS = 4  # include_deleted: at most 4 lookups of LOOKUP_IDS walked ids
FUTURE_DAYS = 1
_CONSTANT = re.compile(r"`([A-Z][A-Z0-9_]*)`")
NOT_A_FILTER = {
    "include_deleted": None,  # judged by the include_deleted probe
    "ignore_unsupported_filters": "used only to tell an unsupported filter from a broken one",
}


def _ids(records: Sequence[dict[str, Any]], key: str = "id") -> list[str]:
    return list(dict.fromkeys(r[key] for r in records if isinstance(r.get(key), str)))


def _spread(items: Sequence[Any], count: int) -> list[Any]:
    """``count`` items evenly spread over ``items`` (first and last included)."""
    if len(items) <= count:
        return list(items)
    if count == 1:
        return [items[0]]
    step = (len(items) - 1) / (count - 1)
    return list(dict.fromkeys(items[round(i * step)] for i in range(count)))


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _read(session: Session, what: str, pages: int = FILTER_PAGES, **query: Any) -> Walk | None:
    """A (filtered) listing, at most ``pages`` pages; None, with the verdict inconclusive,
    when the target answered an error instead of a page."""
    ctx = session.ctx
    walk = walk_live(session, ctx.operation.path, pages, page_size=largest_page_size(ctx), **query)
    reason = walk.stop_reason(what)
    if reason is not None:
        session.inconclusive(reason)
        return None
    return walk


def _sample(session: Session, what: str) -> Walk | None:
    """The first pages of the default listing; None (inconclusive) when nothing to sample."""
    walk = _read(session, what, SAMPLE_PAGES)
    if walk is not None and not walk.records:
        session.inconclusive(f"{session.ctx.operation.key} returned no records: {what} not judged")
        return None
    return walk


def _lookup(
    session: Session, what: str, ids: Sequence[str], **query: Any
) -> tuple[set[str], Exchange] | None:
    """(ids returned, first page) of an ``ids=`` lookup with ``query``; None when it failed."""
    walk = _read(session, what, ids=",".join(ids), **query)
    return None if walk is None else (set(_ids(walk.records)), walk.pages[0])


# -- ids / remote_ids ------------------------------------------------------------------
def _check_id_filter(session: Session, sample: Walk, name: str) -> None:
    key = "id" if name == "ids" else "remote_id"
    asked = _spread(_ids(sample.records, key), SPREAD)
    if not asked:
        session.note(f"not judged: {name} (no `{key}` in the sampled records)")
        return
    walk = _read(session, name, **{name: ",".join(asked)})
    if walk is None:
        return
    got = set(_ids(walk.records, key))
    extra, missing = sorted(got - set(asked)), sorted(set(asked) - got)
    rule = (
        f"{rules.parameter(session.ctx.operation, name)}; {rules.FETCHING_DATA}: "
        f"'{name}: ... Only return objects with these {key.replace('_', ' ')}s'"
    )
    exchange = walk.pages[0]
    if extra:
        session.report(
            f"expected only the records with {name}={','.join(asked)}, got also {len(extra)} "
            f"others (e.g. {extra[0]!r})",
            exchange,
            pointer=name,
            rule=rule,
        )
    if missing:
        session.report(
            f"expected every listed record with {name}={','.join(asked)}, missing {missing}",
            exchange,
            pointer=name,
            rule=rule,
        )


# -- updated_after ---------------------------------------------------------------------
def _threshold(session: Session, stamped: list[tuple[datetime, str, str]]) -> tuple[datetime, str]:
    """A threshold from the sample: the lower median of the distinct ``changed_at`` values
    (sent as the record wrote it when the parameter's pattern allows), or just before the
    only one."""
    distinct = sorted({moment for moment, _, _ in stamped})
    if len(distinct) == 1:
        moment = distinct[0] - timedelta(milliseconds=1)
        return moment, _stamp(moment)
    moment = distinct[(len(distinct) - 1) // 2]
    text = next(raw for m, raw, _ in stamped if m == moment)
    param = session.ctx.operation.conventions.query_parameters.get("updated_after") or {}
    pattern = (param.get("schema") or {}).get("pattern")
    if pattern and not re.search(pattern, text):
        text = _stamp(moment)
    return parse_instant(text) or moment, text


def _after_listing(
    session: Session, available: set[str], asked: list[str], text: str
) -> tuple[Walk, str, str] | None:
    """(listing, how it was asked, extra rule) for ``updated_after=text``: an ``ids=``
    lookup of ``asked`` when the list has that filter, else a bounded walk that must reach
    the end (None, with a bounded note, when it does not)."""
    if "ids" in available:
        walk = _read(session, "updated_after", ids=",".join(asked), updated_after=text)
        how = f"ids=<{len(asked)} sampled ids>&updated_after={text}"
        return (walk, how, "; " + rules.FILTERS_AND) if walk is not None else None
    walk = _read(session, "updated_after", SAMPLE_PAGES, updated_after=text)
    if walk is not None and not walk.complete:
        session.bounded(
            f"updated_after: the filtered listing is longer than {walk.extent} and there is "
            "no ids filter to look records up: completeness not judged"
        )
        return None
    return (walk, f"updated_after={text}", "") if walk is not None else None


def _check_updated_after(session: Session, sample: Walk, available: set[str]) -> None:
    stamped = [
        (moment, str(r["changed_at"]), r["id"])
        for r in sample.records
        if isinstance(r.get("id"), str) and (moment := parse_instant(r.get("changed_at")))
    ]
    if not stamped:
        session.note("not judged: updated_after (no `changed_at` in the sampled records)")
        return
    threshold, text = _threshold(session, stamped)
    after = [ident for moment, _, ident in stamped if moment > threshold]
    equal = [ident for moment, _, ident in stamped if moment == threshold]
    if "ids" in available:
        after, equal = _spread(after, AFTER_IDS), _spread(equal, EQUAL_IDS)
    listing = _after_listing(session, available, after + equal, text)
    if listing is None:
        return
    walk, how, rule_extra = listing
    got = set(_ids(walk.records))
    missing = [i for i in after if i not in got]
    if missing:
        session.report(
            f"{how}: expected every record changed after {text} ({len(after)} sampled), "
            f"missing {len(missing)} (e.g. {missing[0]!r})",
            walk.pages[0],
            pointer="updated_after",
            rule=rules.parameter(session.ctx.operation, "updated_after", "updated since")
            + rule_extra,
        )
    missing_equal = [i for i in equal if i not in got]
    if missing_equal:
        session.report(
            f"{how}: a record changed exactly at {text} is not returned (e.g. "
            f"{missing_equal[0]!r}): the filter is exclusive",
            walk.pages[0],
            severity=rules.unstated(session.ctx),
            pointer="updated_after:equal",
            rule=rules.not_stated(
                "whether a record changed exactly at the timestamp is included; "
                + rules.parameter(session.ctx.operation, "updated_after", "updated since")
                + f"; {rules.FETCHING_DATA} says 'after the given timestamp'"
            ),
        )


def _check_future(session: Session, sample: Walk) -> None:
    """Nothing, nested data included, changed after a moment that has not come yet."""
    stamps = [m for r in sample.records if (m := parse_instant(r.get("changed_at")))]
    now = datetime.now(UTC)
    future = max([now, *stamps]) + timedelta(days=FUTURE_DAYS)
    text = _stamp(future)
    walk = _read(session, "updated_after (future)", 1, updated_after=text)
    if walk is not None and walk.records:
        session.report(
            f"expected no records changed after {text} (a future moment), got "
            f"{len(walk.records)} on the first page",
            walk.pages[0],
            pointer="updated_after:future",
            rule=rules.parameter(session.ctx.operation, "updated_after", "updated since")
            + " (nothing can have been updated after a moment still to come)",
        )


# -- every other documented filter ------------------------------------------------------
def _allowed(session: Session, name: str) -> set[str] | None:
    """The values the contract names for a filter: its schema's enum, or the backticked
    constants its description lists (``a comma-separated list of `OPEN`, `CLOSED```)."""
    param = session.ctx.operation.conventions.query_parameters.get(name) or {}
    enum = (param.get("schema") or {}).get("enum")
    if enum:
        return {str(v) for v in enum}
    named = _CONSTANT.findall(str(param.get("description") or ""))
    return set(named) if len(named) >= 2 else None


def _value_for(
    spec: FilterField, records: list[dict[str, Any]], allowed: set[str] | None
) -> str | None:
    """A filter value from the sample (among ``allowed`` ones) that excludes as much of the
    sample as possible."""
    values = Counter(
        v
        for r in records
        for v in dict.fromkeys(map(str, carried(r, spec.field)))
        if allowed is None or v in allowed
    )
    if not values:
        return None
    rarest = [v for v, _ in sorted(values.items(), key=lambda item: (item[1], item[0]))]
    if spec.mode == "in":
        return ",".join(v for v in rarest[:2] if "," not in v) or None
    if spec.mode == "after":
        moments = sorted({m for v in rarest if (m := parse_instant(v)) is not None})
        return _stamp(moments[(len(moments) - 1) // 2]) if moments else None
    if spec.mode == "contains":
        words = [w for v in rarest for w in v.split() if len(w) >= 3 and w.isalnum()]
        return words[0] if words else None
    return rarest[0]


def _sources(spec: FilterField, records: list[dict[str, Any]], value: str) -> list[str]:
    """Ids of sampled records that must pass ``<filter>=<value>`` however the target reads
    it: exact (case-sensitive) matches only, and for dates strictly after the value."""
    threshold = parse_instant(value) if spec.mode == "after" else None
    names = set(wanted(spec, value))

    def must_pass(found: Any) -> bool:
        if spec.mode == "after":
            moment = parse_instant(found)
            return threshold is not None and moment is not None and moment > threshold
        if spec.mode == "contains":
            return value in str(found)
        return str(found) in names

    return [
        r["id"]
        for r in records
        if isinstance(r.get("id"), str) and any(map(must_pass, carried(r, spec.field)))
    ]


def _unsupported(session: Session, spec: FilterField, value: str, available: set[str]) -> bool:
    """Whether an empty filtered listing is the integration not supporting the filter:
    with ``ignore_unsupported_filters=true`` the filter is then ignored (records that do
    not match come back). The contract allows it: "filters targeting fields not supported
    by this integration will be ignored instead of filtering out all results"."""
    if "ignore_unsupported_filters" not in available:
        return False
    query = {spec.name: value, "ignore_unsupported_filters": "true"}
    walk = _read(session, spec.name, 1, **query)
    return walk is not None and any(matches(spec, r, value) is False for r in walk.records)


def _check_documented(session: Session, sample: Walk, name: str, available: set[str]) -> None:
    op = session.ctx.operation
    spec = interpret(name, op.conventions.record_schema)
    if not documented(op.conventions.record_schema, spec.field):
        session.note(f"not judged: {name} (no field `{spec.field}` in the record schema)")
        return
    value = _value_for(spec, sample.records, _allowed(session, name))
    if value is None:
        session.note(f"not judged: {name} (no value of `{spec.field}` in the sampled records)")
        return
    walk = _read(session, name, **{name: value})
    if walk is None:
        return
    if not walk.records and _unsupported(session, spec, value, available):
        session.note(
            f"not judged: {name} (not supported by this integration: nothing without "
            "ignore_unsupported_filters, ignored with it)"
        )
        return
    rule = rules.parameter(op, name)
    wrong = [r for r in walk.records if matches(spec, r, value) is False]
    if wrong:
        session.report(
            f"{name}={value}: expected only records whose `{spec.field}` matches, got "
            f"{len(wrong)} that do not (e.g. {wrong[0].get('id')!r} with "
            f"{carried(wrong[0], spec.field)[:3]!r})",
            walk.pages[0],
            pointer=name,
            rule=rule,
        )
    if "ids" not in available:
        session.note(f"{name}: judged on its first {walk.extent} only (no ids filter)")
        return
    _check_sources_returned(session, spec, sample, value, rule)
    _check_subset(session, name, value, walk)


def _check_sources_returned(
    session: Session, spec: FilterField, sample: Walk, value: str, rule: str
) -> None:
    """Sampled records that match the value are returned by ``ids=...&<filter>=value``."""
    sources = _spread(_sources(spec, sample.records, value), SOURCE_IDS)
    if not sources:
        return
    found = _lookup(session, spec.name, sources, **{spec.name: value})
    if found is None:
        return
    got, exchange = found
    missing = [i for i in sources if i not in got]
    if missing:
        session.report(
            f"{spec.name}={value}: expected the sampled records whose `{spec.field}` matches "
            f"({len(sources)}) to be returned by ids=...&{spec.name}=..., missing "
            f"{len(missing)} (e.g. {missing[0]!r})",
            exchange,
            pointer=f"{spec.name}:complete",
            rule=f"{rule}; {rules.FILTERS_AND}",
        )


def _check_subset(session: Session, name: str, value: str, walk: Walk) -> None:
    """What a filter returns are records of the unfiltered listing (``ids=`` lookup)."""
    returned = _spread(_ids(walk.records), LOOKUP_IDS)
    if not returned:
        return
    found = _lookup(session, name, returned)
    if found is None:
        return
    got, exchange = found
    missing = [i for i in returned if i not in got]
    if missing:
        session.report(
            f"{name}={value}: expected to return records of the unfiltered listing, got "
            f"{len(missing)} that ids= cannot find there (e.g. {missing[0]!r})",
            exchange,
            pointer=f"{name}:subset",
            rule=f"{rules.FILTERS_AND} (a filter only narrows the listing)",
        )


def filters(ctx: CheckContext) -> ProbeResult:
    """Every documented filter of a list selects what it promises (see the module doc)."""
    session = Session(ctx, "filters")
    if not session.live or not ctx.operation.conventions.is_list:
        return session.result()
    names = [n for n in ctx.operation.conventions.filters if n != "include_deleted"]
    if not names:
        return session.result()
    sample = _sample(session, "filters")
    if sample is None:
        return session.result()
    if not sample.complete:
        session.bounded(f"filters judged on a sample: the first {sample.extent} of the listing")
    available = set(names)
    for name in names:
        if name in NOT_A_FILTER:
            session.note(f"not judged: {name} ({NOT_A_FILTER[name]})")
        elif name in ("ids", "remote_ids"):
            _check_id_filter(session, sample, name)
        elif name == "updated_after":
            _check_updated_after(session, sample, available)
            _check_future(session, sample)
        else:
            _check_documented(session, sample, name, available)
    return session.result()


# -- include_deleted -------------------------------------------------------------------
def _missing_with_deleted(session: Session, ids: list[str]) -> tuple[list[str], Exchange] | None:
    """Ids not returned by ``ids=<chunk>&include_deleted=true`` lookups, and the first page
    that missed one (or the last page); None when a lookup failed."""
    missing: list[str] = []
    shown: Exchange | None = None
    for start in range(0, len(ids), LOOKUP_IDS):
        chunk = ids[start : start + LOOKUP_IDS]
        found = _lookup(session, "include_deleted", chunk, include_deleted="true")
        if found is None:
            return None
        lost = [i for i in chunk if i not in found[0]]
        if shown is None or (lost and not missing):
            shown = found[1]
        missing += lost
    return (missing, shown) if shown is not None else None


def _check_superset(session: Session, sample: Walk, available: set[str]) -> int | None:
    """Walked default ids are returned with include_deleted=true; how many were checked
    (None when it could not be judged)."""
    ids = _ids(sample.records)
    if "ids" in available:
        asked = _spread(ids, LOOKUP_IDS * DELETED_LOOKUPS)
        outcome = _missing_with_deleted(session, asked)
    else:
        walk = _read(session, "include_deleted", SAMPLE_PAGES, include_deleted="true")
        if walk is not None and not (walk.complete and sample.complete):
            session.note("include_deleted=true superset not judged (no ids filter, long list)")
        if walk is None or not (walk.complete and sample.complete):
            return None
        asked, got = ids, set(_ids(walk.records))
        outcome = ([i for i in ids if i not in got], walk.pages[0])
    if outcome is None:
        return None
    missing, exchange = outcome
    if missing:
        session.report(
            f"expected include_deleted=true to return every record of the default listing, "
            f"missing {len(missing)} of {len(asked)} looked up (e.g. {missing[0]!r})",
            exchange,
            pointer="superset",
            rule=rules.parameter(
                session.ctx.operation, "include_deleted", "include deleted entries too"
            ),
        )
    return len(asked)


def include_deleted(ctx: CheckContext) -> ProbeResult:
    """Deleted records are hidden by default and added by ``include_deleted=true``."""
    session = Session(ctx, "include_deleted")
    filters_ = set(ctx.operation.conventions.filters)
    if not session.live or "include_deleted" not in filters_:
        return session.result()
    sample = _sample(session, "include_deleted")
    if sample is None:
        return session.result()
    markers = deletion_markers(ctx.operation)
    leaked = [r for r in sample.records if is_deleted(r, markers)]
    if leaked:
        session.report(
            f"expected no deleted records without include_deleted, got {len(leaked)} with "
            f"{' or '.join(markers)} set (e.g. {leaked[0].get('id')!r})",
            sample.pages[0],
            pointer="default",
            rule=rules.parameter(ctx.operation, "include_deleted", "By default"),
        )
    checked = _check_superset(session, sample, filters_)
    if checked is not None and (not sample.complete or checked < len(sample.records)):
        session.bounded(
            f"walked {sample.extent} of the default listing"
            + ("" if sample.complete else " (not to the end)")
            + f"; {checked} of their ids looked up with include_deleted=true; the rest not judged"
        )
    return session.result()
