"""The matrix of ``report.html``: connectors x operations, each cell a button coloured by
its worst verdict (see :mod:`.matrix`), with a legend and the inline script that filters
the groups below to the clicked cell.

A cell shows a symbol (and, for ``error`` and ``warning``, how many groups of that
severity it has); its ``title`` and ``aria-label`` spell out connector, operation, verdict
and group count. Cells are ``<button>`` elements, so Tab reaches them and Enter or Space
presses them. Pressing a cell shows only the elements with ``class="group"`` whose
``data-connector`` and ``data-operation`` match it, and sets the URL fragment to
``#connector=<slug>&operation=<METHOD /path>`` (URL-encoded); the page reads that fragment
when it opens, so a link opens it filtered. Pressing the cell again or "Show all" clears
the filter. Every text goes through :func:`html.escape`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from html import escape

from kombo_conformance.report.groups import Group
from kombo_conformance.report.matrix import CELL_VERDICTS, Matrix, MatrixCell
from kombo_conformance.report.results import plural, suite_name

NEUTRAL = "not applicable"
SYMBOLS = {
    "error": "✗",
    "warning": "!",
    "inconclusive": "?",
    "not run": "\u2013",  # en dash
    "passed": "✓",
    NEUTRAL: "·",
}
MEANINGS = {
    "error": "a case failed (an error finding)",
    "warning": "a warning finding, no error",
    "inconclusive": "a check started but the answers allowed no verdict",
    "not run": "a check could not run here",
    "passed": "every case that applied passed",
    NEUTRAL: "nothing here applied",
}
NO_OPERATION = "(no operation)"  # the column of findings not tied to an operation
COUNTED = ("error", "warning")  # cells of these verdicts show how many such groups they have

CSS = """
#matrix{width:auto}#matrix th.op{writing-mode:vertical-rl;transform:rotate(180deg);
font-weight:400;font-size:11px;white-space:nowrap;vertical-align:bottom}
#matrix td{padding:0;text-align:center}
button.cell{font:600 13px/1 ui-monospace,monospace;min-width:2.6rem;min-height:2rem;
border:1px solid transparent;cursor:pointer;color:inherit;background:inherit;width:100%}
button.cell:focus-visible{outline:3px solid #0969da;outline-offset:-3px}
button.cell[aria-pressed=true]{outline:3px solid #1b1f24;outline-offset:-3px}
.v-error{background:#ffebe9;color:#82071e}.v-warning{background:#fff8c5;color:#7d4e00}
.v-inconclusive{background:#fbefff;color:#6639ba}.v-not-run{background:#fff;color:#57606a;
outline:1px dashed #8c959f;outline-offset:-3px}.v-passed{background:#dafbe1;color:#116329}
.v-not-applicable{background:#f6f8fa;color:#8c959f}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
ul.legend span{display:inline-block;min-width:1.6rem;text-align:center;font-weight:600}
#filter-status{background:#ddf4ff;padding:.4rem .6rem;border-radius:4px}
"""

SCRIPT = """
(function () {
  var cells = Array.prototype.slice.call(document.querySelectorAll('#matrix button.cell'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('.group'));
  var boxes = Array.prototype.slice.call(document.querySelectorAll('[data-group-box]'));
  var status = document.getElementById('filter-status');
  var label = document.getElementById('filter-label');
  var shown = document.getElementById('filter-shown');
  var current = null;
  function filter(connector, operation) {
    current = connector === null ? null : [connector, operation];
    var count = 0;
    groups.forEach(function (g) {
      var match = current === null ||
        (g.dataset.connector === connector && g.dataset.operation === operation);
      g.hidden = !match;
      if (match) { count += 1; }
    });
    boxes.forEach(function (box) {
      box.hidden = current !== null && !box.querySelector('.group:not([hidden])');
    });
    var place = current === null ? '' : connector + ' \\u00b7 ' + operation;
    cells.forEach(function (c) {
      var on = current !== null && c.dataset.connector === connector &&
        c.dataset.operation === operation;
      c.setAttribute('aria-pressed', on ? 'true' : 'false');
      if (on) { place = c.dataset.place; }
    });
    if (status) {
      status.hidden = current === null;
      label.textContent = place;
      shown.textContent = String(count);
    }
    document.body.dataset.filter = current === null ? '' : current.join(' ');
  }
  function toHash() {
    var h = current === null ? '' :
      '#' + new URLSearchParams({connector: current[0], operation: current[1]}).toString();
    try {
      history.replaceState(null, '', h || location.pathname + location.search);
    } catch (e) {
      location.hash = h;
    }
  }
  function fromHash() {
    var h = location.hash.slice(1);
    var p = new URLSearchParams(h);
    if (p.has('connector') && p.has('operation')) {
      filter(p.get('connector'), p.get('operation'));
      return;
    }
    filter(null, null);
    var target = h && document.getElementById(decodeURIComponent(h));
    if (target) { target.scrollIntoView(); }
  }
  cells.forEach(function (c) {
    c.addEventListener('click', function () {
      var again = c.getAttribute('aria-pressed') === 'true';
      filter(again ? null : c.dataset.connector, again ? null : c.dataset.operation);
      toHash();
    });
  });
  var all = document.getElementById('show-all');
  if (all) {
    all.addEventListener('click', function () { filter(null, null); toHash(); });
  }
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
"""


def _slug(verdict: str) -> str:
    return verdict.replace(" ", "-")


def operation_order(operation: str) -> tuple[str, str]:
    """Columns by path, then method: ``GET /a`` and ``POST /a`` side by side."""
    method, _, path = operation.partition(" ")
    return (path, method)


def place(connector: str, operation: str) -> str:
    """``greenhouse · GET /ats/jobs`` as a cell's label says it."""
    return f"{connector} · {operation or NO_OPERATION}"


def _counts(groups: Iterable[Group]) -> dict[tuple[str, str], Counter[str]]:
    counts: dict[tuple[str, str], Counter[str]] = {}
    for group in groups:
        key = (suite_name(group.connector), group.operation)
        counts.setdefault(key, Counter())[group.severity] += 1
    return counts


def _cell(cell: MatrixCell, counts: Counter[str]) -> str:
    verdict = cell.verdict or NEUTRAL
    where = place(cell.connector, cell.operation)
    text = SYMBOLS[verdict] + (str(counts[verdict]) if verdict in COUNTED else "")
    label = (
        f"{where}: {verdict}, {plural(sum(counts.values()), 'group')}, {plural(cell.cases, 'case')}"
    )
    attributes = {
        "type": "button",
        "class": f"cell v-{_slug(verdict)}",
        "data-connector": cell.connector,
        "data-operation": cell.operation,
        "data-verdict": verdict,
        "data-place": where,
        "aria-pressed": "false",
        "title": label,
        "aria-label": label,
    }
    button = " ".join(f'{k}="{escape(v)}"' for k, v in attributes.items())
    return f'<td class="v-{_slug(verdict)}"><button {button}>{escape(text)}</button></td>'


def _empty(connector: str, operation: str) -> str:
    title = f"{place(connector, operation)}: no cases"
    return f'<td title="{escape(title)}"></td>'


def legend() -> str:
    items = "".join(
        f'<li><span class="v-{_slug(v)}">{SYMBOLS[v]}</span> {escape(v)}: {escape(MEANINGS[v])}'
        "</li>"
        for v in (*CELL_VERDICTS, NEUTRAL)
    )
    return (
        f'<ul class="legend">{items}</ul><p>A cell takes the worst verdict of its cases; '
        f"{SYMBOLS['error']} and {SYMBOLS['warning']} are followed by the number of such "
        "groups. Press a cell to show only its groups.</p>"
    )


def render_matrix(matrix: Matrix, groups: Iterable[Group]) -> str:
    """The matrix table and its legend; ``groups`` give the counts and labels."""
    if not matrix.cells:
        return "<p>No cases: nothing to show in a matrix.</p>"
    counts = _counts(groups)
    operations = sorted(matrix.operations, key=operation_order)
    heads = "".join(
        f'<th class="op" scope="col">{escape(op or NO_OPERATION)}</th>' for op in operations
    )
    rows = "".join(
        f'<tr><th scope="row">{escape(connector)}</th>'
        + "".join(
            _cell(cell, counts.get((connector, op), Counter()))
            if (cell := matrix.cell(connector, op))
            else _empty(connector, op)
            for op in operations
        )
        + "</tr>"
        for connector in matrix.connectors
    )
    return (
        f'<table id="matrix"><thead><tr><th scope="col">connector</th>{heads}</tr></thead>'
        f"<tbody>{rows}</tbody></table>{legend()}"
    )
