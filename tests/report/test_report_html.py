"""report.html: self-contained, escaped, filterable, status written as text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report.html import render
from kombo_conformance.report.safe import redact_outcome

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
