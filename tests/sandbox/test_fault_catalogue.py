"""The sandbox's data files: the fault catalogue and the personality data are valid, agree
with the contract and the docs, a broken file is one clear error (exit 2), and a new fault
made of existing change kinds needs no code."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from kombo_conformance.checks import ALL_CHECKS
from kombo_conformance.cli import main
from kombo_conformance.errors import UsageError
from kombo_conformance.sandbox import datafiles, faults
from kombo_conformance.sandbox.app import collections_of
from kombo_conformance.sandbox.datafiles import SandboxDataError, personality_data
from kombo_conformance.sandbox.faults import Faults, catalogue, load_catalogue
from kombo_conformance.sandbox.personalities import SANDBOX_SLUG
from kombo_conformance.sandbox.server import running_sandbox
from tests.sandbox.conftest import API_KEY, make_client

DOCS = Path(__file__).parents[2] / "docs" / "sandbox.md"
RAW = yaml.safe_load(faults.CATALOGUE_PATH.read_text(encoding="utf-8"))
NEW = f"/faults/{len(RAW['faults'])}"  # where a fault appended to the catalogue sits


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "faults.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _with(**fault: object) -> dict:
    """The bundled catalogue plus one fault."""
    return {"faults": [*RAW["faults"], fault]}


@pytest.fixture
def own_catalogue(monkeypatch, tmp_path):
    """Point the sandbox at a catalogue file written by the test (cache restored after)."""

    def use(document: object) -> None:
        monkeypatch.setattr(faults, "CATALOGUE_PATH", _write(tmp_path, document))
        catalogue.cache_clear()

    yield use
    catalogue.cache_clear()


# -- the bundled data agrees with the contract, the checks and the docs ---------------------
def test_every_demonstration_names_a_check_connector_and_operation_that_exist(contract):
    connectors = {*contract.profiles, SANDBOX_SLUG}
    for name, fault in catalogue().items():
        assert (fault.demonstration is None) == fault.transport, name
        for change in fault.changes:
            assert (change.operations or set()) <= set(contract.operations), (name, change)
        demo = fault.demonstration
        if demo is not None:
            assert set(demo.checks) <= set(ALL_CHECKS), name
            assert demo.connector in connectors, name
            assert demo.operation in contract.operations, name
            assert fault.operations is None or demo.operation in fault.operations, name


def test_personality_data_names_collections_of_the_contract(contract):
    data = personality_data()
    known = set(collections_of(contract))
    realistic = data["realistic"]
    assert set(data["dataset"]["counts"]) <= known
    assert {realistic["scale_with"], *realistic["scaled"]} <= set(data["dataset"]["counts"])


def _table(heading: str) -> list[list[str]]:
    """The rows of the first table under a docs/sandbox.md heading."""
    text = DOCS.read_text(encoding="utf-8").split(f"\n{heading}\n", 1)[1]
    rows = re.findall(r"^\|(.+)\|\s*$", text.split("\n#", 1)[0], re.M)
    return [[cell.strip() for cell in row.split(" | ")] for row in rows[2:]]


def test_the_docs_list_every_fault_as_the_catalogue_says():
    rows = {row[0].strip("`"): row for row in _table("### Faults")}
    assert set(rows) == set(catalogue())
    for name, fault in catalogue().items():
        assert rows[name][1:3] == [fault.description, fault.trips], name


def test_the_docs_describe_every_change_kind():
    schema = json.loads(faults.SCHEMA_PATH.read_text(encoding="utf-8"))
    kinds = schema["$defs"]["change"]["properties"]["kind"]["enum"]
    assert {row[0].strip("`") for row in _table("### Change kinds")} == set(kinds)


# -- broken data: one clear error ----------------------------------------------------------
FAULT = {"name": "x", "description": "d", "trips": "t", "transport": True}


@pytest.mark.parametrize(
    ("document", "where", "says"),
    [
        ("faults: [", "/", "invalid YAML at line"),
        (_with(**FAULT, changes=[{"kind": "explode"}]), f"{NEW}/changes/0/kind", "explode"),
        (
            _with(**FAULT, changes=[{"kind": "skip", "step": "billing"}]),
            f"{NEW}/changes/0/step",
            "'billing' is not one of",
        ),
        (
            _with(**FAULT, changes=[{"kind": "delay"}]),
            f"{NEW}/changes/0",
            "'seconds' is a required property",
        ),
        (
            _with(**{**FAULT, "transport": False}, changes=[{"kind": "loop-cursor"}]),
            f"{NEW}/transport",
            "True was expected",
        ),
        (_with(**RAW["faults"][0]), f"{NEW}/name", "defined twice"),
    ],
)
def test_a_broken_catalogue_is_refused_with_where_and_why(tmp_path, document, where, says):
    path = tmp_path / "faults.yaml"
    path.write_text(document if isinstance(document, str) else yaml.safe_dump(document))
    with pytest.raises(SandboxDataError) as caught:
        load_catalogue(path)
    assert f"sandbox data error in {path} at {where}: " in str(caught.value)
    assert says in str(caught.value)


def test_the_cli_exits_2_on_a_broken_catalogue(own_catalogue, capsys):
    own_catalogue({"faults": []})
    assert main(["sandbox", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "sandbox data error in" in err and "should be non-empty" in err


def test_the_cli_exits_2_on_broken_personality_data(tmp_path):
    """A fresh process whose personality data reads as a broken copy (it is read when the
    sandbox modules are imported, before any command runs)."""
    bad = tmp_path / "personalities.yaml"
    bad.write_text(datafiles.PERSONALITIES_PATH.read_text().replace("lag_s: 2.0", "lag_s: -1"))
    script = (
        "import sys; from pathlib import Path\n"
        "from kombo_conformance.contract import source\n"
        "real = source.read_document\n"
        f"source.read_document = lambda p: real(Path({str(bad)!r}) if p.name == {bad.name!r} "
        "else p)\n"
        "from kombo_conformance.cli import main\n"
        "sys.exit(main(['sandbox', '--help']))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    where = f"sandbox data error in {datafiles.PERSONALITIES_PATH} at /realistic/lag_s"
    assert f"{where}: -1 is less than the minimum of 0" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_faults_are_a_usage_error_listing_the_known_ones(capsys):
    assert main(["sandbox", "--fault", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown fault 'nope'; known faults: accept-invalid-body, auth-not-enforced" in err


def test_help_lists_every_fault(capsys):
    with pytest.raises(SystemExit):
        main(["sandbox", "--help"])
    out = "".join(capsys.readouterr().out.split())  # argparse wraps lines, even at hyphens
    for fault in catalogue().values():
        assert "".join(f"{fault.name}: {fault.description}".split()) in out


def test_a_fault_that_would_change_nothing_is_refused(own_catalogue):
    only = {"kind": "skip", "step": "effect", "operations": ["POST /nowhere"]}
    own_catalogue(_with(**FAULT, changes=[only]))
    with pytest.raises(UsageError, match="changes only POST /nowhere, which the contract"):
        Faults(["x"]).require_operations(["GET /ats/jobs"])


# -- a new fault is a data edit -------------------------------------------------------------
NAMELESS_TAGS = """
  - name: nameless-tags
    description: tags lose `name`; their list's last page omits `next`
    trips: response schema conformance
    changes:
      - {kind: drop-record-field, field: name, operations: [GET /ats/tags]}
      - {kind: omit-field, envelope: list, field: data.next, operations: [GET /ats/tags]}
    demonstration: {checks: [response_schema], connector: sandbox, operation: GET /ats/tags}
"""


@pytest.mark.e2e
def test_a_new_fault_of_existing_kinds_needs_no_code(monkeypatch, tmp_path, contract):
    """A fault the code has never heard of, appended to the catalogue as text: tags lose
    their name and their `next`, on the tags list only (the jobs list is untouched)."""
    path = tmp_path / "faults.yaml"
    path.write_text(faults.CATALOGUE_PATH.read_text(encoding="utf-8") + NAMELESS_TAGS)
    monkeypatch.setattr(faults, "CATALOGUE_PATH", path)
    catalogue.cache_clear()
    try:
        with (
            running_sandbox(contract, api_key=API_KEY, faults=["nameless-tags"]) as url,
            make_client(url, "sandbox:new-fault") as c,
        ):
            tags = c.get("/ats/tags").json()["data"]
            jobs = c.get("/ats/jobs", params={"page_size": 2}).json()["data"]
            anonymous = httpx.get(f"{url}/ats/tags", headers={"X-Integration-Id": "sandbox:n"})
    finally:
        catalogue.cache_clear()
    assert tags["results"] and not any("name" in t for t in tags["results"])
    assert "next" not in tags
    assert all("name" in j for j in jobs["results"]) and "next" in jobs
    assert anonymous.status_code == 401  # only the declared changes: auth still holds
