"""``summary.md``: short enough for a PR comment or ``$GITHUB_STEP_SUMMARY``.

In this order: the headline and run facts; what changed since ``--compare`` (counts, the
new groups, the fixed ones); the other groups, one small block each (severity, check,
connector, operation, count, change, rule source, first message, and the curl in a folded
``<details>``); the observations folded into one ``<details>`` with their counts per check
(listed as groups with ``--show-observations``); the connector table; why cases were not
judged; how many records the run created or changed; a link to ``report.html``.

The whole summary is at most :data:`MAX_LINES` lines, whatever the run: the connector table
(:data:`MAX_CONNECTOR_ROWS` rows, those with failed or unjudged cases first), the reasons
cases were not judged (:data:`MAX_REASON_LINES`) and the observation counts
(:data:`MAX_OBSERVATION_ROWS` checks) are capped, each saying how many more are in
``report.html``; the groups fill the lines left, and when some do not fit it says how many
were left out. At their longest the capped parts take :data:`FIXED_LINES` lines, so any
``max_lines`` above that is a hard limit.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from kombo_conformance.findings import Outcome
from kombo_conformance.report.groups import Group, Grouped, grouped
from kombo_conformance.report.results import (
    NOT_JUDGED,
    CaseResult,
    case_results,
    connector_table,
    headline,
    plural,
    record_changes,
    run_facts,
    run_verdict,
)
from kombo_conformance.report.text import (
    group_where,
    no_groups,
    not_judged_lines,
    observation_line,
    shortened,
    was,
)

FILENAME = "summary.md"
HTML_LINK = "[report.html](report.html)"
MAX_LINES = 60
MAX_MESSAGE = 160
MAX_CONNECTOR_ROWS = 8
MAX_REASON_LINES = 4  # then one "more" line and the bounded passes' line
MAX_OBSERVATION_ROWS = 5
# head 4, what-changed and other-groups titles 8, "left out" 2, folded observations 9 + rows,
# connector table 5 + rows, reasons 3 + lines (more, bounded, blank), records 2, the link 1
FIXED_LINES = 34 + MAX_OBSERVATION_ROWS + MAX_CONNECTOR_ROWS + MAX_REASON_LINES
ICONS = {"FAILED": "❌", "PASSED": "✅", "NOT JUDGED": "⚠️"}
SEVERITY_ICONS = {"error": "❌", "warning": "⚠️", "advisory": "💡", "observation": "👁️"}
CHANGE_LABELS = {"new": "🆕 new", "still failing": "still failing", "fixed": "✅ fixed"}


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


def more_line(count: int, what: str, link: str = HTML_LINK) -> list[str]:
    """A blank (so no table takes it for a row), then ``…3 more connectors in
    [report.html](report.html).``; nothing for 0."""
    return ["", f"…{plural(count, f'more {what}')} in {link}."] if count > 0 else []


def group_block(group: Group) -> list[str]:
    """Three lines and a blank: what and where, the rule and first message, the curl."""
    if group.change == "fixed":  # gone now: say what it was
        said = f"✅ **fixed** {code(group_where(group))} · was {was(group)}"
    else:
        change = f" · {CHANGE_LABELS[group.change]}" if group.change else ""
        said = (
            f"{SEVERITY_ICONS.get(group.severity, '')} **{group.severity}** "
            f"{code(group_where(group))} · {plural(group.count, 'finding')}{change}"
        )
    lines = [f"- {said}<br>"]
    detail = [f"rule: {inline(group.rule_source)}"] if group.rule_source else []
    if group.message:
        detail.append(inline(shortened(group.message, MAX_MESSAGE)))
    lines.append("  " + (" · ".join(detail) or "(no rule or message recorded)"))
    if group.curl:
        curl = html.escape(group.curl, quote=False).replace("\n", "&#10;")
        lines.append(f"  <details><summary>reproduce</summary><pre>{curl}</pre></details>")
    return [*lines, ""]


def _observations(groups: Grouped) -> list[str]:
    """One folded section: how many observations, and per check how many groups and findings."""
    rows = [(check, g, n) for check, (g, n) in groups.observation_counts().items()]
    shown = rows[:MAX_OBSERVATION_ROWS]
    return [
        f"<details><summary>{html.escape(observation_line(groups))}</summary>",
        "",
        *table(("check", "groups", "findings"), shown).splitlines(),
        *more_line(len(rows) - len(shown), "check"),
        "",
        "</details>",
        "",
    ]


def change_lines(groups: Grouped) -> list[str]:
    counts = groups.change_counts()
    said = " · ".join(f"{n} {CHANGE_LABELS[change]}" for change, n in counts.items())
    rest = f" · {groups.not_rechecked} not rechecked" if groups.not_rechecked else ""
    return [
        f"### What changed since {code(groups.compared_with or '')}",
        "",
        f"{said}{rest} (groups; observations aside)",
        "",
    ]


def _unjudged_first(row: tuple[Any, ...], headers: Sequence[str]) -> int:
    return -sum(row[headers.index(v)] for v in ("failed", *NOT_JUDGED) if v in headers)


def _connectors(results: list[CaseResult]) -> list[str]:
    """The connector table, at most :data:`MAX_CONNECTOR_ROWS` rows: when capped, those with
    failed or unjudged cases first."""
    headers, rows = connector_table(results)
    if len(rows) > MAX_CONNECTOR_ROWS:
        rows = sorted(rows, key=lambda row: _unjudged_first(row, headers))
    shown = rows[:MAX_CONNECTOR_ROWS]
    more = more_line(len(rows) - len(shown), "connector")
    return [*table(headers, shown).splitlines(), *more, ""]


def _tail(outcome: Outcome, results: list[CaseResult]) -> list[str]:
    """The connector table, why cases were not judged, and the records changed."""
    lines = _connectors(results)
    if reasons := not_judged_lines(results, MAX_REASON_LINES, HTML_LINK):
        lines += [*(f"- {inline(r)}" for r in reasons), ""]
    changes = record_changes(outcome)
    if changes is not None:
        lines.append(
            f"Records this run created or changed: {len(changes)} (listed in {HTML_LINK})."
            if changes
            else "None: the run created or changed no record on the target."
        )
        lines.append("")
    return lines


def _fill(blocks: list[list[str]], budget: int) -> tuple[list[str], int]:
    """As many whole blocks as fit in ``budget`` lines, and how many were left out."""
    lines: list[str] = []
    for shown, block in enumerate(blocks):
        if len(lines) + len(block) > budget:
            return lines, len(blocks) - shown
        lines += block
    return lines, 0


def render(outcome: Outcome, max_lines: int = MAX_LINES) -> str:
    """The Markdown summary (``outcome`` must already be redacted), at most ``max_lines``
    lines (whenever ``max_lines`` is at least :data:`FIXED_LINES`)."""
    results = case_results(outcome)
    groups = grouped(outcome)
    icon = ICONS[run_verdict(outcome, results)]
    head = [f"## {icon} kombo-conformance {inline(outcome.command)}: {headline(outcome, results)}"]
    if facts := run_facts(outcome):
        head += ["", " · ".join(f"{label.capitalize()}: {inline(text)}" for label, text in facts)]
    head.append("")
    new, listed = groups.listed()
    sections: list[tuple[list[str], list[list[str]]]] = []  # (title lines, group blocks)
    if groups.compared_with is not None:
        fixed = groups.changed("fixed")
        sections.append((change_lines(groups), [group_block(g) for g in (*new, *fixed)]))
        title = f"### Other groups ({len(listed)})"
    else:
        title = f"### Groups ({len(listed)})"
    sections.append(([title, ""], [group_block(g) for g in listed]))
    if not listed:
        sections[-1] = ([title, "", f"None: {no_groups(groups)}.", ""], [])
    folded = _observations(groups) if groups.observations and not groups.show_observations else []
    tail = [*_tail(outcome, results), f"Full report: {HTML_LINK} (every finding in report.json)."]
    budget = max_lines - len(head) - len(folded) - len(tail)
    budget -= sum(len(t) for t, _ in sections) + 2  # the "left out" line and its blank
    body: list[str] = []
    left_out = 0
    for title_lines, blocks in sections:
        shown, missed = _fill(blocks, max(budget, 0))
        budget -= len(shown)
        left_out += missed
        body += title_lines + shown
    if left_out:
        body += [f"…{plural(left_out, 'more group')} left out here: see {HTML_LINK}.", ""]
    lines = head + body + folded + tail
    return "\n".join(lines) + "\n"
