"""The committed cassettes under cassettes/: plain vcrpy plays them, nothing leaks, they
cover every connector profile, and they replay clean against the current contracts."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kombo_conformance.cli import main
from kombo_conformance.contract import Contract
from kombo_conformance.settings import SANDBOX_API_KEY

ROOT = Path(__file__).resolve().parents[2]
CASSETTES = ROOT / "cassettes"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# what plain vcrpy users run: no import of this project, in a fresh interpreter
PLAIN_VCRPY = textwrap.dedent(
    """
    import sys, httpx, requests, vcr, yaml
    path = sys.argv[1]
    cassette = yaml.safe_load(open(path, encoding="utf-8"))
    first = cassette["interactions"][0]
    uri, body = first["request"]["uri"], first["response"]["body"]["string"]
    with vcr.use_cassette(path, record_mode="none"):
        assert httpx.request(first["request"]["method"], uri).text == body
    with vcr.use_cassette(path, record_mode="none"):
        assert requests.request(first["request"]["method"], uri).text == body
    assert not [m for m in sys.modules if m.startswith("kombo_conformance")]
    print("played", uri)
    """
)


def cassette_texts() -> list[tuple[Path, str]]:
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(CASSETTES.rglob("*.yaml"))]


def test_plain_vcrpy_plays_a_committed_cassette_back() -> None:
    path = CASSETTES / "homerun" / "GET_ats_jobs.yaml"
    result = subprocess.run(
        [sys.executable, "-c", PLAIN_VCRPY, str(path)], capture_output=True, text=True, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    assert "played http://localhost/v1/ats/jobs" in result.stdout


def test_every_connector_profile_has_cassettes(contract: Contract) -> None:
    recorded = {p.name for p in CASSETTES.iterdir() if p.is_dir()}
    assert set(contract.profiles) <= recorded


def test_no_secret_or_real_email_in_committed_cassettes() -> None:
    texts = cassette_texts()
    assert texts
    for path, text in texts:
        assert SANDBOX_API_KEY not in text, path
        assert not re.search(r"Bearer (?!\*\*\*)[A-Za-z0-9._~+/=-]", text), path
        leaked = {m for m in EMAIL.findall(text) if not m.endswith("@redacted.invalid")}
        assert not leaked, (path, sorted(leaked)[:3])


def test_committed_cassettes_are_small() -> None:
    """A budget for the repository: 45 operations x 35 connectors at --max-examples 2 is
    about 5.4 MB, 3.5 MB of it the general endpoints' coverage grids (every connector's
    recording holds the whole GET /tools/{category} grid)."""
    assert sum(p.stat().st_size for p, _ in cassette_texts()) < 8_000_000


def test_committed_cassettes_replay_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["replay", str(CASSETTES), "--report-dir", str(tmp_path)])
    assert code == 0, capsys.readouterr().out
