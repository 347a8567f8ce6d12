"""Filter semantics of list operations, judged against the unfiltered listing.

- ``ids`` / ``remote_ids``: exactly the records asked for that exist (two taken from the
  first page): no others, none missing;
- ``updated_after``: every record whose ``changed_at`` is at or after ``t`` in the full
  listing is in the filtered listing (extra records are fine: Kombo also returns records
  whose nested data changed); and with ``t`` a day after both the latest ``changed_at`` and
  the local clock, nothing can have changed since, so the listing is empty;
- ``include_deleted`` (probe of its own): without it no record has ``remote_deleted_at``
  set; with ``true`` the listing is a superset of the default one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.pagination import walk_live
from kombo_conformance.checks.session import Session
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding

SAMPLE = 2
FUTURE_DAYS = 1
WALK_PAGES = 20  # listings compared in full are read with pages of 250: 5,000 records


def _ids(records: list[dict[str, Any]], key: str = "id") -> list[str]:
    return [r[key] for r in records if isinstance(r.get(key), str)]


def _instant(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _listing(session: Session, **query: Any) -> tuple[list[dict[str, Any]], Exchange] | None:
    walk = walk_live(session, session.ctx.operation.path, WALK_PAGES, page_size=250, **query)
    if not walk.complete or not walk.pages:
        return None  # pagination problems are the pagination probe's findings
    return walk.records, walk.pages[0]


def _check_id_filter(session: Session, records: list[dict[str, Any]], name: str) -> None:
    key = "id" if name == "ids" else "remote_id"
    wanted = list(dict.fromkeys(_ids(records, key)))[:SAMPLE]
    if not wanted:
        return
    got = _listing(session, **{name: ",".join(wanted)})
    if got is None:
        return
    found, exchange = got
    values = set(_ids(found, key))
    extra, missing = sorted(values - set(wanted)), sorted(set(wanted) - values)
    if extra:
        session.report(
            f"expected only the records with {name}={','.join(wanted)}, got also {len(extra)} "
            f"others (e.g. {extra[0]!r})",
            exchange,
            pointer=name,
        )
    if missing:
        session.report(
            f"expected every existing record with {name}={','.join(wanted)}, missing {missing}",
            exchange,
            pointer=name,
        )


def _check_updated_after(session: Session, records: list[dict[str, Any]]) -> None:
    stamps = sorted(s for r in records if (s := _instant(r.get("changed_at"))) is not None)
    if len(stamps) < 2:
        return
    threshold = stamps[len(stamps) // 2]
    text = threshold.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    expected = {
        r["id"]
        for r in records
        if (s := _instant(r.get("changed_at"))) is not None and s >= threshold and "id" in r
    }
    got = _listing(session, updated_after=text)
    if got is None:
        return
    found, exchange = got
    missing = sorted(expected - set(_ids(found)))
    if missing:
        session.report(
            f"expected every record changed at or after {text} ({len(expected)}), missing "
            f"{len(missing)} (e.g. {missing[0]!r})",
            exchange,
            pointer="updated_after",
        )


def _check_future(session: Session, records: list[dict[str, Any]]) -> None:
    """Nothing, nested data included, changed after a moment that has not come yet."""
    latest = max((s for r in records if (s := _instant(r.get("changed_at")))), default=None)
    now = datetime.now(UTC)
    future = max(now, latest or now) + timedelta(days=FUTURE_DAYS)
    text = future.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    got = _listing(session, updated_after=text)
    if got is not None and got[0]:
        session.report(
            f"expected no records changed after {text} (a future moment), got {len(got[0])}",
            got[1],
            pointer="updated_after:future",
        )


def filters(ctx: CheckContext) -> tuple[list[Finding], list[Exchange]]:
    """``ids``, ``remote_ids`` and ``updated_after`` select what they promise."""
    session = Session(ctx, "filters")
    available = set(ctx.operation.conventions.filters)
    if not session.live or not ctx.operation.conventions.is_list:
        return session.result()
    if not available & {"ids", "remote_ids", "updated_after"}:
        return session.result()
    full = _listing(session)
    if full is None:
        return session.result()
    records = full[0]
    for name in ("ids", "remote_ids"):
        if name in available:
            _check_id_filter(session, records, name)
    if "updated_after" in available:
        _check_updated_after(session, records)
        _check_future(session, records)
    return session.result()


def include_deleted(ctx: CheckContext) -> tuple[list[Finding], list[Exchange]]:
    """Deleted records are hidden by default and added by ``include_deleted=true``."""
    session = Session(ctx, "include_deleted")
    if not session.live or "include_deleted" not in ctx.operation.conventions.filters:
        return session.result()
    default = _listing(session)
    with_deleted = _listing(session, include_deleted="true")
    if default is None or with_deleted is None:
        return session.result()
    leaked = [r for r in default[0] if r.get("remote_deleted_at")]
    if leaked:
        session.report(
            f"expected no deleted records without include_deleted, got {len(leaked)} with "
            f"remote_deleted_at set (e.g. {leaked[0].get('id')!r})",
            default[1],
            pointer="default",
        )
    missing = sorted(set(_ids(default[0])) - set(_ids(with_deleted[0])))
    if missing:
        session.report(
            f"expected include_deleted=true to list a superset of the default listing, "
            f"missing {len(missing)} (e.g. {missing[0]!r})",
            with_deleted[1],
            pointer="superset",
        )
    return session.result()
