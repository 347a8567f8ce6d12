"""summary.md: what changed first, then the groups (rule, first message, curl folded),
observations folded into one section, the connector table, why cases were not judged, the
records changed, escaped text, and a line cap that links report.html."""

from __future__ import annotations

import re

from kombo_conformance.findings import Case, Finding, Outcome, RequestRecord
from kombo_conformance.report.groups import COMPARE_KEY, SHOW_OBSERVATIONS_KEY
from kombo_conformance.report.markdown import (
    FIXED_LINES,
    MAX_CONNECTOR_ROWS,
    MAX_LINES,
    MAX_OBSERVATION_ROWS,
    MAX_REASON_LINES,
    code,
    code_block,
    inline,
    render,
)
from kombo_conformance.report.safe import redact_outcome
from tests.report.conftest import DOCS_RULE, SCHEMA_RULE, STOPPED


def _render(outcome: Outcome, **kwargs: int) -> str:
    safe, redactor = redact_outcome(outcome)
    return redactor.text(render(safe, **kwargs))


def _observations(n: int, operations: int = 1) -> list[Finding]:
    return [
        Finding(
            "date_ambiguity", f"bare date {i}", "observation", "sandbox", f"GET /o{i % operations}"
        )
        for i in range(n)
    ]


def test_headline_facts_groups_and_connector_table(outcome: Outcome) -> None:
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
    assert lines[4] == "### Groups (5)"
    heads = [line for line in lines if line.startswith("- ") and line.endswith("<br>")]
    # worst first; the two schema errors have different rules, so two groups
    assert [re.search(r"\*\*(\w+)\*\*", h)[1] for h in heads] == [
        "error", "error", "error", "warning", "advisory"
    ]  # fmt: skip
    assert "- ⚠️ **warning** `workday GET /ats/jobs pagination` · 1 finding<br>" in lines
    assert "| greenhouse | 2 | 7 | 2 | 1 | 1 | 1 | 1 | 1 | 2 |" in text
    assert text.index("### Groups") < text.index("| Connector |")


def test_groups_show_rule_source_first_message_and_a_folded_curl(outcome: Outcome) -> None:
    text = _render(outcome)
    assert f"rule: {SCHEMA_RULE} · &lt;script&gt;alert('x')&lt;/script&gt;" in text
    assert f"rule: {DOCS_RULE} · created candidate not readable" in text
    curls = re.findall(r"<details><summary>reproduce</summary><pre>(.*?)</pre></details>", text)
    assert len(curls) == 2 and all(c.startswith("curl ") for c in curls)
    assert '"Authorization: Bearer $KOMBO_API_KEY"' in curls[0]
    assert "&amp;page_size=2" in curls[0]  # HTML-escaped inside <pre>
    assert "<script>" not in text


def test_a_group_counts_its_findings_and_shows_one_block() -> None:
    findings = [
        Finding("schema", f"bad name #{i}", connector="a", operation="GET /x", rule="r")
        for i in range(7)
    ]
    text = _render(Outcome("run", findings=findings))
    assert text.count("**error**") == 1
    assert "`a GET /x schema` · 7 findings<br>" in text
    assert "rule: r · bad name #0" in text


def test_unjudged_reasons_bounded_passes_and_changes_are_counted(outcome: Outcome) -> None:
    text = _render(outcome)
    assert f"- not run ({STOPPED}): 2 cases" in text
    assert (
        "- inconclusive (rate limited after 4 retries (last sent with api_key=***)): 2 cases"
        in (text)
    )
    assert "- bounded: 1 case (passed on what was judged, see notes)" in text
    assert "Records this run created or changed: 2 (listed in [report.html](report.html))." in text
    assert text.rstrip().endswith(
        "Full report: [report.html](report.html) (every finding in report.json)."
    )


def test_a_run_that_changed_nothing_says_so() -> None:
    text = _render(Outcome("run", meta={"changes": [], "writes_allowed": False}))
    assert "None: the run created or changed no record on the target." in text
    assert "Writes allowed: no" in text


def test_observations_are_folded_into_one_section_with_counts_per_check() -> None:
    findings = [*_observations(130, operations=13), Finding("schema", "broken", operation="GET /x")]
    findings.append(Finding("positive_data", "accepted", "observation", "homerun", "POST /y"))
    text = _render(Outcome("run", findings=findings))
    (folded,) = re.findall(r"<details><summary>observations: (\d+) findings in (\d+) groups", text)
    assert folded == ("131", "14")
    rows = re.findall(r"^\| ([\w.]+) \| (\d+) \| (\d+) \|$", text, flags=re.M)
    assert rows == [("date_ambiguity", "13", "130"), ("positive_data", "1", "1")]
    assert text.count("**observation**") == 0 and "### Groups (1)" in text


def test_show_observations_lists_them_as_groups() -> None:
    outcome = Outcome("run", findings=_observations(6, 2), meta={SHOW_OBSERVATIONS_KEY: True})
    text = _render(outcome)
    assert "### Groups (2)" in text and text.count("**observation**") == 2
    assert "<details><summary>observations" not in text


def test_long_runs_are_capped_and_link_the_html_report() -> None:
    findings = [Finding("schema", "m", connector="a", operation=f"GET /{n}") for n in range(40)]
    cases = [Case("a", f"GET /r{n}", "c", "not run", f"reason {n}") for n in range(3)]
    text = _render(Outcome("run", findings=findings, cases=cases), max_lines=40)
    assert len(text.splitlines()) <= 40
    shown = text.count("**error**")
    assert 0 < shown < 40
    assert f"…{40 - shown} more groups left out here: see [report.html](report.html)." in text
    assert "- not run (reason 2): 1 case" in text  # the rest is never crowded out
    assert _render(Outcome("run", findings=findings[:3]), max_lines=40).count("left out") == 0


def _crowded() -> Outcome:
    """35 connectors, 12 reasons cases were not run, 9 checks with observations, 30 groups
    new and 20 fixed since an earlier report, a bounded pass and the records changed."""
    connectors = [f"connector{n:02}" for n in range(35)]
    cases = [Case(c, "GET /ats/jobs", check) for c in connectors for check in ("schema", "auth")]
    cases += [
        Case(c, "GET /ats/tags", "filters", "not run", f"reason {c}") for c in connectors[:12]
    ]
    cases.append(Case("connector00", "GET /ats/jobs", "pagination", "passed", "200 pages", True))
    findings = [
        Finding("schema", "broken", connector=c, operation="GET /ats/jobs") for c in connectors[:30]
    ]
    findings += [
        Finding(f"obs{n}", "seen", "observation", "connector00", "GET /o") for n in range(9)
    ]
    gone = [
        Finding("auth", "no 401", connector=c, operation="GET /ats/jobs") for c in connectors[:20]
    ]
    outcome = _compared(gone, findings, cases)
    outcome.meta["changes"] = [{"operation": "POST /ats/candidates", "id": "c1"}]
    outcome.meta["target"] = "http://127.0.0.1:9"
    return outcome


def test_the_line_cap_is_hard_whatever_the_run() -> None:
    outcome = _crowded()
    text = _render(outcome)
    assert len(text.splitlines()) <= MAX_LINES
    assert FIXED_LINES < MAX_LINES - 4  # the capped parts leave room for a group at least
    # every capped part says how many more the HTML report has
    assert f"…{35 - MAX_CONNECTOR_ROWS} more connectors in [report.html](report.html)." in text
    rows = re.findall(r"^\| (connector\d\d) \|", text, flags=re.M)
    assert len(rows) == MAX_CONNECTOR_ROWS
    # capped, the connectors with unjudged cases come first
    assert set(rows) <= {f"connector{n:02}" for n in range(12)}
    rest = 12 - MAX_REASON_LINES
    assert f"- ... {rest} more cases not judged, for other reasons (in [report.html]" in text
    assert f"…{9 - MAX_OBSERVATION_ROWS} more checks in [report.html](report.html)." in text
    shown = text.count("🆕 new<br>") + text.count("✅ **fixed**")
    assert 0 < shown < 50
    assert f"…{50 - shown} more groups left out here" in text
    assert text.rstrip().endswith("(every finding in report.json).")
    # any cap above the capped parts' longest is hard too
    for max_lines in range(FIXED_LINES, MAX_LINES):
        assert len(_render(outcome, max_lines=max_lines).splitlines()) <= max_lines


def _compared(previous: list[Finding], current: list[Finding], cases: list[Case]) -> Outcome:
    from kombo_conformance.report.groups import group_findings, group_summary

    groups = [group_summary(g) for g in group_findings(previous)]
    meta = {COMPARE_KEY: {"with": "old/report.json", "groups": groups, "fail_on": "new"}}
    return Outcome("run", findings=current, cases=cases, meta=meta)


def test_what_changed_comes_first_with_the_new_and_fixed_groups() -> None:
    stays = Finding("schema", "still", connector="a", operation="GET /x")
    new = Finding("pagination", "loops", connector="a", operation="GET /x")
    gone = Finding("filters", "ignored", connector="a", operation="GET /x")
    cases = [Case("a", "GET /x", c) for c in ("schema", "pagination", "filters")]
    text = _render(_compared([stays, gone], [stays, new], cases))
    lines = text.splitlines()
    assert lines[2] == "### What changed since `old/report.json`"
    assert lines[4] == "1 🆕 new · 1 still failing · 1 ✅ fixed (groups; observations aside)"
    assert text.index("`a GET /x pagination` · 1 finding · 🆕 new") < text.index("### Other groups")
    fixed = "- ✅ **fixed** `a GET /x filters` · was error, 1 finding<br>"
    assert text.index(fixed) < text.index("### Other groups")
    assert "### Other groups (1)" in text and "still failing<br>" in text
    assert lines[0].endswith("exit code 1")  # --fail-on new and a new error group


def test_cells_and_code_survive_hostile_text() -> None:
    assert inline("a|b\n<i>") == "a\\|b &lt;i&gt;"
    assert code("x `y` z") == "`` x `y` z ``"
    assert code_block("```\nnested\n```").startswith("````\n")
    pipe = Outcome(
        "run",
        findings=[
            Finding(
                "c|d", "m", connector="x|y", operation="GET /a|b",
                request=RequestRecord("GET", "http://h/a?x=</pre><b>"),
            )
        ],
    )  # fmt: skip
    text = _render(pipe)
    assert "| x\\|y | 1 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 1 |" in text
    assert "</pre><b>" not in text and "&lt;/pre&gt;&lt;b&gt;" in text
