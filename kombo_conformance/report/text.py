"""Plain text: a finding as a block of lines, aligned tables, and the terminal summary.

The terminal summary reads in the order a CI reviewer asks: what changed since
``--compare`` (counts, then the new and fixed groups), the groups one line each
(observations folded into one line unless ``--show-observations``), the connector table,
the headline, what was not judged, and the path of the full report.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from kombo_conformance.findings import SEVERITIES, Finding, Outcome
from kombo_conformance.report.groups import Group, Grouped, grouped
from kombo_conformance.report.results import (
    CaseResult,
    connector_table,
    headline,
    plural,
    reason_groups,
    record_changes,
    suite_name,
)

MAX_REASONS = 10
MAX_GROUP_LINES = 20  # groups listed on the terminal; the reports list them all
MAX_TEXT = 90


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


def not_judged_lines(
    results: Sequence[CaseResult], limit: int = MAX_REASONS, listed_in: str = ""
) -> list[str]:
    """``not run (writes not allowed): 24 cases``, one line per reason (at most ``limit``,
    then how many more cases, ``listed_in`` where the rest is), then one line for the
    bounded passes."""
    groups = reason_groups(results)
    lines = [f"{kind} ({reason}): {plural(len(group), 'case')}" for kind, reason, group in groups]
    if len(lines) > limit:
        rest = sum(len(group) for _, _, group in groups[limit:])
        more = f"... {plural(rest, 'more case')} not judged, for other reasons"
        lines[limit:] = [f"{more} (in {listed_in})" if listed_in else more]
    if bounded := sum(r.bounded for r in results):
        lines.append(f"bounded: {plural(bounded, 'case')} (passed on what was judged, see notes)")
    return lines


def shortened(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters, ``…`` where it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def group_where(group: Group) -> str:
    """``sandbox GET /ats/jobs response_schema``: connector, operation and check."""
    return " ".join(p for p in (suite_name(group.connector), group.operation, group.check) if p)


def was(group: Group) -> str:
    """What a fixed group was in the compared report: ``error, 3 findings``."""
    return f"{group.severity}, {plural(group.count, 'finding')}"


def group_line(group: Group) -> str:
    """``[error] sandbox GET /ats/jobs response_schema: 3 findings (new); rule: ...`` (or the
    first message when the group names no rule); a fixed group is ``[fixed] ...: was error,
    3 findings; rule: ...``."""
    if group.rule_source:
        said = f"; rule: {shortened(group.rule_source, MAX_TEXT)}"
    else:
        said = f"; {shortened(group.message, MAX_TEXT)}" if group.message else ""
    if group.change == "fixed":
        return f"[fixed] {group_where(group)}: was {was(group)}{said}"
    change = f" ({group.change})" if group.change else ""
    found = plural(group.count, "finding")
    return f"[{group.severity}] {group_where(group)}: {found}{change}{said}"


def group_text(group: Group) -> str:
    """:func:`group_line`, then each example as :func:`finding_text`, then how many more."""
    parts = [group_line(group), *(finding_text(f) for f in group.examples)]
    if (more := group.count - len(group.examples)) > 0:
        parts.append(f"... and {plural(more, 'more finding')} in this group (all in report.json)")
    return "\n\n".join(parts)


def change_line(groups: Grouped) -> str:
    """``compared with old/report.json: 2 new, 1 fixed, 3 still failing (groups; ...)``."""
    counts = ", ".join(f"{n} {change}" for change, n in groups.change_counts().items())
    rest = f"; {groups.not_rechecked} not rechecked" if groups.not_rechecked else ""
    return f"compared with {groups.compared_with}: {counts} (groups, observations aside{rest})"


def no_groups(groups: Grouped) -> str:
    """What an empty list of groups means: ``no findings other than observations`` (they
    are folded apart) or ``no findings``."""
    return "no findings other than observations" if groups.observations else "no findings"


def observation_line(groups: Grouped) -> str:
    found = sum(g.count for g in groups.observations)
    return (
        f"observations: {plural(found, 'finding')} in {plural(len(groups.observations), 'group')}"
        " (folded; --show-observations lists them)"
    )


def capped(lines: list[str], limit: int, what: str = "group") -> list[str]:
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"... {plural(len(lines) - limit, f'more {what}')} in the full report"]


def group_lines(groups: Grouped, limit: int = MAX_GROUP_LINES) -> list[str]:
    """What changed (with --compare: the counts, the new groups, the fixed ones), then the
    other groups, one line each, each list capped at ``limit``; observations folded into
    one line unless shown."""
    new, listed = groups.listed()
    lines: list[str] = []
    if groups.compared_with is not None:
        lines.append(change_line(groups))
        lines += capped([group_line(g) for g in new], limit, "new group")
        lines += capped([group_line(g) for g in groups.changed("fixed")], limit, "fixed group")
    counts = Counter(g.severity for g in listed)
    tally = ", ".join(plural(counts[s], s) for s in SEVERITIES if counts[s])
    title = "other groups" if groups.compared_with is not None else "groups"
    lines.append(f"{title}: {len(listed)} ({tally or no_groups(groups)})")
    lines += capped([group_line(g) for g in listed], limit)
    if groups.observations and not groups.show_observations:
        lines.append(observation_line(groups))
    return lines


def terminal_summary(
    outcome: Outcome, results: Sequence[CaseResult], full_report: str | None = None
) -> str:
    """What changed and the groups, the connector table, the headline, what was not judged,
    how many records the run created or changed, and where the full report is (``outcome``
    must already be redacted)."""
    lines = group_lines(grouped(outcome))
    lines += [plain_table(*connector_table(results)), headline(outcome, results)]
    lines += not_judged_lines(results)
    changes = record_changes(outcome)
    if changes:
        lines.append(
            f"records created or changed on the target: {len(changes)} (listed in the reports)"
        )
    if full_report:
        lines.append(f"full report: {full_report}")
    return "\n".join(lines)
