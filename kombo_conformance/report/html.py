"""``report.html``: one self-contained page (inline CSS and script, no external URL).

The run's facts (target, environment, writes allowed, politeness), a verdict table per
connector, the cases that were not run or inconclusive with their reasons, the bounded
passes with their notes, the records the run created or changed, then every finding in a
table that a small inline script filters by connector, severity and check. Severity is
written out as well as coloured, and each finding expands (``<details>``) to its message,
rule, request, response and curl. Every piece of report text goes through
:func:`html.escape`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from kombo_conformance.findings import SEVERITIES, Finding, Outcome
from kombo_conformance.report.results import (
    Section,
    case_results,
    case_sections,
    connector_table,
    headline,
    ordered_findings,
    run_facts,
    run_verdict,
    suite_name,
)
from kombo_conformance.report.text import body_text, location, request_line

FILENAME = "report.html"

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}table{border-collapse:collapse;margin:1rem 0;width:100%}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right}pre{white-space:pre-wrap;word-break:break-all;
background:#f6f8fa;padding:.5rem;margin:.3rem 0}summary{cursor:pointer}
.verdict{display:inline-block;padding:.2rem .6rem;border-radius:4px;font-weight:600}
.sev{font-weight:600;padding:0 .3rem;border-radius:3px;white-space:nowrap}
.FAILED,.error{background:#ffebe9;color:#82071e}.PASSED{background:#dafbe1;color:#116329}
.NOT-JUDGED,.warning{background:#fff8c5;color:#7d4e00}.advisory{background:#ddf4ff;color:#0a3069}
.observation{background:#eaeef2;color:#24292f}label{margin-right:1rem}
"""

_SCRIPT = """
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("#findings tbody tr"));
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var count = document.getElementById("shown");
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = selects.every(function (s) {
        return !s.value || row.dataset[s.dataset.filter] === s.value;
      });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    count.textContent = String(shown);
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  apply();
})();
"""

_FILTERS = (("connector", "Connector"), ("severity", "Severity"), ("check", "Check"))


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


def _select(key: str, label: str, values: Iterable[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return (
        f'<label>{escape(label)} <select data-filter="{key}">'
        f'<option value="">all</option>{options}</select></label>'
    )


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


def _finding_row(finding: Finding) -> str:
    values = {
        "connector": suite_name(finding.connector),
        "severity": finding.severity,
        "check": finding.check,
    }
    data = " ".join(f'data-{k}="{escape(v)}"' for k, v in values.items())
    severity = escape(finding.severity)
    return (
        f'<tr {data}><td><span class="sev {severity}">{severity.upper()}</span></td>'
        f"<td>{escape(values['connector'])}</td><td>{escape(finding.operation)}</td>"
        f"<td>{escape(finding.check)}</td><td>{_details(finding)}</td></tr>"
    )


def _findings_section(findings: list[Finding]) -> str:
    if not findings:
        return "<p>No findings.</p>"
    choices = {
        "connector": sorted({suite_name(f.connector) for f in findings}),
        "severity": [s for s in SEVERITIES if any(f.severity == s for f in findings)],
        "check": sorted({f.check for f in findings}),
    }
    filters = "".join(_select(key, label, choices[key]) for key, label in _FILTERS)
    rows = "".join(_finding_row(f) for f in findings)
    return (
        f'<p>{filters}</p><p><span id="shown">{len(findings)}</span> of {len(findings)} '
        'findings shown.</p><table id="findings"><thead><tr><th>Severity</th>'
        "<th>Connector</th><th>Operation</th><th>Check</th><th>Finding</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


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


def render(outcome: Outcome) -> str:
    """The HTML page (``outcome`` must already be redacted)."""
    results = case_results(outcome)
    title = f"kombo-conformance {outcome.command}"
    summary = _table(*connector_table(results))
    sections = "".join(_section(s) for s in case_sections(outcome, results))
    meta = _pre(json.dumps(outcome.meta, indent=2, default=str)) if outcome.meta else ""
    started = f"<p>Started {escape(outcome.started_at)}, {outcome.duration_s:.1f} s.</p>"
    status = run_verdict(outcome, results).replace(" ", "-")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>"
        f'<h1>{escape(title)}</h1><p><span class="verdict {status}">'
        f"{escape(headline(outcome, results))}</span></p>{started if outcome.started_at else ''}"
        f"{_facts(outcome)}<h2>Connectors</h2>{summary}{sections}<h2>Findings</h2>"
        f"{_findings_section(ordered_findings(outcome.findings))}"
        f"{'<h2>Run metadata</h2>' + meta if meta else ''}"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
