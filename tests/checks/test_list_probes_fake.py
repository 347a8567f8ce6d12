"""pagination, page_size, filters and include_deleted against stand-in lists: only the
contract's rules are errors, a long list is a bounded pass, an error page is inconclusive."""

from __future__ import annotations

from kombo_conformance.checks import PROBES, judge_pages
from kombo_conformance.checks.pagination import MAX_PAGES, WALK_SIZE
from kombo_conformance.contract import Contract
from kombo_conformance.exchange import Request
from tests.checks.factory import context
from tests.checks.fakes import FakeList, fake_context, reply


def errors(result) -> list[str]:
    return [f.message for f in result.findings if f.severity == "error"]


# -- pagination -----------------------------------------------------------------------
def test_sixty_thousand_records_are_a_bounded_pass(contract: Contract) -> None:
    fake = FakeList(total=60_000)
    result = PROBES["pagination"](fake_context(contract, fake))
    assert result.findings == []
    assert (result.verdict, result.bounded) == ("passed", True)
    assert len(result.exchanges) == MAX_PAGES
    records = f"{MAX_PAGES * WALK_SIZE:,} records"
    assert f"walked {MAX_PAGES} pages ({records}) without reaching the end" in result.note
    assert "no repeated cursor, no duplicate id; the rest not judged" in result.note


def test_a_short_list_is_walked_to_the_end(contract: Contract) -> None:
    result = PROBES["pagination"](fake_context(contract, FakeList(total=120)))
    assert (result.findings, result.verdict, result.bounded) == ([], "passed", False)
    assert len(result.exchanges) == 3


def test_an_error_page_makes_pagination_inconclusive(contract: Contract) -> None:
    result = PROBES["pagination"](fake_context(contract, FakeList(total=500, fail_page=3)))
    assert result.findings == []
    assert result.verdict == "inconclusive"
    assert "answered 500 on page 3" in result.note
    assert "beyond 2 pages (100 records)" in result.note


def test_a_long_recorded_chain_is_judged_without_error(contract: Contract) -> None:
    fake = FakeList(operation="GET /ats/tags", total=700)
    chain = [fake.send(Request("GET", "/ats/tags", {"page_size": "2"}))]
    while (cursor := chain[-1].json["data"]["next"]) is not None:
        chain.append(fake.send(Request("GET", "/ats/tags", {"page_size": "2", "cursor": cursor})))
    assert len(chain) == 350 > MAX_PAGES
    assert judge_pages(context(contract, "GET /ats/tags"), chain) == []


# -- page_size ------------------------------------------------------------------------
def test_short_pages_with_next_are_a_warning_not_an_error(contract: Contract) -> None:
    result = PROBES["page_size"](fake_context(contract, FakeList(total=500, short_every=2)))
    assert errors(result) == []
    (short,) = result.findings
    assert short.severity == "warning" and short.check == "page_size"
    assert "fewer than page_size=7" in short.message
    assert short.rule.startswith("not stated in the contract: full pages")
    assert result.verdict == "passed"
    assert "page_size=7: walked 10 pages" in result.note


def test_short_pages_are_an_error_when_strict(contract: Contract) -> None:
    fake = FakeList(total=500, short_every=2)
    result = PROBES["page_size"](fake_context(contract, fake, strict=True))
    assert [f.severity for f in result.findings] == ["error"]


def test_a_short_page_in_a_recording_is_a_warning(contract: Contract) -> None:
    fake = FakeList(operation="GET /ats/tags", total=10, short_every=1)
    first = fake.send(Request("GET", "/ats/tags", {"page_size": "3"}))
    cursor = first.json["data"]["next"]
    second = fake.send(Request("GET", "/ats/tags", {"page_size": "3", "cursor": cursor}))
    (short,) = judge_pages(context(contract, "GET /ats/tags"), [first, second])
    assert (short.check, short.severity) == ("page_size", "warning")


def test_the_sizes_asked_for(contract: Contract) -> None:
    fake = FakeList(total=5_000)
    PROBES["page_size"](fake_context(contract, fake))
    sizes = [r.query["page_size"] for r in fake.requests]
    assert sizes == ["1", *["7"] * 10, "250"]


# -- filters --------------------------------------------------------------------------
def test_a_correct_list_gives_no_finding_and_names_what_it_did_not_judge(
    contract: Contract,
) -> None:
    result = PROBES["filters"](fake_context(contract, FakeList(total=2_000)))
    assert result.findings == []
    assert result.verdict == "passed" and result.bounded
    assert "filters judged on a sample: the first 4 pages (1,000 records)" in result.note
    assert "not judged: created_after (no field `created_at` in the record schema)" in result.note
    asked = {name for r in result.exchanges for name in r.request.query}
    assert {"ids", "statuses"} <= asked


def test_exclusive_updated_after_is_a_warning_not_an_error(contract: Contract) -> None:
    fake = FakeList(operation="GET /ats/tags", total=600, inclusive=False)
    result = PROBES["filters"](fake_context(contract, fake))
    assert errors(result) == []
    (equal,) = result.findings
    assert (equal.severity, equal.pointer) == ("warning", "updated_after:equal")
    assert "not stated in the contract" in equal.rule and "updated since" in equal.rule
    strict = PROBES["filters"](fake_context(contract, fake, strict=True))
    assert [f.pointer for f in strict.findings if f.severity == "error"] == ["updated_after:equal"]


def test_updated_after_judges_sampled_records_through_an_ids_lookup(contract: Contract) -> None:
    fake = FakeList(operation="GET /ats/tags", total=60_000)
    result = PROBES["filters"](fake_context(contract, fake))
    assert result.findings == []
    combined = [r.query for r in fake.requests if {"ids", "updated_after"} <= set(r.query)]
    assert len(combined) == 1 and len(combined[0]["ids"].split(",")) > 1
    assert len(fake.requests) < 20


def test_a_list_ignoring_updated_after_is_an_error(contract: Contract) -> None:
    fake = FakeList(operation="GET /ats/tags", total=300, ignore=frozenset({"updated_after"}))
    result = PROBES["filters"](fake_context(contract, fake))
    assert "updated_after:future" in {f.pointer for f in result.findings if f.severity == "error"}


def test_a_list_ignoring_statuses_is_an_error(contract: Contract) -> None:
    fake = FakeList(total=400, ignore=frozenset({"statuses"}))
    result = PROBES["filters"](fake_context(contract, fake))
    (wrong,) = [f for f in result.findings if f.severity == "error"]
    assert wrong.pointer == "statuses"
    assert "expected only records whose `status` matches" in wrong.message
    assert wrong.rule.startswith("query parameter `statuses` of GET /assessment/orders")


def test_a_list_ignoring_ids_is_an_error(contract: Contract) -> None:
    fake = FakeList(total=400, ignore=frozenset({"ids"}))
    result = PROBES["filters"](fake_context(contract, fake))
    assert "ids" in {f.pointer for f in result.findings if f.severity == "error"}


def test_a_filter_the_integration_does_not_support_is_named_not_judged(
    contract: Contract,
) -> None:
    fake = FakeList(operation="GET /ats/jobs", total=300, unsupported=frozenset({"statuses"}))
    result = PROBES["filters"](fake_context(contract, fake))
    assert result.findings == [] and result.verdict == "passed"
    assert "not judged: statuses (not supported by this integration" in result.note


def test_a_filter_that_always_answers_nothing_is_an_error(contract: Contract) -> None:
    class Empty(FakeList):
        def _keeps(self, record, query):
            return "statuses" not in query and super()._keeps(record, query)

    result = PROBES["filters"](fake_context(contract, Empty(operation="GET /ats/jobs", total=300)))
    (missing,) = [f for f in result.findings if f.severity == "error"]
    assert missing.pointer == "statuses:complete"
    assert "Kombo docs: Fetching data" in missing.rule


def test_an_error_on_a_filtered_listing_is_inconclusive(contract: Contract) -> None:
    class Refusing(FakeList):
        def send(self, request: Request):
            if "statuses" in request.query:
                return reply(request, 400, {"status": "error"}, self.operation)
            return super().send(request)

    result = PROBES["filters"](fake_context(contract, Refusing(total=100)))
    assert result.verdict == "inconclusive"
    assert "GET /assessment/orders?statuses=" in result.note
    assert "answered 400 on page 1: statuses not judged" in result.note


def test_an_empty_list_is_inconclusive(contract: Contract) -> None:
    result = PROBES["filters"](fake_context(contract, FakeList(total=0)))
    assert result.verdict == "inconclusive"
    assert "returned no records: filters not judged" in result.note


# -- include_deleted ------------------------------------------------------------------
def test_include_deleted_on_a_long_list_is_bounded(contract: Contract) -> None:
    fake = FakeList(operation="GET /ats/tags", total=60_000, deleted_every=7)
    result = PROBES["include_deleted"](fake_context(contract, fake))
    assert result.findings == []
    assert (result.verdict, result.bounded) == ("passed", True)
    assert "of the default listing (not to the end)" in result.note
    assert "200 of their ids looked up with include_deleted=true" in result.note


def test_a_leak_of_deleted_records_is_an_error(contract: Contract) -> None:
    fake = FakeList(operation="GET /ats/tags", total=300, deleted_every=5, leak_deleted=True)
    result = PROBES["include_deleted"](fake_context(contract, fake))
    (leak,) = result.findings
    assert (leak.severity, leak.pointer) == ("error", "default")
    assert "By default, deleted entries are not returned." in leak.rule
