"""summary.md: verdict, run facts, verdict tables, what was not judged and why, bounded
passes, changed records, escaped text, rules and curl reproductions in code blocks."""

from __future__ import annotations

import re

from kombo_conformance.findings import Case, Finding, Outcome
from kombo_conformance.report.markdown import code, code_block, inline, render
from kombo_conformance.report.safe import redact_outcome
from tests.report.conftest import DOCS_RULE, SCHEMA_RULE, STOPPED


def _render(outcome: Outcome, **kwargs: int) -> str:
    safe, redactor = redact_outcome(outcome)
    return redactor.text(render(safe, **kwargs))


def test_headline_facts_and_verdict_tables(outcome: Outcome) -> None:
    text = _render(outcome)
    lines = text.splitlines()
    assert lines[0] == (
        "## ❌ kombo-conformance run: FAILED: 3 errors, 1 warning, 1 advisory in 13 cases "
        "(5 passed, 1 bounded, 2 failed, 2 not run, 2 inconclusive, 1 not applicable), "
        "exit code 1"
    )
    assert lines[2] == (
        "Target: http://127.0.0.1:8000 · Environment: staging · Writes allowed: yes · "
        "Politeness: rate limit 10/s, 3 retries, waited 4.2 s, 5 rate-limited answers"
    )
    assert (
        "| Connector | Operations | Cases | Passed | Bounded | Failed | Not run | Inconclusive "
        "| Not applicable | Findings |"
    ) in text
    assert "| greenhouse | 2 | 7 | 2 | 1 | 1 | 1 | 1 | 1 | 2 |" in text
    assert "### workday" in text
    assert "| POST /ats/candidates | 0 | 0 | 1 | 1 | 0 | 0 | 1 | read-after-write |" in text


def test_unjudged_cases_bounded_passes_and_changes_are_listed(outcome: Outcome) -> None:
    text = _render(outcome)
    assert "### Not run or inconclusive (4)" in text
    assert f"| not run | {STOPPED} | workday | POST /ats/candidates | idempotency |" in text
    assert (
        "| inconclusive | rate limited after 4 retries (last sent with api_key=***) "
        "| greenhouse | GET /ats/jobs | filters |"
    ) in text
    assert "### Bounded passes (1)" in text
    assert (
        "| greenhouse | GET /ats/jobs | pagination | walked 200 pages (10,000 records) "
        "without reaching the end: cursor for *** |"
    ) in text
    assert "### Records this run created or changed (2)" in text
    assert "| Operation | Path | Id | Status |" in text
    assert "| POST /ats/candidates | /ats/candidates?api_key=*** | cand_2 | 201 |" in text


def test_findings_show_their_rule(outcome: Outcome) -> None:
    text = _render(outcome)
    assert f"Rule: {SCHEMA_RULE}" in text and f"Rule: {DOCS_RULE}" in text
    assert text.count("Rule: ") == 2


def test_long_lists_are_capped() -> None:
    cases = [Case("a", f"GET /{n}", "c", "not run", "writes not allowed") for n in range(5)]
    text = _render(Outcome("run", cases=cases), max_rows=2)
    assert text.startswith("## ⚠️ kombo-conformance run: NOT JUDGED: no findings in 5 cases")
    assert "### Not run or inconclusive (5)" in text
    assert text.count("| not run | writes not allowed |") == 2
    assert "…and 3 more in report.html and report.json." in text


def test_a_run_that_changed_nothing_says_so() -> None:
    text = _render(Outcome("run", meta={"changes": [], "writes_allowed": False}))
    assert "### Records this run created or changed (0)" in text
    assert "None: the run created or changed no record on the target." in text
    assert "Writes allowed: no" in text


def test_findings_have_curl_blocks_and_escaped_markup(outcome: Outcome) -> None:
    text = _render(outcome)
    assert "### Findings (first 5 of 5)" in text
    blocks = re.findall(r"```bash\n(.*?)\n```", text, flags=re.S)
    assert len(blocks) == 2 and all(b.startswith("curl ") for b in blocks)
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_max_findings_limits_the_list_most_severe_first(outcome: Outcome) -> None:
    text = _render(outcome, max_findings=1)
    assert "### Findings (first 1 of 5)" in text
    assert len(re.findall(r"^#### ", text, flags=re.M)) == 1
    assert "#### 1. [error]" in text


def test_clean_run_has_no_findings_section() -> None:
    text = _render(Outcome("lint", findings=[]))
    assert text.startswith("## ✅ kombo-conformance lint: PASSED")
    assert "### Findings" not in text
    assert "### Not run" not in text and "### Bounded" not in text and "### Records" not in text


def test_cells_and_code_survive_hostile_text() -> None:
    assert inline("a|b\n<i>") == "a\\|b &lt;i&gt;"
    assert code("x `y` z") == "`` x `y` z ``"
    assert code_block("```\nnested\n```").startswith("````\n")
    pipe = Outcome("run", findings=[Finding("c|d", "m", connector="x", operation="GET /a|b")])
    assert "| GET /a\\|b | 0 | 0 | 1 | 0 | 0 | 0 | 1 | c\\|d |" in _render(pipe)
