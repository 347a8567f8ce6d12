"""report.html: self-contained, escaped, filterable, status written as text; verdicts,
unjudged cases with reasons, bounded passes, changed records and rules shown."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from kombo_conformance.findings import Case, Finding, Outcome, RequestRecord
from kombo_conformance.report.groups import (
    COMPARE_KEY,
    SHOW_OBSERVATIONS_KEY,
    group_findings,
    group_summary,
)
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


def test_groups_and_status_text(outcome: Outcome) -> None:
    text, tags = _page(outcome)
    groups = [a for t, a in tags.seen if t == "article"]
    assert [(g["data-connector"], g["data-operation"]) for g in groups] == [
        ("greenhouse", "GET /ats/jobs"),
        ("greenhouse", "GET /ats/jobs"),
        ("workday", "POST /ats/candidates"),
        ("workday", "GET /ats/jobs"),
        ("contract", ""),
    ]  # errors first, then the warning, then the advisory
    assert all(g["id"].startswith("g-") for g in groups)
    assert [t for t, _ in tags.seen].count("details") == 5  # one per example
    assert ">ERROR</span>" in text and ">WARNING</span>" in text and ">FAILED: " in text
    assert re.search(r'class="verdict FAILED"', text)
    assert "<h2>Groups (5)</h2>" in text


def test_a_group_block_has_count_rule_curl_and_examples() -> None:
    request = RequestRecord("GET", "http://h/v1/ats/jobs?page_size=1")
    findings = [
        Finding("pagination", f"cursor repeats page {n}", "error", "acme", "GET /ats/jobs",
                rule="Kombo docs: pagination", request=request)
        for n in range(5)
    ]  # fmt: skip
    text, _ = _page(Outcome("run", findings=findings))
    block = re.search(r'<article class="group g-error".*?</article>', text, re.S)[0]
    assert '<span class="count">&times;5</span>' in block
    assert "<code>pagination</code> on acme · GET /ats/jobs" in block
    assert "<p>Rule: <code>Kombo docs: pagination</code></p>" in block
    assert "<h4>Reproduce</h4><pre>curl " in block
    assert "<h4>Examples: 3 examples of 5 findings</h4>" in block
    assert block.count("<details>") == 3


def test_observations_are_folded_unless_asked_for() -> None:
    findings = [
        Finding("date_ambiguity", "bare date accepted", "observation", "acme", f"GET /{n}")
        for n in range(4)
    ]
    text, tags = _page(Outcome("run", findings=findings))
    folded = [a for t, a in tags.seen if t == "details" and a.get("id") == "observations"]
    assert folded == [{"id": "observations", "data-group-box": None}]
    assert "<summary>Observations: 4 groups, 4 findings</summary>" in text
    assert "No findings other than observations." in text
    text, tags = _page(Outcome("run", findings=findings, meta={SHOW_OBSERVATIONS_KEY: True}))
    shown = [a for t, a in tags.seen if t == "details" and a.get("id") == "observations"]
    assert shown and "open" in shown[0]


def test_what_changed_comes_first_with_new_and_fixed() -> None:
    jobs = "GET /ats/jobs"
    still = Finding("schema", "still broken", "error", "acme", jobs)
    new = Finding("pagination", "<b>new</b> break", "error", "acme", jobs)
    gone = Finding("filters", "ignored ids", "error", "acme", jobs)
    previous = [group_summary(g) for g in group_findings([still, gone])]
    outcome = Outcome(
        "run",
        findings=[still, new],
        cases=[Case("acme", jobs, "filters")],  # judged again and passed: fixed
        meta={COMPARE_KEY: {"with": "old/<report>.json", "groups": previous}},
    )
    text, _ = _page(outcome)
    changed = text.index('<section id="what-changed">')
    assert changed < text.index("<h2>Matrix</h2>") < text.index("<h2>Groups (2)</h2>")
    assert (
        "Compared with <code>old/&lt;report&gt;.json</code>: 1 new, 1 still failing, 1 fixed"
        in text
    )
    new_id, gone_id = (group_findings([f])[0].id for f in (new, gone))
    assert f'<a href="#g-{new_id}">pagination on acme · GET /ats/jobs</a>' in text
    assert f'<a href="#g-{gone_id}">filters on acme · GET /ats/jobs</a>' in text
    assert '<span class="change new">NEW</span>' in text
    assert '<span class="change still-failing">STILL FAILING</span>' in text
    assert "<h2>Fixed since the compared report (1)</h2>" in text
    assert '<span class="change fixed">FIXED</span>' in text
    assert "still broken" in text and "&lt;b&gt;new&lt;/b&gt; break" in text
    metadata = text[text.index("<h2>Run metadata</h2>") :] if "Run metadata" in text else ""
    assert "rule_source" not in metadata  # the previous groups are not dumped again


def test_no_comparison_no_what_changed(outcome: Outcome) -> None:
    text, _ = _page(outcome)
    assert "what-changed" not in text and "NEW</span>" not in text


def test_matrix_cells_are_buttons_labelled_and_escaped() -> None:
    connector, operation = 'x"><img src=y onerror=alert(1)>', "GET /a?<b>&c"
    outcome = Outcome(
        "run",
        findings=[Finding("schema", "bad", "error", connector, operation)],
        cases=[Case("other", operation, "schema", "not applicable")],
    )
    text, tags = _page(outcome)
    assert "<img" not in text and "onerror=alert(1)>" not in text
    buttons = [a for t, a in tags.seen if t == "button" and "cell" in (a.get("class") or "")]
    by_connector = {b["data-connector"]: b for b in buttons}
    assert set(by_connector) == {connector, "other"}
    cell = by_connector[connector]
    assert cell["data-operation"] == operation and cell["data-verdict"] == "error"
    assert cell["aria-label"] == f"{connector} · {operation}: error, 1 group, 1 case"
    assert cell["title"] == cell["aria-label"] and cell["type"] == "button"
    neutral = by_connector["other"]
    assert neutral["data-verdict"] == "not applicable" and "v-not-applicable" in neutral["class"]
    headers = [a for t, a in tags.seen if t == "th" and a.get("class") == "op"]
    assert len(headers) == 1  # one operation column
    assert re.search(r'<button [^>]*data-verdict="error"[^>]*>\u2717' + "1</button>", text)


def test_matrix_legend_names_every_verdict(outcome: Outcome) -> None:
    text, _ = _page(outcome)
    legend = re.search(r'<ul class="legend">.*?</ul>', text)[0]
    for verdict in ("error", "warning", "inconclusive", "not run", "passed", "not applicable"):
        assert f"</span> {verdict}: " in legend


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
