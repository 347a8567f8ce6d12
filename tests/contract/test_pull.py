"""``kombo-conformance profiles pull`` against the sandbox, which declares the committed
profiles through GET /tools/{category}: pulling must give them back."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_conformance.cli import main
from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.contract.datapoints import datapoints
from kombo_conformance.contract.loader import default_contract_dir, profile_context
from kombo_conformance.contract.profiles import ConnectorProfile, profile_from_raw
from kombo_conformance.sandbox.server import running_sandbox

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "contracts" / "connectors"
KEY = "pull-key"


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load_contract(validate=False)


@pytest.fixture(autouse=True)
def _loaded_once(contract, monkeypatch) -> None:
    """The command loads this module's contract instead of parsing the files again."""
    monkeypatch.setattr("kombo_conformance.cli.profiles.load_contract", lambda *a, **k: contract)


@pytest.fixture(scope="module")
def url(contract) -> Iterator[str]:
    with running_sandbox(contract, api_key=KEY) as base:
        yield base


def pull(url: str, out: Path, *extra: str) -> int:
    return main(
        ["profiles", "pull", "--base-url", url, "--api-key", KEY, "--out", str(out), *extra]
    )


def parsed(contract: Contract, path: Path) -> ConnectorProfile:
    return profile_from_raw(yaml.safe_load(path.read_text()), path, profile_context(contract))


def coverage(section: dict[str, Any]) -> dict[tuple[str, str | None], tuple[set, set]]:
    """Models or actions by (operation, items): (fields, not_in_contract fields)."""
    return {
        (e["operation"], e.get("items")): (set(e["fields"]), set(e.get("not_in_contract") or {}))
        for e in section.values()
    }


def test_pull_reproduces_the_committed_profiles(contract, url, tmp_path, capsys):
    assert pull(url, tmp_path) == 0
    expressible = {op for p in datapoints(contract) for op in p.operations}
    pulled_files = sorted(tmp_path.glob("*.yaml"))
    assert {p.stem for p in pulled_files} == set(contract.profiles)
    for path in pulled_files:
        committed, pulled = contract.profiles[path.stem], parsed(contract, path)
        assert pulled.name == committed.name
        assert set(pulled.use_cases) == set(committed.use_cases)
        assert pulled.operations == committed.operations & expressible, path.stem
        assert coverage(pulled.models) == coverage(committed.models), path.stem
        assert coverage(pulled.actions) == coverage(committed.actions), path.stem
    assert capsys.readouterr().out.count("new profile") == len(pulled_files)


def test_pulling_over_the_committed_profiles_changes_nothing(url, tmp_path, capsys):
    out = tmp_path / "connectors"
    shutil.copytree(COMMITTED, out)
    before = {p.name: p.read_bytes() for p in out.glob("*.yaml")}
    assert pull(url, out, "--category", "all") == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(line.endswith(": unchanged") for line in lines if not line.startswith(" ")), lines
    assert {p.name: p.read_bytes() for p in out.glob("*.yaml")} == before  # not rewritten


def test_pull_repairs_a_stale_profile_and_keeps_what_grids_cannot_express(
    contract, url, tmp_path, capsys
):
    raw = yaml.safe_load((COMMITTED / "homerun.yaml").read_text())
    del raw["models"]["candidates"]
    raw["operations"].remove("GET /ats/applications")
    raw["models"]["jobs"]["fields"].append("job_code")
    stale = tmp_path / "homerun.yaml"
    stale.write_text("# my header\n" + yaml.safe_dump(raw, sort_keys=False))
    assert pull(url, tmp_path, "--category", "ats", "--dry-run") == 0
    assert stale.read_text().startswith("# my header\n") and "job_code" in stale.read_text()
    capsys.readouterr()
    assert pull(url, tmp_path, "--category", "ats") == 0
    out = capsys.readouterr().out
    (line,) = [x for x in out.splitlines() if x.startswith("homerun:")]
    assert "+GET /ats/applications" in line and "+candidates" in line and "-job_code" in line
    assert "kept from the existing file: quirks (2), notes" in out
    text = stale.read_text()
    assert text.startswith("# my header\n")
    repaired, committed = parsed(contract, stale), contract.profiles["homerun"]
    assert repaired.operations == committed.operations
    assert coverage(repaired.models) == coverage(committed.models)
    assert repaired.quirks == committed.quirks
    assert repaired.raw["notes"] == committed.raw["notes"]
    assert any("/tools/ats" in s for s in repaired.raw["sources"])
    # only ATS tools were pulled
    assert all("ats" in parsed(contract, p).use_cases for p in tmp_path.glob("*.yaml"))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_bad_input_is_one_paragraph_and_exit_2(contract, tmp_path, capsys):
    assert main(["profiles", "pull", "--out", str(tmp_path)]) == 2
    assert "--base-url" in capsys.readouterr().err
    dead = f"http://127.0.0.1:{_closed_port()}/v1"
    assert pull(dead, tmp_path) == 2
    assert "Is the target running" in capsys.readouterr().err
    with running_sandbox(contract, api_key=KEY, faults=["garbage"]) as garbage:
        assert pull(garbage, tmp_path) == 2
    assert "non-JSON" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_without_out_it_writes_only_next_to_a_contract_directory(capsys):
    """Contract files (not a directory) name no profile directory: refused before any
    request, so the project's own profiles are never the silent default."""
    files = sorted(str(p) for p in default_contract_dir().glob("*.yaml"))
    argv = ["profiles", "pull", "--base-url", f"http://127.0.0.1:{_closed_port()}/v1"]
    assert main([*argv, "--api-key", KEY, *(f"--contract={f}" for f in files)]) == 2
    err = capsys.readouterr().err
    assert "pass --out DIR" in err and "running" not in err
