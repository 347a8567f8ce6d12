"""``certification.html``: the matrix for people, one self-contained page.

Inline CSS and script, no external URL. Every cell shows its status as text (a short code,
spelled out in the legend and the cell's title) as well as a colour. Filters by connector
and status; the page also reads them from the URL fragment (``#status=failed``,
``#connector=homerun&status=failed``) so a link, or a headless browser, opens it filtered.
A failing cell links to its drill-down: findings, fingerprints, request, response and the
reproducing ``curl``. With ``--compare``, "What changed" (counts, new and fixed groups)
comes first, rendered as ``report.html`` renders it. Every piece of text goes through
:func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from kombo_conformance.certify.baseline import Entry
from kombo_conformance.certify.declared import DeclaredCoverage
from kombo_conformance.certify.matrix import STATUSES, Cell, ConnectorResult
from kombo_conformance.certify.result import Certification
from kombo_conformance.checks.declared import ItemClaim
from kombo_conformance.findings import Finding
from kombo_conformance.report.groups import from_comparison
from kombo_conformance.report.html import what_changed
from kombo_conformance.report.text import request_line

FILENAME = "certification.html"
CLAIMED = {True: "✓", False: "✗"}  # claimed available or not, shown beside the verified code
CODES = {
    "certified": "OK",
    "failed": "FAIL",
    "unsupported": "n/a",
    "declared-not-working": "DNW",
    "undeclared-working": "UW",
    "not run": "NR",
}

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.8rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}#matrix td.cell{text-align:center;font:600 11px/1.2 ui-monospace,monospace}
#matrix th.op{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:400;font-size:11px;
white-space:nowrap;vertical-align:bottom}
.s-certified{background:#dafbe1;color:#116329}.s-failed{background:#ffebe9;color:#82071e}
.s-unsupported{background:#eaeef2;color:#57606a}.s-declared-not-working{background:#fff1e5;
color:#953800}.s-undeclared-working{background:#ddf4ff;color:#0a3069}
.s-not-run{background:#fff;color:#57606a;border-style:dashed}
.base{outline:2px dashed #9a6700;outline-offset:-3px}.dim{opacity:.25}
.cl{font-weight:400;margin-left:.15rem}.lie{box-shadow:inset 0 0 0 3px #cf222e}
.bang{color:#cf222e;margin-left:.1rem}
.c-confirmed{background:#dafbe1;color:#116329}.c-contradicted{background:#cf222e;color:#fff;
font-weight:700}.c-unconfirmed{background:#fff8c5;color:#7d4e00}.c-not-judged,.c-no-claim{
color:#57606a}details.claims{margin:.3rem 0}
.v-certified{color:#116329}.v-partly-judged{color:#57606a}.v-baselined{color:#7d4e00}.v-not-certified{color:#82071e}
.verdict{font-weight:700;white-space:nowrap}pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;
padding:.5rem;margin:.3rem 0}summary{cursor:pointer;font-weight:600}label{margin-right:1rem}
details.drill{border:1px solid #d0d7de;border-radius:4px;padding:.4rem .6rem;margin:.4rem 0}
a{color:inherit}
"""

_SCRIPT = """
(function () {
  var byConnector = document.getElementById('f-connector');
  var byStatus = document.getElementById('f-status');
  function apply() {
    var c = byConnector.value, s = byStatus.value, shown = 0;
    document.querySelectorAll('#matrix tbody tr').forEach(function (tr) {
      var show = (!c || tr.dataset.connector === c) &&
        (!s || tr.dataset.statuses.split(' ').indexOf(s) >= 0);
      tr.hidden = !show;
      if (show) { shown += 1; }
    });
    document.querySelectorAll('#matrix td.cell').forEach(function (td) {
      td.classList.toggle('dim', !!s && td.dataset.status !== s);
    });
    document.querySelectorAll('details.drill').forEach(function (d) {
      d.hidden = !((!c || d.dataset.connector === c) && (!s || d.dataset.status === s));
    });
    document.getElementById('shown').textContent = shown;
    // State for tests and tools reading the rendered DOM (e.g. chromium --dump-dom).
    var matrix = document.getElementById('matrix');
    document.body.dataset.filter = 'connector=' + c + '&status=' + s;
    document.body.dataset.matrixVisible = String(getComputedStyle(matrix).display !== 'none' &&
      matrix.getBoundingClientRect().height > 0);
  }
  function fromHash() {
    var h = decodeURIComponent(location.hash.slice(1));
    if (h.indexOf('=') >= 0) {
      var p = new URLSearchParams(h);
      byConnector.value = p.get('connector') || '';
      byStatus.value = p.get('status') || '';
    } else if (h) {
      var d = document.getElementById(h);
      if (d && d.tagName === 'DETAILS') { d.open = true; d.hidden = false; }
    }
    apply();
  }
  byConnector.addEventListener('change', apply);
  byStatus.addEventListener('change', apply);
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
"""


def _select(key: str, label: str, values: list[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return (
        f'<label>{escape(label)} <select id="f-{key}"><option value="">all</option>'
        f"{options}</select></label>"
    )


def _legend() -> str:
    items = "".join(
        f'<li><span class="s-{_slug(s)}">{CODES[s]}</span> {escape(s)}</li>' for s in STATUSES
    )
    return (
        f"<ul>{items}<li><span class='base'>FAIL*</span> every finding of the cell is in "
        "the baseline</li><li>verified, then claimed: the code is what the target did, the "
        f"mark after it what was claimed: <span class='cl'>{CLAIMED[True]}</span> available, "
        f"<span class='cl'>{CLAIMED[False]}</span> not available (by the target's "
        "declaration, else the hand profile; the cell's title says which)</li>"
        "<li><span class='lie'>OK<b class='bang'>!</b></span> the evidence contradicts the "
        "target's declaration here (availability or a field): see Declared vs verified</li></ul>"
    )


def _drill_id(row: int, column: int) -> str:
    return f"cell-{row}-{column}"


def _cell(cell: Cell, row: int, column: int) -> str:
    label = CODES[cell.status]
    claim = cell.claim or ("listed" if cell.declared else "not listed")
    title = f"{cell.connector} · {cell.operation}: claimed {claim}; verified {cell.status}"
    classes = f"cell s-{_slug(cell.status)}"
    if not cell.passed:
        if cell.gate_passed:
            label, classes, title = f"{label}*", f"{classes} base", f"{title} (baselined)"
        label = f'<a href="#{_drill_id(row, column)}">{label}</a>'
    label += f'<span class="cl">{CLAIMED[cell.declared]}</span>'
    if cell.contradicts_declaration:
        classes, title = f"{classes} lie", f"{title}; the declaration is contradicted here"
        label += '<b class="bang">!</b>'
    return (
        f'<td class="{classes}" data-status="{cell.status}" '
        f'data-claimed="{str(cell.declared).lower()}" title="{escape(title)}">{label}</td>'
    )


def _matrix(certification: Certification) -> str:
    heads = "".join(f'<th class="op">{escape(op)}</th>' for op in certification.operations)
    rows = []
    for r, connector in enumerate(certification.connectors):
        by_operation = {c.operation: (i, c) for i, c in enumerate(connector.cells)}
        cells = "".join(
            _cell(by_operation[op][1], r, by_operation[op][0])
            if op in by_operation
            else "<td></td>"
            for op in certification.operations
        )
        statuses = " ".join(sorted({c.status for c in connector.cells}))
        rows.append(
            f'<tr data-connector="{escape(connector.slug)}" data-statuses="{statuses}">'
            f"<th>{escape(connector.slug)}</th>"
            f'<td class="verdict v-{_slug(connector.verdict)}">'
            f"{escape(connector.verdict)}</td>{cells}</tr>"
        )
    return (
        f'<table id="matrix"><thead><tr><th>connector</th><th>verdict</th>{heads}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _declaration_cell(connector: ConnectorResult) -> str:
    declared = connector.declared
    if declared is None:
        return "<td>-</td>"
    text = (
        f"{declared.source}: {declared.contradicted} contradicted"
        if declared.source
        else "none (see why under Declared vs verified)"
    )
    wrong = " class='c-contradicted'" if declared.contradicted else ""
    return f"<td{wrong}><a href='#declared-{escape(connector.slug)}'>{escape(text)}</a></td>"


def _verdicts(certification: Certification) -> str:
    rows = "".join(
        f"<tr><th>{escape(c.slug)}</th><td>{escape(c.name)}</td>"
        f'<td class="verdict">{escape(c.verdict)}</td>{_declaration_cell(c)}'
        f"<td>{escape(c.reason)}</td></tr>"
        for c in certification.connectors
    )
    return (
        "<table id='verdicts'><thead><tr><th>connector</th><th>name</th><th>verdict</th>"
        f"<th>declaration</th><th>reason</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _pre(text: str) -> str:
    return f"<pre>{escape(text)}</pre>"


def _finding(finding: Finding, baselined: bool) -> str:
    parts = [
        f"<p><b>{escape(finding.check)}</b> [{escape(finding.severity)}]"
        f"{' (baselined)' if baselined else ' <b>(new)</b>'}: {escape(finding.message)}</p>",
        f"<p>fingerprint <code>{escape(finding.fingerprint)}</code></p>",
    ]
    if line := request_line(finding):
        parts.append(f"<p>request: <code>{escape(line)}</code></p>")
    if finding.response is not None:
        parts.append(f"<p>response {finding.response.status}</p>{_pre(finding.response.excerpt)}")
    if finding.reproduction:
        parts.append(f"<p>reproduce:</p>{_pre(finding.reproduction)}")
    return "<div class='finding'>" + "".join(parts) + "</div>"


def _drilldowns(certification: Certification) -> str:
    parts = []
    for r, connector in enumerate(certification.connectors):
        for i, cell in enumerate(connector.cells):
            if cell.passed:
                continue
            findings = "".join(_finding(f, f.fingerprint in cell.baselined) for f in cell.findings)
            parts.append(
                f'<details class="drill" id="{_drill_id(r, i)}" '
                f'data-connector="{escape(cell.connector)}" data-status="{cell.status}">'
                f"<summary>{escape(cell.connector)} · {escape(cell.operation)}: "
                f"{escape(cell.status)} ({len(cell.findings)} findings)</summary>"
                f"<p>{escape(cell.evidence.describe())}</p>{findings}</details>"
            )
    return "".join(parts) or "<p>No failing cells.</p>"


def _coverage(connector: ConnectorResult) -> str:
    parts = []
    for model in connector.coverage:
        rows = "".join(
            f"<tr><td>{escape(name)}</td><td>{count}/{model.records}</td>"
            f"<td>{model.ratio(name):.0%}</td></tr>"
            for name, count in model.declared.items()
        )
        undeclared = ", ".join(f"{escape(k)} ({v})" for k, v in model.undeclared.items())
        items = f" items {escape(model.items)}" if model.items else ""
        parts.append(
            f"<h3>{escape(connector.slug)} · {escape(model.model)} "
            f"<small>({escape(model.operation)}{items}, "
            f"{model.records} records)</small></h3><table class='coverage'><thead><tr>"
            "<th>declared field</th><th>populated</th><th>share</th></tr></thead>"
            f"<tbody>{rows}</tbody></table><p>Populated but not declared: "
            f"{undeclared or 'none'}</p>"
        )
    return "".join(parts)


def _claim_row(cells: tuple[str, ...], verdict: str) -> str:
    tds = "".join(f"<td>{escape(c)}</td>" for c in cells)
    return f"<tr>{tds}<td class='c-{_slug(verdict)}'>{escape(verdict)}</td></tr>"


def _item(item: ItemClaim) -> str:
    """One model or action: its fields, claimed against seen, in a drill-down that is open
    when one of its claims is contradicted."""
    seen = "records" if item.kind == "model" else "served requests"
    rows = "".join(
        _claim_row((f.field, f.claim, str(f.seen), str(f.filled), f.why), f.verdict)
        for f in item.fields
    )
    wrong = sum(f.verdict == "contradicted" for f in item.fields)
    summary = f"{item.kind} {item.id} ({item.label}): {len(item.fields)} fields" + (
        f", {wrong} contradicted" if wrong else ""
    )
    return (
        f"<details class='claims'{' open' if wrong else ''}><summary>{escape(summary)}"
        f"</summary><table><thead><tr><th>field</th><th>claimed</th><th>{seen} seen</th>"
        f"<th>filled</th><th>why</th><th>verdict</th></tr></thead><tbody>{rows}</tbody>"
        "</table></details>"
    )


def _declared(connector: ConnectorResult) -> str:
    """Claimed vs verified for one connector: every model and action of its declaration
    (claim, how its operations answered, verdict), their fields, and the findings about the
    declaration (drift and warnings included)."""
    declared: DeclaredCoverage | None = connector.declared
    if declared is None:
        return ""
    head = f"<h3 id='declared-{escape(connector.slug)}'>{escape(connector.slug)} · "
    if declared.source is None:
        return f"{head}no declaration</h3><p>{escape(declared.note)}</p>"
    rows = "".join(
        _claim_row(
            (i.kind, i.id, i.label, ", ".join(i.operations) or "-", i.claim, i.observed),
            i.verdict,
        )
        for i in declared.items
    )
    findings = "".join(
        f"<li>[{escape(f.severity)}] <b>{escape(f.check)}</b>: {escape(f.message)}</li>"
        for f in declared.findings
    )
    return (
        f"{head}{escape(declared.source)} <small>({declared.contradicted} claims contradicted)"
        "</small></h3><table class='declared'><thead><tr><th>kind</th><th>id</th><th>label</th>"
        "<th>operations</th><th>claimed</th><th>observed</th><th>verdict</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{''.join(_item(i) for i in declared.items if i.fields)}"
        f"<ul>{findings or '<li>no finding about the declaration</li>'}</ul>"
    )


def _entries(title: str, entries: list[Entry]) -> str:
    if not entries:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(e.fingerprint)}</code></td><td>{escape(e.who)}</td>"
        f"<td>{escape(e.why)}</td><td>{escape(e.when)}</td>"
        f"<td>{escape(str(e.expires or ''))}</td></tr>"
        for e in entries
    )
    return (
        f"<h2>{escape(title)} ({len(entries)})</h2><table><thead><tr><th>fingerprint</th>"
        f"<th>who</th><th>why</th><th>when</th><th>expires</th></tr></thead><tbody>{rows}"
        "</tbody></table>"
    )


def _what_changed(certification: Certification) -> str:
    """With ``--compare``: the counts and the new and fixed groups, as report.html says it."""
    comparison = certification.meta.get("comparison")
    if not isinstance(comparison, Mapping):
        return ""
    return what_changed(from_comparison(certification.findings, comparison), anchors=False)


def render(certification: Certification) -> str:
    slugs = [c.slug for c in certification.connectors]
    coverage = "".join(_coverage(c) for c in certification.connectors)
    declared = "".join(_declared(c) for c in certification.connectors)
    meta = certification.meta
    where = ", ".join(
        f"{name} {escape(str(meta[key]))}"
        for key, name in (("target", "target"), ("environment", "environment"))
        if meta.get(key)
    )
    body = (
        f"<h1>Connector certification</h1><p id='headline'><b>"
        f"{escape(certification.headline())}</b></p><p id='where'>{where}</p>"
        f"{_what_changed(certification)}"
        f"<h2>Matrix</h2>{_legend()}<p>{_select('connector', 'Connector', slugs)}"
        f"{_select('status', 'Status', list(STATUSES))} "
        f"showing <span id='shown'>{len(slugs)}</span> of {len(slugs)} connectors</p>"
        f"{_matrix(certification)}<h2>Verdicts</h2>{_verdicts(certification)}"
        f"<h2>Failing cells</h2>{_drilldowns(certification)}"
        f"{_entries('Stale baseline entries (no longer occur: prune them)', certification.stale)}"
        f"{_entries('Expired baseline entries (no longer count)', certification.expired)}"
        f"<h2>Declared vs verified</h2>"
        f"{declared or '<p>No connector was certified against a declaration.</p>'}"
        f"<h2>Field coverage</h2>{coverage or '<p>No profile declares models.</p>'}"
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>Connector certification</title>"
        f"<style>{_CSS}</style></head><body>{body}<script>{_SCRIPT}</script></body></html>\n"
    )


def _slug(text: str) -> str:
    """A status or verdict as a CSS class name part (``not run`` -> ``not-run``)."""
    return text.replace(" ", "-")
