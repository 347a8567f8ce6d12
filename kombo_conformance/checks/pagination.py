"""List semantics: following ``next`` terminates, never loops, never repeats a record, and
no page is larger than ``page_size``.

``judge_pages`` evaluates a recorded chain of list pages (first page, then each page
requested with the previous page's ``next`` as ``cursor``) without network; the probes
``pagination`` and ``page_size`` walk live lists and judge their chains the same way.

Budgets: ``pagination`` walks at most ``MAX_PAGES`` pages of ``WALK_SIZE`` and judges the
walked prefix (a longer list is a bounded pass, never an error for its size);
``page_size`` reads one page of 1, ``SMALL_PAGES`` pages of ``SMALL_SIZE`` and one page of
the documented maximum. A page with ``next`` set and fewer records than asked for is a
``warning`` (``error`` with ``--strict``): the contract never promises full pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kombo_conformance.checks import rules
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.finding import finding
from kombo_conformance.checks.session import ProbeResult, Session
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding, Severity

MAX_PAGES = 200
WALK_SIZE = 50  # pagination walks pages of 50: up to 10,000 records within MAX_PAGES
SMALL_SIZE = 7  # a small odd page size ...
SMALL_PAGES = 10  # ... walked for this many pages
LARGEST = 250  # page_size's documented maximum when the schema gives none


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


def where(exchange: Exchange) -> str:
    """``GET /path?filters`` of a list request, without its cursor and page size."""
    query = [
        f"{k}={v[0] if v else ''}"
        for k, v in exchange.query.items()
        if k not in ("cursor", "page_size")
    ]
    return f"{exchange.request.method} {exchange.request.path}" + (
        "?" + "&".join(query) if query else ""
    )


@dataclass(frozen=True)
class Problem:
    """One thing a walk showed to be wrong, with its check, severity and rule source."""

    check: str
    message: str
    exchange: Exchange
    severity: Severity = "error"
    rule: str | None = None


@dataclass
class Walk:
    """What following a chain of pages showed.

    ``complete``: the last page had ``next: null``; ``bounded``: the page budget ran out
    first; ``broken``: the answer that was not a readable page (an error) and stopped it.
    """

    pages: list[Exchange] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    complete: bool = False
    bounded: bool = False
    broken: Exchange | None = None

    @property
    def extent(self) -> str:
        """``12 pages (600 records)``."""
        pages = len(self.pages)
        return f"{pages} page{'s' * (pages != 1)} ({len(self.records):,} records)"

    def stop_reason(self, what: str) -> str | None:
        """Why the walk judged nothing past an error page, or None when it did not stop so."""
        if self.broken is None:
            return None
        return (
            f"{where(self.broken)} answered {self.broken.status} on page "
            f"{len(self.pages) + 1}: {what} not judged"
            + (f" beyond {self.extent}" if self.pages else "")
        )


def _oversized(ctx: CheckContext, exchange: Exchange, size: int, got: int) -> Problem:
    return Problem(
        "page_size",
        f"expected at most {size} records per page (page_size={size}), got {got}",
        exchange,
        rule=rules.parameter(ctx.operation, "page_size", "per page"),
    )


def _repeated(kind: str, message: str, exchange: Exchange) -> Problem:
    return Problem("pagination", message, exchange, rule=rules.NEXT_CURSOR + f" ({kind})")


def judge_chain(
    ctx: CheckContext, chain: Iterator[Exchange], max_pages: int | None = MAX_PAGES
) -> Walk:
    """Follow a chain of page exchanges (lazily, at most ``max_pages``) and note every
    pagination problem; running out of pages is ``bounded``, never a problem."""
    walk = Walk()
    cursors: set[str] = set()
    seen: dict[str, int] = {}
    for index, exchange in enumerate(chain):
        page = page_of(exchange)
        if page is None:
            walk.broken = exchange  # the response checks judge the answer itself
            break
        walk.pages.append(exchange)
        results, next_cursor = page
        size = _requested_size(exchange)
        if size is not None and len(results) > size:
            walk.problems.append(_oversized(ctx, exchange, size, len(results)))
        for record in results:
            ident = _record_id(record)
            if ident is not None and ident in seen:
                message = (
                    f"expected each record once, got {ident!r} again on page {index + 1} "
                    f"(first on page {seen[ident] + 1})"
                )
                walk.problems.append(_repeated("a record on two pages", message, exchange))
                return walk
            if ident is not None:
                seen[ident] = index
            if isinstance(record, dict):
                walk.records.append(record)
        if next_cursor is None:
            walk.complete = True
            break
        if next_cursor in cursors:
            message = (
                f"expected cursors never to repeat, got cursor {str(next_cursor)[:40]!r} a "
                "second time (a loop)"
            )
            walk.problems.append(_repeated("a cursor seen twice", message, exchange))
            return walk
        cursors.add(next_cursor)
        if max_pages is not None and index + 1 >= max_pages:
            walk.bounded = True
            break
    _check_short_pages(ctx, walk)
    return walk


def _check_short_pages(ctx: CheckContext, walk: Walk) -> None:
    """A page with ``next`` set and fewer records than asked for: the contract is silent."""
    short = []
    for exchange in walk.pages:
        page, size = page_of(exchange), _requested_size(exchange)
        if page is not None and page[1] is not None and size is not None and len(page[0]) < size:
            short.append((exchange, size, len(page[0])))
    if not short:
        return
    exchange, size, got = short[0]
    walk.problems.append(
        Problem(
            "page_size",
            f"a page of {got} records with `next` set, fewer than page_size={size} "
            f"(short pages: {len(short)} of {len(walk.pages)} walked)",
            exchange,
            severity=rules.unstated(ctx),
            rule=rules.not_stated(
                "full pages before the last; "
                + rules.parameter(ctx.operation, "page_size", "per page")
                + " promises at most that many"
            ),
        )
    )


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
        finding(ctx, p.check, p.message, p.exchange, severity=p.severity, rule=p.rule)
        for p in walk.problems
        if only is None or p.check == only
    ]


def judge_pages(ctx: CheckContext, exchanges: list[Exchange]) -> list[Finding]:
    """Pagination and page-size findings from recorded list pages of one query, no network.

    Every recorded page is judged, however long the chain (recorded pages cost nothing); a
    chain ending in a cursor that was not recorded is judged as far as it goes.
    """
    return _findings(ctx, judge_chain(ctx, _recorded_chain(exchanges), max_pages=None))


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

    return judge_chain(session.ctx, chain(), max_pages)


def pagination(ctx: CheckContext) -> ProbeResult:
    """Following ``next`` from the first page terminates, without loops or repeats."""
    session = Session(ctx, "pagination")
    if not session.live or not ctx.operation.conventions.is_list:
        return session.result()
    sized = "page_size" in ctx.operation.conventions.query_parameters
    query = {"page_size": WALK_SIZE} if sized else {}
    walk = walk_live(session, ctx.operation.path, **query)
    session.findings += _findings(ctx, walk, "pagination")
    if (reason := walk.stop_reason("the cursor chain")) is not None:
        session.inconclusive(reason)
    elif walk.bounded:
        session.bounded(
            f"walked {walk.extent} without reaching the end: no repeated cursor, no "
            "duplicate id; the rest not judged"
        )
    return session.result()


def largest_page_size(ctx: CheckContext) -> int:
    """``page_size``'s documented maximum (its schema's ``maximum``)."""
    param = ctx.operation.conventions.query_parameters.get("page_size") or {}
    maximum = (param.get("schema") or {}).get("maximum")
    return int(maximum) if isinstance(maximum, int | float) and maximum >= 1 else LARGEST


def page_size(ctx: CheckContext) -> ProbeResult:
    """``page_size`` 1, 7 and the maximum: no page is larger (short pages: a warning)."""
    session = Session(ctx, "page_size")
    conventions = ctx.operation.conventions
    if (
        not session.live
        or not conventions.is_list
        or "page_size" not in conventions.query_parameters
    ):
        return session.result()
    for size, pages in ((1, 1), (SMALL_SIZE, SMALL_PAGES), (largest_page_size(ctx), 1)):
        walk = walk_live(session, ctx.operation.path, max_pages=pages, page_size=size)
        session.findings += _findings(ctx, walk, "page_size")
        if (reason := walk.stop_reason(f"page_size={size}")) is not None:
            session.inconclusive(reason)
        elif walk.bounded and pages > 1:
            session.bounded(f"page_size={size}: walked {walk.extent}, not to the end")
    return session.result()
