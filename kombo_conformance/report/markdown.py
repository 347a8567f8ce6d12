"""``summary.md``: a verdict, counts and per-connector tables for a PR comment or
``$GITHUB_STEP_SUMMARY``, then the first findings with their curl reproduction."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report.results import (
    by_connector,
    case_results,
    connector_table,
    headline,
    operation_summaries,
    ordered_findings,
    suite_name,
)
from kombo_conformance.report.text import body_text, finding_title, location, request_line

FILENAME = "summary.md"
MAX_FINDINGS = 20


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


def render(outcome: Outcome, max_findings: int = MAX_FINDINGS) -> str:
    """The Markdown summary (``outcome`` must already be redacted)."""
    results = case_results(outcome)
    icon = "❌" if outcome.failed else "✅"
    parts = [
        f"## {icon} kombo-conformance {inline(outcome.command)}: {headline(outcome, results)}",
        table(*connector_table(results)),
    ]
    for connector, group in by_connector(results).items():
        parts.append(f"### {inline(suite_name(connector))}")
        rows = [
            (o.operation or "(none)", o.passed, o.failed, o.findings, ", ".join(o.failing_checks))
            for o in operation_summaries(group)
        ]
        parts.append(table(("operation", "passed", "failed", "findings", "failing checks"), rows))
    findings = ordered_findings(outcome.findings)
    if findings:
        shown = findings[:max_findings]
        parts.append(f"### Findings (first {len(shown)} of {len(findings)})")
        parts += [_finding_section(i, f) for i, f in enumerate(shown, start=1)]
    return "\n\n".join(parts) + "\n"
