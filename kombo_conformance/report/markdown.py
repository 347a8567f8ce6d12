"""``summary.md``: short enough for a PR comment or ``$GITHUB_STEP_SUMMARY``.

In this order: the headline and run facts; what changed since ``--compare`` (counts, the
new groups, the fixed ones); the other groups, one small block each (severity, check,
connector, operation, count, change, rule source, first message, and the curl in a folded
``<details>``); the observations folded into one ``<details>`` with their counts per check
(listed as groups with ``--show-observations``); the connector table; why cases were not
judged; how many records the run created or changed; a link to ``report.html``.

The whole summary is capped at :data:`MAX_LINES` lines: everything but the groups is
always shown, and the groups fill the lines left; when some do not fit it says how many
were left out and links ``report.html``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from kombo_conformance.findings import Outcome
from kombo_conformance.report.groups import Group, Grouped, grouped
from kombo_conformance.report.results import (
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


def _group_block(group: Group) -> list[str]:
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
    return [
        f"<details><summary>{html.escape(observation_line(groups))}</summary>",
        "",
        *table(("check", "groups", "findings"), rows).splitlines(),
        "",
        "</details>",
        "",
    ]


def _change_lines(groups: Grouped) -> list[str]:
    counts = groups.change_counts()
    said = " · ".join(f"{n} {CHANGE_LABELS[change]}" for change, n in counts.items())
    rest = f" · {groups.not_rechecked} not rechecked" if groups.not_rechecked else ""
    return [
        f"### What changed since {code(groups.compared_with or '')}",
        "",
        f"{said}{rest} (groups; observations aside)",
        "",
    ]


def _tail(outcome: Outcome, results: list[CaseResult]) -> list[str]:
    """The connector table, why cases were not judged, and the records changed."""
    lines = [*table(*connector_table(results)).splitlines(), ""]
    if reasons := not_judged_lines(results):
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
    lines unless the parts other than groups alone are longer."""
    results = case_results(outcome)
    groups = grouped(outcome)
    icon = ICONS[run_verdict(outcome, results)]
    head = [f"## {icon} kombo-conformance {inline(outcome.command)}: {headline(outcome, results)}"]
    if facts := run_facts(outcome):
        head += ["", " · ".join(f"{label.capitalize()}: {inline(text)}" for label, text in facts)]
    head.append("")
    listed = groups.all if groups.show_observations else groups.groups
    sections: list[tuple[list[str], list[list[str]]]] = []  # (title lines, group blocks)
    if groups.compared_with is not None:
        new = [g for g in listed if g.change == "new"]
        fixed = groups.changed("fixed")
        sections.append((_change_lines(groups), [_group_block(g) for g in (*new, *fixed)]))
        listed = tuple(g for g in listed if g.change != "new")
        title = f"### Other groups ({len(listed)})"
    else:
        title = f"### Groups ({len(listed)})"
    sections.append(([title, ""], [_group_block(g) for g in listed]))
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
