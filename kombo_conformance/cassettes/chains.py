"""Page chains in recorded list pages: each first page and the pages that followed its ``next``.

A chain starts at every readable page requested without ``cursor`` (several first pages of
the same query are several chains) and follows ``next`` to the page requested with that
cursor, within one cassette and one query (the query without its cursor). Where a cursor
was recorded more than once, a chain takes the first unused page recorded after its own,
so chains recorded one after the other stay apart. What a chain cannot reach is said, never
skipped: a ``next`` whose page was not recorded, a page answered with an error, and pages
requested with a cursor that no recorded page returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kombo_conformance.checks.pagination import page_of
from kombo_conformance.exchange import Exchange

QueryKey = tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]


@dataclass(frozen=True)
class NotJudged:
    """Something recorded that replay could not judge (fully), and why."""

    source: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason}


@dataclass(frozen=True)
class Chain:
    """The pages of one chain in order; ``gap`` says why it stops short of a last page."""

    pages: list[Exchange]
    gap: NotJudged | None = None


def _cursor(exchange: Exchange) -> str | None:
    return (exchange.query.get("cursor") or [None])[0]


def _query_key(exchange: Exchange) -> QueryKey:
    """(cassette, query without cursor): the pages of one chain share it."""
    cassette = (exchange.source or "").rsplit("#", 1)[0]
    query = tuple(sorted((k, tuple(v)) for k, v in exchange.query.items() if k != "cursor"))
    return cassette, query


def _pick(candidates: list[int], after: int, used: set[int]) -> int:
    """The page to follow with: unused and recorded after ``after`` first, then unused."""
    return min(candidates, key=lambda i: (i in used, i < after, i))


def _label(exchange: Exchange) -> str:
    return exchange.source or exchange.url


def _follow(
    first: int, pages: list[Exchange], by_cursor: dict[str, list[int]], used: set[int]
) -> Chain:
    """The chain from the first page at index ``first``, marking the pages it takes."""
    chain, seen, current = [pages[first]], set[str](), first
    while (page := page_of(pages[current])) is not None and page[1] is not None:
        cursor = page[1]
        if cursor in seen:  # a loop: judge_pages reports it
            break
        seen.add(cursor)
        if cursor not in by_cursor:
            reason = (
                f"page chain judged for {len(chain)} page(s): the page for the `next` cursor "
                f"{str(cursor)[:40]!r} of page {len(chain)} was not recorded; the rest not judged"
            )
            return Chain(chain, NotJudged(_label(pages[first]), reason))
        current = _pick(by_cursor[cursor], current, used)
        used.add(current)
        chain.append(pages[current])
    if page_of(pages[current]) is None:
        reason = (
            f"page chain judged for {len(chain) - 1} page(s): page {len(chain)} "
            f"({_label(pages[current])}) answered {pages[current].status}; the rest not judged"
        )
        return Chain(chain, NotJudged(_label(pages[first]), reason))
    return Chain(chain)


def _query_chains(pages: list[Exchange]) -> tuple[list[Chain], list[NotJudged]]:
    """The chains of one query's recorded requests (in recorded order), and orphan pages."""
    by_cursor: dict[str, list[int]] = {}
    for index, exchange in enumerate(pages):
        if (cursor := _cursor(exchange)) is not None:
            by_cursor.setdefault(cursor, []).append(index)
    used: set[int] = set()
    chains = [
        _follow(index, pages, by_cursor, used)
        for index, exchange in enumerate(pages)
        if _cursor(exchange) is None and page_of(exchange) is not None
    ]
    orphans = [
        NotJudged(
            _label(exchange),
            f"a page requested with cursor {str(_cursor(exchange))[:40]!r} that no recorded "
            "page returned as `next` (its earlier pages were not recorded): pagination not "
            "judged on it",
        )
        for index, exchange in enumerate(pages)
        if _cursor(exchange) is not None and index not in used and page_of(exchange) is not None
    ]
    return chains, orphans


def recorded_chains(exchanges: Iterable[Exchange]) -> tuple[list[Chain], list[NotJudged]]:
    """Every chain the recorded GET requests hold, and the recorded pages none reaches."""
    groups: dict[QueryKey, list[Exchange]] = {}
    for exchange in exchanges:
        if exchange.request.method == "GET":
            groups.setdefault(_query_key(exchange), []).append(exchange)
    chains: list[Chain] = []
    orphans: list[NotJudged] = []
    for pages in groups.values():
        found, lost = _query_chains(pages)
        chains += found
        orphans += lost
    return chains, orphans


def gaps(chains: Sequence[Chain]) -> list[NotJudged]:
    """Why each chain that stops short stops."""
    return [chain.gap for chain in chains if chain.gap is not None]
