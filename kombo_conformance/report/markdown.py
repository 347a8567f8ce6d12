"""``summary.md``: a verdict, counts and per-connector tables for a PR comment or
``$GITHUB_STEP_SUMMARY``; the cases that were not run or inconclusive with their reasons,
the bounded passes with their notes, the records the run created or changed; then the
first findings with their rule and curl reproduction."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report.results import (
    TALLY,
    Section,
    by_connector,
    case_results,
    case_sections,
    connector_table,
    headline,
    operation_summaries,
    ordered_findings,
    run_facts,
    run_verdict,
    suite_name,
)
from kombo_conformance.report.text import body_text, finding_title, location, request_line

FILENAME = "summary.md"
MAX_FINDINGS = 20
MAX_ROWS = 50
ICONS = {"FAILED": "❌", "PASSED": "✅", "NOT JUDGED": "⚠️"}


def inline(text: Any) -> str:
    """Text safe inside a Markdown paragraph or table cell: no HTML, no pipes, one line."""
    escaped = html.escape(str(text), quote=False).replace("|", "\\|")
    return re.sub(r"\s*\n\s*", " ", escaped).strip()


def code(text: str) -> str:
    """Inline code span, with a backtick run longer than any inside the text."""
    ticks = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    return f"{ticks} {text} {ticks}" if "`" in text else f"{ticks}{text}{ticks}"


def code_block(text: str, lang: str = "") -> str:
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    return f"{fence}{lang}\n{text}\n{fence}"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(h.capitalize() for h in headers) + " |"]
    lines.append("|" + "---|" * len(headers))
    lines += ["| " + " | ".join(inline(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _finding_section(number: int, finding: Finding) -> str:
    parts = [f"#### {number}. {inline(finding_title(finding))}", inline(finding.message)]
    if finding.rule:
        parts.append(f"Rule: {inline(finding.rule)}")
    if where := location(finding):
        parts.append(f"At {code(where)}")
    if finding.request:
        parts.append(f"Request: {code(request_line(finding) or '')}")
    if finding.response:
        parts.append(f"Response: HTTP {finding.response.status}")
        if finding.response.excerpt:
            parts.append(code_block(body_text(finding.response.excerpt)))
    if finding.reproduction:
        parts.append(code_block(finding.reproduction, "bash"))
    return "\n\n".join(parts)


def _section(section: Section, max_rows: int) -> list[str]:
    """``### title (n)`` and its first ``max_rows`` rows, or the section's ``empty`` text."""
    headers, rows = section.table
    parts = [f"### {section.title} ({len(rows)})"]
    if not rows:
        return [*parts, section.empty]
    parts.append(table(headers, rows[:max_rows]))
    if len(rows) > max_rows:
        parts.append(f"…and {len(rows) - max_rows} more in report.html and report.json.")
    return parts


def render(outcome: Outcome, max_findings: int = MAX_FINDINGS, max_rows: int = MAX_ROWS) -> str:
    """The Markdown summary (``outcome`` must already be redacted)."""
    results = case_results(outcome)
    icon = ICONS[run_verdict(outcome, results)]
    parts = [f"## {icon} kombo-conformance {inline(outcome.command)}: {headline(outcome, results)}"]
    if facts := run_facts(outcome):
        parts.append(" · ".join(f"{label.capitalize()}: {inline(text)}" for label, text in facts))
    parts.append(table(*connector_table(results)))
    for connector, group in by_connector(results).items():
        parts.append(f"### {inline(suite_name(connector))}")
        rows = [
            (o.operation or "(none)", *o.tally.values(), o.findings, ", ".join(o.failing_checks))
            for o in operation_summaries(group)
        ]
        parts.append(table(("operation", *TALLY, "findings", "failing checks"), rows))
    for section in case_sections(outcome, results):
        parts += _section(section, max_rows)
    findings = ordered_findings(outcome.findings)
    if findings:
        shown = findings[:max_findings]
        parts.append(f"### Findings (first {len(shown)} of {len(findings)})")
        parts += [_finding_section(i, f) for i, f in enumerate(shown, start=1)]
    return "\n\n".join(parts) + "\n"
