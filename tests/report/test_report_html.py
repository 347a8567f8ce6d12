"""report.html: self-contained, escaped, filterable, status written as text; verdicts,
unjudged cases with reasons, bounded passes, changed records and rules shown."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from kombo_conformance.findings import Case, Finding, Outcome
from kombo_conformance.report.html import render
from kombo_conformance.report.safe import redact_outcome
from tests.report.conftest import SCHEMA_RULE, STOPPED

VOID = {"meta", "br", "hr", "img", "input", "link"}


class _Tags(HTMLParser):
    """Collects tags and checks that every non-void element is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag


def _page(outcome: Outcome) -> tuple[str, _Tags]:
    safe, redactor = redact_outcome(outcome)
    text = redactor.text(render(safe))
    parser = _Tags()
    parser.feed(text)
    parser.close()
    assert parser.stack == []
    return text, parser


def test_finding_markup_is_escaped(outcome: Outcome) -> None:
    text, tags = _page(outcome)
    assert [t for t, _ in tags.seen].count("script") == 1  # only the page's own filter script
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in text


def test_self_contained_without_external_urls(outcome: Outcome) -> None:
    text, tags = _page(outcome)
    assert not [t for t, _ in tags.seen if t == "link"]
    for _, attrs in tags.seen:
        assert not any((v or "").startswith(("http:", "https:", "//")) for v in attrs.values())
    assert "@import" not in text and "url(" not in text


def test_filters_rows_and_status_text(outcome: Outcome) -> None:
    text, tags = _page(outcome)
    selects = [a["data-filter"] for t, a in tags.seen if t == "select"]
    assert selects == ["connector", "severity", "check"]
    options = [a["value"] for t, a in tags.seen if t == "option"]
    assert {"contract", "greenhouse", "workday", "error", "warning", "read-after-write"} <= set(
        options
    )
    rows = [a for t, a in tags.seen if t == "tr" and "data-severity" in a]
    assert len(rows) == 5
    assert rows[0]["data-connector"] == "greenhouse" and rows[-1]["data-connector"] == "contract"
    assert [t for t, _ in tags.seen].count("details") == 5
    assert ">ERROR</span>" in text and ">WARNING</span>" in text and ">FAILED: " in text
    assert re.search(r'class="verdict FAILED"', text)


def test_details_hold_request_response_and_curl(outcome: Outcome) -> None:
    text, _ = _page(outcome)
    assert "<h4>Response: HTTP 500</h4>" in text
    assert "Authorization: Bearer $KOMBO_API_KEY" in text
    assert "&quot;key&quot;: &quot;dept&quot;" in text  # the body's `key` field is kept


def test_empty_outcome_renders() -> None:
    text, _ = _page(Outcome("diff"))
    assert "No findings." in text and "PASSED" in text


def test_multi_line_message_summary_is_first_line_and_body_is_full() -> None:
    text, _ = _page(Outcome("run", findings=[Finding("c", "first line\nsecond <b>line</b>")]))
    assert "<summary>first line</summary>" in text
    assert "<pre>first line\nsecond &lt;b&gt;line&lt;/b&gt;</pre>" in text


def _cells(text: str) -> list[list[str]]:
    """The text of every table row's cells, for rows of any table."""
    return [
        re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", text, flags=re.S)
    ]


def test_facts_and_verdict_table(outcome: Outcome) -> None:
    text, _ = _page(outcome)
    assert "<li>Writes allowed: yes</li>" in text and "<li>Environment: staging</li>" in text
    assert (
        "<li>Politeness: rate limit 10/s, 3 retries, waited 4.2 s, 5 rate-limited answers" in text
    )
    rows = _cells(text)
    assert [
        "Connector", "Operations", "Cases", "Passed", "Bounded", "Failed", "Not run",
        "Inconclusive", "Not applicable", "Findings",
    ] in rows  # fmt: skip
    assert ["greenhouse", "2", "7", "2", "1", "1", "1", "1", "1", "2"] in rows
    assert "(5 passed, 1 bounded, 2 failed, 2 not run, 2 inconclusive, 1 not applicable)" in text


def test_unjudged_bounded_and_changed_records_are_listed(outcome: Outcome) -> None:
    text, _ = _page(outcome)
    rows = _cells(text)
    assert "<h2>Not run or inconclusive (4)</h2>" in text
    assert ["not run", STOPPED, "greenhouse", "POST /ats/candidates", "idempotency"] in rows
    assert [
        "inconclusive", "rate limited after 4 retries (last sent with api_key=***)",
        "workday", "GET /ats/jobs", "filters",
    ] in rows  # fmt: skip
    assert "<h2>Bounded passes (1)</h2>" in text
    assert [
        "greenhouse", "GET /ats/jobs", "pagination",
        "walked 200 pages (10,000 records) without reaching the end: cursor for ***",
    ] in rows  # fmt: skip
    assert "<h2>Records this run created or changed (2)</h2>" in text
    assert ["POST /ats/candidates", "/ats/candidates?api_key=***", "cand_2", "201"] in rows


def test_findings_show_their_rule(outcome: Outcome) -> None:
    text, _ = _page(outcome)
    assert f"<p>Rule: {SCHEMA_RULE}</p>" in text


def test_nothing_judged_is_not_shown_as_passed() -> None:
    outcome = Outcome("run", cases=[Case("a", "POST /x", "c", "not run", "writes not allowed")])
    text, _ = _page(outcome)
    assert '<span class="verdict NOT-JUDGED">NOT JUDGED: no findings in 1 case' in text
    assert "PASSED:" not in text
