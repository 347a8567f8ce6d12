"""Replay: pagination judged from recorded pages, and the registries."""

from __future__ import annotations

import json

import pytest

from kombo_conformance.checks import PROBES, RESPONSE_CHECKS, judge_pages, select
from kombo_conformance.contract import Contract
from kombo_conformance.errors import UsageError
from kombo_conformance.exchange import Exchange, Request
from tests.checks.factory import BASE, context, list_body

OP = "GET /ats/tags"


def page(cursor: str | None, ids: list[str], next_cursor: str | None, size: int = 2) -> Exchange:
    query = {"page_size": str(size)} | ({"cursor": cursor} if cursor else {})
    url = BASE + "/ats/tags?" + "&".join(f"{k}={v}" for k, v in query.items())
    body = list_body([{"id": i} for i in ids], next_cursor)
    return Exchange(
        Request("GET", "/ats/tags", query), url, 200, {}, json.dumps(body).encode(), operation=OP
    )


def test_a_correct_chain_passes(contract: Contract) -> None:
    pages = [page(None, ["a", "b"], "c1"), page("c1", ["c", "d"], "c2"), page("c2", ["e"], None)]
    assert judge_pages(context(contract, OP), list(reversed(pages))) == []


@pytest.mark.parametrize(
    ("pages", "check", "expected"),
    [
        ([page(None, ["a", "b"], "c1"), page("c1", ["b", "c"], None)], "pagination", "again"),
        ([page(None, ["a", "b"], "c1"), page("c1", ["c", "d"], "c1")], "pagination", "loop"),
        ([page(None, ["a", "b", "c"], "c1"), page("c1", ["d"], None)], "page_size", "at most 2"),
    ],
)
def test_defects_in_recorded_pages(contract: Contract, pages, check, expected) -> None:
    findings = judge_pages(context(contract, OP), pages)
    assert [f.check for f in findings] == [check]
    assert expected in findings[0].message
    assert findings[0].severity == "error" and findings[0].rule


def test_select_filters_by_public_name() -> None:
    responses, probes = select(["status_code", "auth"])
    assert list(responses) == ["status_code"] and list(probes) == ["auth"]
    assert select(None) == (RESPONSE_CHECKS, PROBES)
    with pytest.raises(UsageError, match="nope"):
        select(["nope"])


def test_probes_do_nothing_without_send(contract: Contract) -> None:
    ctx = context(contract, OP)
    assert ctx.send is None
    for probe in PROBES.values():
        result = probe(ctx)
        assert (result.findings, result.exchanges, result.verdict) == ([], [], "not applicable")
