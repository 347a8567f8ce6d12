"""Plain text: a finding as a block of lines, aligned tables, and the terminal summary."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report.results import (
    CaseResult,
    connector_table,
    headline,
    plural,
    reason_groups,
    record_changes,
)

MAX_REASONS = 10


def finding_title(finding: Finding) -> str:
    """``[error] greenhouse GET /ats/jobs pagination-cursor``, the parts that are set."""
    where = " ".join(p for p in (finding.connector, finding.operation, finding.check) if p)
    return f"[{finding.severity}] {where}"


def location(finding: Finding) -> str | None:
    """``source#pointer``, or whichever of the two is set."""
    if finding.source and finding.pointer:
        return f"{finding.source}#{finding.pointer}"
    return finding.source or finding.pointer


def request_line(finding: Finding) -> str | None:
    return f"{finding.request.method} {finding.request.url}" if finding.request else None


def body_text(body: Any) -> str:
    return body if isinstance(body, str) else json.dumps(body, indent=2, default=str)


def finding_text(finding: Finding) -> str:
    """Message, rule, location, request, response excerpt and reproduction, one per line."""
    lines = [finding_title(finding), finding.message]
    if finding.rule:
        lines.append(f"rule: {finding.rule}")
    if where := location(finding):
        lines.append(f"at {where}")
    if finding.request:
        lines.append(f"request: {request_line(finding)}")
    if finding.response:
        lines.append(f"response: HTTP {finding.response.status}")
        if finding.response.excerpt:
            lines.append(finding.response.excerpt)
    if finding.reproduction:
        lines.append(f"reproduce: {finding.reproduction}")
    return "\n".join(lines)


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded to width and separated by `` | ``; numbers right-aligned."""
    cells = [[str(c) for c in headers], *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], int) for row in rows) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        padded = (
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        )
        return " | ".join(padded).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def not_judged_lines(results: Sequence[CaseResult], limit: int = MAX_REASONS) -> list[str]:
    """``not run (writes not allowed): 24 cases``, one line per reason (at most ``limit``),
    then one line for the bounded passes."""
    groups = reason_groups(results)
    lines = [f"{kind} ({reason}): {plural(len(group), 'case')}" for kind, reason, group in groups]
    if len(lines) > limit:
        rest = sum(len(group) for _, _, group in groups[limit:])
        lines[limit:] = [f"... {plural(rest, 'more case')} not judged, for other reasons"]
    if bounded := sum(r.bounded for r in results):
        lines.append(f"bounded: {plural(bounded, 'case')} (passed on what was judged, see notes)")
    return lines


def terminal_summary(outcome: Outcome, results: Sequence[CaseResult]) -> str:
    """The connector table, the headline, what was not judged and how many records the run
    created or changed (``outcome`` must already be redacted)."""
    lines = [plain_table(*connector_table(results)), headline(outcome, results)]
    lines += not_judged_lines(results)
    changes = record_changes(outcome)
    if changes:
        lines.append(
            f"records created or changed on the target: {len(changes)} (listed in the reports)"
        )
    return "\n".join(lines)
