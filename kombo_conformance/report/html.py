"""``report.html``: one self-contained page (inline CSS and script, no external URL).

The headline and the run's facts; what changed since the compared report (when
``--compare`` gave one); the matrix of connectors x operations (:mod:`.html_matrix`),
whose cells filter the groups below; one block per group of findings (severity, change,
check, connector, operation, count, rule and its source, the curl reproduction and the
examples, each expanding to its message, rule, request, response and curl); the
observation groups folded in one ``<details>`` unless ``--show-observations``; the groups
fixed since the compared report; then the verdict table per connector, the cases that were
not run or inconclusive with their reasons, the bounded passes with their notes, the
records the run created or changed, and the run metadata. Severity and change are written
out as well as coloured. Every piece of report text goes through :func:`html.escape`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from kombo_conformance.findings import Finding, Outcome
from kombo_conformance.report.groups import COMPARE_KEY, Group, Grouped, grouped
from kombo_conformance.report.html_matrix import CSS as MATRIX_CSS
from kombo_conformance.report.html_matrix import SCRIPT as MATRIX_SCRIPT
from kombo_conformance.report.html_matrix import render_matrix
from kombo_conformance.report.matrix import run_matrix
from kombo_conformance.report.results import (
    Section,
    case_results,
    case_sections,
    connector_table,
    headline,
    plural,
    run_facts,
    run_verdict,
    suite_name,
)
from kombo_conformance.report.text import body_text, location, no_groups, request_line

FILENAME = "report.html"
MAX_CHANGES = 10  # groups listed by name in "What changed"; the rest are counted

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h3{font-size:1rem;margin:0 0 .3rem}
table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right}pre{white-space:pre-wrap;word-break:break-all;
background:#f6f8fa;padding:.5rem;margin:.3rem 0}summary{cursor:pointer}
.verdict{display:inline-block;padding:.2rem .6rem;border-radius:4px;font-weight:600}
.sev,.change{font-weight:600;padding:0 .3rem;border-radius:3px;white-space:nowrap}
.FAILED,.error{background:#ffebe9;color:#82071e}.PASSED{background:#dafbe1;color:#116329}
.NOT-JUDGED,.warning{background:#fff8c5;color:#7d4e00}.advisory{background:#ddf4ff;color:#0a3069}
.observation{background:#eaeef2;color:#24292f}
.change{border:1px solid currentColor}.new{color:#82071e}.still-failing{color:#7d4e00}
.fixed{color:#116329}
.group{border:1px solid #d0d7de;border-left-width:4px;border-radius:4px;padding:.5rem .7rem;
margin:.6rem 0}.group.g-error{border-left-color:#cf222e}.group.g-warning{border-left-color:#bf8700}
.group p{margin:.2rem 0}.group h4{margin:.5rem 0 .1rem;font-size:.85rem}.muted{color:#57606a}
"""


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    head = "".join(f"<th>{escape(h.capitalize())}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="n">{c}</td>' if isinstance(c, int) else f"<td>{escape(str(c))}</td>"
            for c in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _pre(text: str) -> str:
    return f"<pre>{escape(text)}</pre>"


def _details(finding: Finding) -> str:
    first_line, _, rest = finding.message.partition("\n")
    parts = [_pre(finding.message)] if rest.strip() else []
    if finding.rule:
        parts.append(f"<p>Rule: {escape(finding.rule)}</p>")
    if where := location(finding):
        parts.append(f"<p>At <code>{escape(where)}</code></p>")
    if finding.request:
        parts.append(f"<h4>Request</h4>{_pre(request_line(finding) or '')}")
        if finding.request.headers:
            parts.append(_pre(body_text(finding.request.headers)))
        if finding.request.body is not None:
            parts.append(_pre(body_text(finding.request.body)))
    if finding.response:
        parts.append(f"<h4>Response: HTTP {finding.response.status}</h4>")
        if finding.response.excerpt:
            parts.append(_pre(finding.response.excerpt))
    if finding.reproduction:
        parts.append(f"<h4>Reproduce</h4>{_pre(finding.reproduction)}")
    if finding.details:
        parts.append(f"<h4>Details</h4>{_pre(body_text(finding.details))}")
    summary = escape(first_line or finding.check)
    return f"<details><summary>{summary}</summary>{''.join(parts)}</details>"


def _badges(group: Group) -> str:
    severity = escape(group.severity)
    badges = f'<span class="sev {severity}">{severity.upper()}</span>'
    if group.change:
        change = escape(group.change)
        badges += f' <span class="change {change.replace(" ", "-")}">{change.upper()}</span>'
    return badges


def _rule(group: Group) -> str:
    if not group.rule_source:
        return '<p class="muted">Rule: not named by the check.</p>'
    label = "Rule" if group.rule_source == group.rule else "Rule source"
    return f"<p>{label}: <code>{escape(group.rule_source)}</code></p>"


def _group(group: Group) -> str:
    """One group's block; ``data-connector`` and ``data-operation`` let the matrix filter."""
    connector = suite_name(group.connector)
    where = " · ".join(escape(p) for p in (connector, group.operation) if p)
    message = group.message.partition("\n")[0]
    examples = "".join(_details(f) for f in group.examples)
    shown = f"{plural(len(group.examples), 'example')} of {plural(group.count, 'finding')}"
    return (
        f'<article class="group g-{escape(group.severity)}" id="g-{escape(group.id)}" '
        f'data-connector="{escape(connector)}" data-operation="{escape(group.operation)}">'
        f"<h3>{_badges(group)} <code>{escape(group.check)}</code> on {where} "
        f'<span class="count">&times;{group.count}</span></h3>'
        + (f"<p>{escape(message)}</p>" if message else "")
        + _rule(group)
        + (f"<h4>Reproduce</h4>{_pre(group.curl)}" if group.curl else "")
        + (f"<h4>Examples: {shown}</h4>{examples}" if examples else "")
        + "</article>"
    )


def _groups(groups: Sequence[Group]) -> str:
    return "".join(_group(g) for g in groups)


def _filter_status() -> str:
    return (
        '<p id="filter-status" hidden>Groups of <b id="filter-label"></b>: '
        '<span id="filter-shown">0</span> shown. '
        '<button type="button" id="show-all">Show all</button></p>'
    )


def _groups_section(view: Grouped) -> str:
    empty = f"{no_groups(view).capitalize()}."
    main = _groups(view.groups) if view.groups else f"<p>{empty}</p>"
    parts = [
        f"<h2>Groups ({len(view.groups)})</h2>{_filter_status()}<div data-group-box>{main}</div>"
    ]
    if view.observations:
        findings = sum(g.count for g in view.observations)
        title = (
            f"Observations: {plural(len(view.observations), 'group')}, "
            f"{plural(findings, 'finding')}"
        )
        opened = " open" if view.show_observations else ""
        parts.append(
            f'<details id="observations" data-group-box{opened}><summary>{escape(title)}'
            f"</summary>{_groups(view.observations)}</details>"
        )
    if view.fixed:
        parts.append(
            f"<section data-group-box><h2>Fixed since the compared report ({len(view.fixed)})"
            f"</h2>{_groups(view.fixed)}</section>"
        )
    return "".join(parts)


def _change_item(group: Group, anchors: bool) -> str:
    where = " · ".join(p for p in (suite_name(group.connector), group.operation) if p)
    said = f"{escape(group.check)} on {escape(where)}"
    if anchors:
        said = f'<a href="#g-{escape(group.id)}">{said}</a>'
    return f"<li>{said} ({escape(group.severity)}, &times;{group.count})</li>"


def _change_items(groups: Sequence[Group], anchors: bool) -> str:
    items = "".join(_change_item(g, anchors) for g in groups[:MAX_CHANGES])
    more = len(groups) - MAX_CHANGES
    return f"<ul>{items}{f'<li>and {more} more</li>' if more > 0 else ''}</ul>"


def what_changed(view: Grouped, anchors: bool = True) -> str:
    """The counts since the compared report and the new and fixed groups, linked to their
    blocks on this page when ``anchors``; "" without ``--compare``."""
    if view.compared_with is None:
        return ""
    counts = view.change_counts()
    line = ", ".join(f"{n} {change}" for change, n in counts.items())
    parts = [f"<p>Compared with <code>{escape(view.compared_with)}</code>: {escape(line)}."]
    if view.not_rechecked:
        parts.append(
            f" {plural(view.not_rechecked, 'earlier group')} not judged again by this run "
            "(neither fixed nor failing)."
        )
    parts.append("</p>")
    for change in ("new", "fixed"):
        if changed := view.changed(change):
            parts.append(f"<h3>{escape(change.capitalize())}</h3>{_change_items(changed, anchors)}")
    return f'<section id="what-changed"><h2>What changed</h2>{"".join(parts)}</section>'


def _facts(outcome: Outcome) -> str:
    facts = run_facts(outcome)
    items = "".join(
        f"<li>{escape(label.capitalize())}: {escape(text)}</li>" for label, text in facts
    )
    return f"<ul>{items}</ul>" if items else ""


def _section(section: Section) -> str:
    rows = len(section.table[1])
    body = _table(*section.table) if rows else f"<p>{escape(section.empty)}</p>"
    return f"<h2>{escape(section.title)} ({rows})</h2>{body}"


def _metadata(outcome: Outcome) -> str:
    """``meta`` as JSON, without the compared report's groups (``What changed`` has them)."""
    meta = {k: v for k, v in outcome.meta.items() if k != COMPARE_KEY}
    return f"<h2>Run metadata</h2>{_pre(json.dumps(meta, indent=2, default=str))}" if meta else ""


def render(outcome: Outcome) -> str:
    """The HTML page (``outcome`` must already be redacted)."""
    results = case_results(outcome)
    view = grouped(outcome)
    title = f"kombo-conformance {outcome.command}"
    summary = _table(*connector_table(results))
    sections = "".join(_section(s) for s in case_sections(outcome, results))
    started = f"<p>Started {escape(outcome.started_at)}, {outcome.duration_s:.1f} s.</p>"
    status = run_verdict(outcome, results).replace(" ", "-")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title>'
        f"<style>{_CSS}{MATRIX_CSS}</style></head><body>"
        f'<h1>{escape(title)}</h1><p><span class="verdict {status}">'
        f"{escape(headline(outcome, results))}</span></p>{started if outcome.started_at else ''}"
        f"{_facts(outcome)}{what_changed(view)}"
        f"<h2>Matrix</h2>{render_matrix(run_matrix(results), view.all)}"
        f"{_groups_section(view)}<h2>Connectors</h2>{summary}{sections}{_metadata(outcome)}"
        f"<script>{MATRIX_SCRIPT}</script></body></html>\n"
    )
