"""summary.md: verdict, tables, escaped text and curl reproductions in code blocks."""

from __future__ import annotations

import re

from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report.markdown import code, code_block, inline, render
from kombo_conformance.report.safe import redact_outcome


def _render(outcome: Outcome, **kwargs: int) -> str:
    safe, redactor = redact_outcome(outcome)
    return redactor.text(render(safe, **kwargs))


def test_headline_and_connector_table(outcome: Outcome) -> None:
    text = _render(outcome)
    assert text.splitlines()[0] == (
        "## ❌ kombo-conformance run: "
        "FAILED: 3 errors, 1 warning, 1 advisory in 7 cases (2 failed), exit code 1"
    )
    assert "| greenhouse | 2 | 3 | 1 | 2 |" in text
    assert "### workday" in text
    assert "| POST /ats/candidates | 0 | 1 | 1 | read-after-write |" in text


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


def test_cells_and_code_survive_hostile_text() -> None:
    assert inline("a|b\n<i>") == "a\\|b &lt;i&gt;"
    assert code("x `y` z") == "`` x `y` z ``"
    assert code_block("```\nnested\n```").startswith("````\n")
    pipe = Outcome("run", findings=[Finding("c|d", "m", connector="x", operation="GET /a|b")])
    assert "| GET /a\\|b | 0 | 1 | 1 | c\\|d |" in _render(pipe)
