"""The pytest plugin: one test per connector x operation, run by the same engine as the CLI.

The inner pytest runs in a subprocess: an in-process run restores a ``sys.modules`` snapshot
afterwards, which re-imports httpcore under httpx and breaks httpx's exception mapping for
every later test in this process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

pytest_plugins = ["pytester"]

CONTRACTS = Path(__file__).parents[2] / "contracts"
TEST_FILE = """
def test_conformance(kombo_operation):
    kombo_operation.assert_conforms()
"""


def test_tests_are_generated_per_connector_and_operation_and_selectable(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_kombo=TEST_FILE)
    result = pytester.runpytest_subprocess(
        "--kombo-connector", "homerun", "--kombo-connector", "moodle",
        "--kombo-max-examples", "1", "-k", "GET and tags", "-p", "no:cacheprovider",
    )  # fmt: skip
    result.assert_outcomes(passed=2)  # GET /ats/tags for homerun and for moodle
    result.stdout.no_fnmatch_line("*sandbox-GET*")


def test_a_contract_the_target_breaks_fails_the_test_with_the_finding(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    contracts = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, contracts)
    ats = contracts / "ats.yaml"
    doc = yaml.safe_load(ats.read_text())
    # The sandbox serves tags whose names are words; a contract that allows only digits
    # must make the conformance test of GET /ats/tags fail on response_schema.
    record = doc["components"]["schemas"]["GetAtsTagsPositiveResponse"]["properties"]["data"][
        "properties"]["results"]["items"]  # fmt: skip
    record["properties"]["name"]["pattern"] = "^[0-9]+$"
    ats.write_text(yaml.safe_dump(doc, sort_keys=False))
    pytester.makepyfile(test_kombo=TEST_FILE)
    result = pytester.runpytest_subprocess(
        "--kombo-contract", str(contracts), "--kombo-connector", "sandbox",
        "--kombo-max-examples", "1", "--kombo-check", "response_schema",
        "-k", "GET and ats/tags", "-p", "no:cacheprovider",
    )  # fmt: skip
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*sandbox GET /ats/tags*finding*", "*response_schema*"])
