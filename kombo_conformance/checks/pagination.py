"""List semantics: following ``next`` terminates, never loops, never repeats a record, and
``page_size`` is honoured.

``judge_pages`` evaluates a recorded chain of list pages (first page, then each page
requested with the previous page's ``next`` as ``cursor``) without network; the probes
``pagination`` and ``page_size`` walk live lists and judge their chains the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.finding import finding
from kombo_conformance.checks.session import Session
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding

MAX_PAGES = 200
PAGE_SIZES = (1, 7, 250)  # the smallest, a small odd size (walked to the end), the largest
WALK_SIZE = 50  # pagination walks pages of 50: up to 10,000 records within MAX_PAGES


def page_of(exchange: Exchange) -> tuple[list[Any], Any] | None:
    """(results, next) of a list page, or None when it is not a readable page."""
    body = exchange.json
    data = body.get("data") if isinstance(body, dict) else None
    if exchange.status != 200 or not isinstance(data, dict):
        return None
    results = data.get("results")
    return (results if isinstance(results, list) else []), data.get("next")


def _record_id(record: Any) -> str | None:
    return record.get("id") if isinstance(record, dict) else None


def _requested_size(exchange: Exchange) -> int | None:
    value = (exchange.query.get("page_size") or [None])[0]
    return int(value) if value is not None and str(value).isdigit() else None


@dataclass
class Walk:
    """What following a chain of pages showed."""

    pages: list[Exchange] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[tuple[str, str, Exchange]] = field(default_factory=list)  # check, msg, ex
    complete: bool = False


def judge_chain(chain: Iterator[Exchange], max_pages: int = MAX_PAGES) -> Walk:
    """Follow a chain of page exchanges (lazily) and note every pagination problem."""
    walk = Walk()
    cursors: set[str] = set()
    seen: dict[str, int] = {}
    for index, exchange in enumerate(chain):
        page = page_of(exchange)
        if page is None:
            return walk  # an error page: the response checks report it
        walk.pages.append(exchange)
        results, next_cursor = page
        size = _requested_size(exchange)
        if size is not None and len(results) > size:
            walk.problems.append(
                (
                    "page_size",
                    f"expected at most {size} records per page, got {len(results)}",
                    exchange,
                )
            )
        for record in results:
            ident = _record_id(record)
            if ident is not None and ident in seen:
                walk.problems.append(
                    (
                        "pagination",
                        f"expected each record once, got {ident!r} again on page "
                        f"{index + 1} (first on page {seen[ident] + 1})",
                        exchange,
                    )
                )
                return walk
            if ident is not None:
                seen[ident] = index
            if isinstance(record, dict):
                walk.records.append(record)
        if next_cursor is None:
            walk.complete = True
            _check_full_pages(walk, size)
            return walk
        if next_cursor in cursors:
            walk.problems.append(
                (
                    "pagination",
                    f"expected cursors never to repeat, got cursor "
                    f"{str(next_cursor)[:40]!r} a second time (a loop)",
                    exchange,
                )
            )
            return walk
        cursors.add(next_cursor)
        if index + 1 >= max_pages:
            walk.problems.append(
                (
                    "pagination",
                    f"expected the cursor chain to end, still going after {max_pages} pages",
                    exchange,
                )
            )
            return walk
    return walk


def _check_full_pages(walk: Walk, size: int | None) -> None:
    """Every page but the last is full when a page size was asked for."""
    if size is None:
        return
    for exchange in walk.pages[:-1]:
        page = page_of(exchange)
        if page is not None and len(page[0]) < size:  # larger ones are reported already
            walk.problems.append(
                (
                    "page_size",
                    f"expected full pages of {size} before the last page, got {len(page[0])}",
                    exchange,
                )
            )
            return


def _recorded_chain(exchanges: list[Exchange]) -> Iterator[Exchange]:
    """The recorded pages in cursor order, starting from the one sent without cursor."""
    by_cursor = {(e.query.get("cursor") or [None])[0]: e for e in exchanges}
    current = by_cursor.get(None)
    while current is not None:
        yield current
        page = page_of(current)
        current = by_cursor.get(page[1]) if page and page[1] is not None else None


def _findings(ctx: CheckContext, walk: Walk, only: str | None = None) -> list[Finding]:
    return [
        finding(ctx, check, message, exchange)
        for check, message, exchange in walk.problems
        if only is None or check == only
    ]


def judge_pages(ctx: CheckContext, exchanges: list[Exchange]) -> list[Finding]:
    """Pagination and page-size findings from recorded list pages of one query, no network.

    A chain ending in a cursor that was not recorded is judged as far as it goes.
    """
    return _findings(ctx, judge_chain(_recorded_chain(exchanges)))


def walk_live(session: Session, path: str, max_pages: int = MAX_PAGES, **query: Any) -> Walk:
    """Request a list and follow its cursors live, at most ``max_pages`` pages."""

    def chain() -> Iterator[Exchange]:
        exchange = session.get(path, **query)
        while True:
            yield exchange
            page = page_of(exchange)
            if page is None or page[1] is None:
                return
            exchange = session.get(path, **query, cursor=page[1])

    return judge_chain(chain(), max_pages)


def pagination(ctx: CheckContext) -> tuple[list[Finding], list[Exchange]]:
    """Following ``next`` from the first page terminates, without loops or repeats."""
    session = Session(ctx, "pagination")
    if not session.live or not ctx.operation.conventions.is_list:
        return session.result()
    sized = "page_size" in ctx.operation.conventions.query_parameters
    query = {"page_size": WALK_SIZE} if sized else {}
    walk = walk_live(session, ctx.operation.path, **query)
    session.findings += _findings(ctx, walk, "pagination")
    return session.result()


def page_size(ctx: CheckContext) -> tuple[list[Finding], list[Exchange]]:
    """``page_size`` 1, 7 and 250: no page is larger; pages of 7 are full except the last."""
    session = Session(ctx, "page_size")
    conventions = ctx.operation.conventions
    if (
        not session.live
        or not conventions.is_list
        or "page_size" not in (conventions.query_parameters)
    ):
        return session.result()
    for size in PAGE_SIZES:
        pages = MAX_PAGES if size == 7 else 1
        walk = walk_live(session, ctx.operation.path, max_pages=pages, page_size=size)
        session.findings += _findings(ctx, walk, "page_size")
    return session.result()
