"""certification.html in a real headless Chromium: loads without console errors, shows the
matrix, filters by status from the URL fragment, and is saved as a screenshot.

Needs ``chromium`` (Debian: ``apt-get install -y chromium``); skipped, saying so, without it.
The screenshot path is printed (``pytest -s``) and kept under pytest's tmp directory.
"""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest

from kombo_conformance.certify.write import write_certification
from tests.browser import FLAGS, find_browser
from tests.certify.helpers import sample_certification


@pytest.fixture(scope="module")
def browser() -> str:
    return find_browser()


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("certification")
    write_certification(sample_certification(), directory)
    return directory / "certification.html"


def chromium(browser: str, tmp_path: Path, *args: str) -> tuple[str, str]:
    """Run headless Chromium; returns (stdout, stderr). Fails the test on a console message."""
    done = subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def rows(dom: str) -> dict[str, bool]:
    """{connector: visible} for the matrix rows of a dumped DOM."""
    found = re.findall(r'<tr data-connector="([^"]+)"[^>]*?( hidden(?:="")?)?>', dom)
    return {slug: not hidden for slug, hidden in found}


def test_console_errors_are_detected(browser: str, tmp_path: Path) -> None:
    """The harness itself: a page that throws is caught (so the next tests can fail)."""
    bad = tmp_path / "bad.html"
    bad.write_text("<p>x</p><script>throw new Error('boom')</script>", encoding="utf-8")
    _, stderr = chromium(browser, tmp_path, "--dump-dom", bad.as_uri())
    assert any("Uncaught Error: boom" in line for line in console_messages(stderr))


def test_page_loads_and_shows_the_matrix(browser: str, page: Path, tmp_path: Path) -> None:
    dom, stderr = chromium(browser, tmp_path, "--dump-dom", page.as_uri())
    assert console_messages(stderr) == []
    assert 'data-matrix-visible="true"' in dom
    assert rows(dom) == {"acme": True, "bolt": True}
    assert 'data-filter="connector=&amp;status="' in dom


@pytest.mark.parametrize(
    ("fragment", "visible"),
    [
        ("status=failed", {"acme": False, "bolt": True}),
        ("status=unsupported", {"acme": True, "bolt": False}),
        ("connector=acme", {"acme": True, "bolt": False}),
    ],
)
def test_filter_from_fragment(browser, page: Path, tmp_path: Path, fragment, visible) -> None:
    dom, stderr = chromium(browser, tmp_path, "--dump-dom", f"{page.as_uri()}#{fragment}")
    assert console_messages(stderr) == []
    assert rows(dom) == visible
    status = fragment.partition("status=")[2]
    if status:  # cells of other statuses are dimmed, drill-downs of other statuses hidden
        assert re.search(rf'class="cell s-{status}[^"]*" data-status="{status}"', dom)
        assert not re.search(rf'class="cell s-{status}[^"]* dim"', dom)
        assert re.search(r'class="cell s-certified dim"', dom)


def test_failing_cell_drill_down_opens(browser: str, page: Path, tmp_path: Path) -> None:
    dom, _ = chromium(browser, tmp_path, "--dump-dom", page.as_uri())
    target = re.search(r'<td class="cell s-failed"[^>]*><a href="#([^"]+)">FAIL</a>', dom)[1]
    opened, stderr = chromium(browser, tmp_path, "--dump-dom", f"{page.as_uri()}#{target}")
    assert console_messages(stderr) == []
    details = re.search(rf'<details class="drill" id="{target}"[^>]*>', opened)[0]
    assert " open" in details
    assert "Authorization: Bearer $KOMBO_API_KEY" in opened


def test_screenshot(browser: str, page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "certification-screenshot.png"
    _, stderr = chromium(
        browser, tmp_path, f"--screenshot={shot}", "--window-size=1400,900", page.as_uri()
    )
    assert console_messages(stderr) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1400, 900)
    assert len(data) > 20_000  # a rendered page, not a blank one
    print(f"\nscreenshot of certification.html: {shot}")
