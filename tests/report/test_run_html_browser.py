"""The run's report.html in a real headless Chromium, driven over the DevTools protocol:
a real mouse click (and a real Enter key) on a matrix cell shows exactly that cell's
groups, "Show all" brings back the others, the URL fragment opens the page filtered, and
the server text planted in findings never runs as script.

Needs ``chromium`` (Debian: ``apt-get install -y chromium``); skipped, saying so, without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from kombo_conformance.cli.run import execute
from kombo_conformance.findings import (
    Case,
    Finding,
    Outcome,
    RequestRecord,
    ResponseExcerpt,
    Severity,
)
from kombo_conformance.report import write_reports
from kombo_conformance.report.groups import grouped
from kombo_conformance.report.results import suite_name
from kombo_conformance.settings import resolve_settings
from tests.browser import DevTools, find_browser

JOBS, CANDIDATES, EMPLOYEES = "GET /ats/jobs", "POST /ats/candidates", "GET /hris/employees"
# Server text as a finding carries it: it must be shown, never run.
HOSTILE = (
    "<img src=x onerror=\"document.body.dataset.pwned='img'\">"
    "<script>document.body.dataset.pwned='script'</script>"
)
VISIBLE_GROUPS = (
    "Array.from(document.querySelectorAll('.group'))"
    ".filter(g => g.checkVisibility()).map(g => g.id).sort()"
)
SHOWN_GROUPS = (
    "Array.from(document.querySelectorAll('.group')).filter(g => !g.hidden).map(g => g.id).sort()"
)


def _finding(
    check: str, connector: str, operation: str, severity: Severity = "error", rule: str = ""
) -> Finding:
    return Finding(
        check,
        f"{check} broke {HOSTILE}",
        severity,
        connector,
        operation,
        rule=rule or None,
        request=RequestRecord("GET", f"http://127.0.0.1:9/v1{operation.split()[1]}"),
        response=ResponseExcerpt(500, f'{{"error": "{HOSTILE}"}}'),
    )


def sample_outcome() -> Outcome:
    """Two connectors x three operations: errors, warnings, an observation, a not-run and a
    passed cell, and a cell with two groups."""
    return Outcome(
        command="run",
        findings=[
            _finding("response_schema", "acme", JOBS, rule="schema: type string at /name"),
            _finding("response_schema", "acme", JOBS, rule="schema: type string at /name"),
            _finding("pagination", "acme", JOBS, "warning"),
            _finding("read_after_write", "acme", CANDIDATES),
            _finding("pagination", "bolt", JOBS, "warning"),
            _finding("date_ambiguity", "bolt", EMPLOYEES, "observation"),
            _finding("status_code", "bolt", EMPLOYEES),
        ],
        cases=[
            Case("acme", EMPLOYEES, "response_schema"),
            Case("bolt", CANDIDATES, "read_after_write", "not run", "writes not allowed"),
            Case("bolt", JOBS, "filters", "inconclusive", "rate limited"),
        ],
    )


def expected(outcome: Outcome, connector: str, operation: str) -> list[str]:
    """The ids of the groups of one cell, from the grouping itself."""
    view = grouped(outcome)
    return sorted(
        f"g-{g.id}"
        for g in view.all
        if (suite_name(g.connector), g.operation) == (connector, operation)
    )


def cell(connector: str, operation: str) -> str:
    return (
        f"#matrix button.cell[data-connector={json.dumps(connector)}]"
        f"[data-operation={json.dumps(operation)}]"
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory) -> Iterator[DevTools]:
    devtools = DevTools(find_browser(), tmp_path_factory.mktemp("profile"))
    try:
        yield devtools
    finally:
        devtools.close()


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> tuple[Outcome, str]:
    outcome = sample_outcome()
    directory = tmp_path_factory.mktemp("report")
    write_reports(outcome, directory, ["html"])
    return outcome, (directory / "report.html").as_uri()


@pytest.fixture
def devtools(browser: DevTools) -> Iterator[DevTools]:
    browser.errors.clear()
    yield browser
    assert browser.errors == [], "the page logged errors"
    assert browser.evaluate("document.body.dataset.pwned || ''") == "", "server text ran"


def test_click_on_a_cell_shows_only_its_groups(devtools: DevTools, page) -> None:
    outcome, url = page
    devtools.open(url)
    everything = sorted(f"g-{g.id}" for g in grouped(outcome).all)
    assert devtools.evaluate(SHOWN_GROUPS) == everything
    assert devtools.evaluate("document.getElementById('filter-status').hidden") is True

    devtools.click(cell("acme", JOBS))
    mine = expected(outcome, "acme", JOBS)
    assert len(mine) == 2  # the schema error group and the pagination warning group
    assert devtools.evaluate(VISIBLE_GROUPS) == mine
    assert devtools.evaluate(SHOWN_GROUPS) == mine
    assert devtools.evaluate(f"document.querySelector('{cell('acme', JOBS)}')"
                             ".getAttribute('aria-pressed')") == "true"  # fmt: skip
    assert devtools.evaluate("location.hash") == "#" + urlencode(
        {"connector": "acme", "operation": JOBS}
    )
    status = devtools.evaluate("document.getElementById('filter-status').innerText")
    assert "Groups of acme · GET /ats/jobs: 2 shown." in status

    devtools.click("#show-all")
    assert devtools.evaluate(SHOWN_GROUPS) == everything
    assert devtools.evaluate("location.hash") == ""
    assert devtools.evaluate("document.getElementById('filter-status').hidden") is True


def test_another_cell_and_a_second_click_clears(devtools: DevTools, page) -> None:
    outcome, url = page
    devtools.open(url)
    devtools.click(cell("bolt", EMPLOYEES))
    mine = expected(outcome, "bolt", EMPLOYEES)
    assert len(mine) == 2  # the error group, and the observation group (folded, not shown)
    assert devtools.evaluate(SHOWN_GROUPS) == mine
    errors = [
        g for g in grouped(outcome).groups if (g.connector, g.operation) == ("bolt", EMPLOYEES)
    ]
    assert devtools.evaluate(VISIBLE_GROUPS) == [f"g-{g.id}" for g in errors]
    devtools.click(cell("bolt", EMPLOYEES))
    assert len(devtools.evaluate(SHOWN_GROUPS)) == len(grouped(outcome).all)


def test_enter_on_a_focused_cell_filters(devtools: DevTools, page) -> None:
    outcome, url = page
    devtools.open(url)
    devtools.press_enter(cell("acme", CANDIDATES))
    assert devtools.evaluate(VISIBLE_GROUPS) == expected(outcome, "acme", CANDIDATES)
    assert devtools.evaluate("document.activeElement.dataset.operation") == CANDIDATES


def test_fragment_opens_the_page_filtered(devtools: DevTools, page) -> None:
    outcome, url = page
    devtools.open(f"{url}#{urlencode({'connector': 'bolt', 'operation': JOBS})}")
    assert devtools.evaluate(VISIBLE_GROUPS) == expected(outcome, "bolt", JOBS)
    # a cell with no group (passed, nothing found) shows none, and says so
    devtools.click(cell("acme", EMPLOYEES))
    assert devtools.evaluate(SHOWN_GROUPS) == []
    assert ": 0 shown." in devtools.evaluate("document.getElementById('filter-status').innerText")


def test_cells_are_coloured_by_their_worst_verdict(devtools: DevTools, page) -> None:
    _, url = page
    devtools.open(url)
    verdicts = devtools.evaluate(
        "Object.fromEntries(Array.from(document.querySelectorAll('#matrix button.cell'))"
        ".map(b => [b.dataset.connector + ' ' + b.dataset.operation,"
        " [b.dataset.verdict, getComputedStyle(b).backgroundColor]]))"
    )
    assert {k: v[0] for k, v in verdicts.items()} == {
        f"acme {JOBS}": "error",
        f"acme {CANDIDATES}": "error",
        f"acme {EMPLOYEES}": "passed",
        f"bolt {JOBS}": "warning",
        f"bolt {CANDIDATES}": "not run",
        f"bolt {EMPLOYEES}": "error",
    }
    colours = {verdict: colour for verdict, colour in verdicts.values()}
    assert len(set(colours.values())) == len(colours)  # each verdict has its own colour


@pytest.mark.e2e
def test_a_sandbox_run_with_a_fault(devtools: DevTools, contract, tmp_path: Path) -> None:
    """A real run on the bundled sandbox (the session's contract, two operations, two
    checks) with a fault on both: pressing one operation's cell shows exactly its groups,
    the fault's check among them."""
    operations = ("GET /ats/tags", "GET /ats/application-stages")
    flags = {
        "connectors": ["sandbox"],
        "operations": list(operations),
        "max_examples": 1,
        "faults": ["wrong-error-envelope"],
        "checks": ["error_envelope", "status_code"],
    }
    outcome = execute(resolve_settings(flags, environ={}), contract, progress=False)
    write_reports(outcome, tmp_path, ["html"])
    groups = grouped(outcome).all
    assert {g.check for g in groups} >= {"error_envelope"}
    devtools.open((tmp_path / "report.html").as_uri())
    for operation in operations:
        selector = cell("sandbox", operation)
        assert devtools.evaluate(f"document.querySelector('{selector}').dataset.verdict") == (
            "error"
        )
        devtools.click(selector)
        mine = expected(outcome, "sandbox", operation)
        assert mine and devtools.evaluate(SHOWN_GROUPS) == mine
        checks = devtools.evaluate(
            "Array.from(document.querySelectorAll('.group:not([hidden]) h3 code'))"
            ".map(c => c.textContent)"
        )
        assert "error_envelope" in checks
