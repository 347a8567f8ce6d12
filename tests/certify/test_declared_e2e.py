"""A run learns its connector from the target and certifies it against the declaration, end
to end against sandboxes on 127.0.0.1: ``certify --integration-id homerun:<id>`` (no
``--connector``) certifies Homerun as declared, a hand profile that differs from the
declaration is reported as drift, and an id the target cannot name is a usage error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_conformance.certify import certification_json
from kombo_conformance.certify.matrix import DECLARED_CHECK as CHECK
from kombo_conformance.cli import main
from kombo_conformance.sandbox.faults import catalogue
from kombo_conformance.sandbox.server import default_contract, running_sandbox
from tests.certify.helpers import SECRET

pytestmark = pytest.mark.e2e

# Claims of both kinds, kept few for speed: declared available (jobs) and declared not
# available (users, add tag).
OPERATIONS = ("GET /ats/jobs", "GET /ats/users", "POST /ats/candidates/{candidate_id}/tags")
ENVIRONMENT = "kombo-conformance-sandbox"  # what the sandbox's GET /check-api-key names


def certify(
    report_dir: Path, *extra: str, operations: tuple[str, ...] = OPERATIONS
) -> tuple[int, dict[str, Any]]:
    argv = ["certify", "--workers", "1", "--max-examples", "1", "--report-dir", str(report_dir)]
    code = main([*argv, *(f"--operation={op}" for op in operations), *extra])
    return code, json.loads((report_dir / "certification.json").read_text(encoding="utf-8"))


def test_certify_learns_homerun_from_an_integration_id(tmp_path: Path) -> None:
    """No --connector: the declaration names Homerun and drives the run; every cell shows
    the claim beside the verified status; the environment is in the meta."""
    code, data = certify(tmp_path, "--integration-id", "homerun:4XyZ")
    assert code == 0
    [row] = data["connectors"]
    assert (row["slug"], row["name"], row["verdict"]) == ("homerun", "Homerun", "certified")
    assert data["meta"]["environment"] == ENVIRONMENT
    declared = row["declared"]
    assert declared["source"] == "GET /integrations/homerun:4XyZ"
    assert declared["contradicted"] == 0
    assert [f for f in declared["findings"] if f["severity"] == "error"] == []
    cells = {c["operation"]: (c["claim"], c["declared"], c["status"]) for c in row["cells"]}
    assert cells == {
        "GET /ats/jobs": ("ats_jobs: SUPPORTED, available", True, "certified"),
        "GET /ats/users": ("ats_users: UNSUPPORTED, not available", False, "unsupported"),
        "POST /ats/candidates/{candidate_id}/tags": (
            "ats_add_candidate_tag: UNSUPPORTED, not available", False, "unsupported"),
    }  # fmt: skip
    items = {i["id"]: i for i in declared["items"]}
    assert items["ats_users"]["observed"] == "INTEGRATION.*_NOT_AVAILABLE"
    assert items["ats_users"]["verdict"] == "confirmed"
    jobs = {f["field"]: f for f in items["ats_jobs"]["fields"]}
    assert jobs["name"]["verdict"] == "confirmed" and jobs["name"]["seen"] >= 5
    again = certification_json.load(tmp_path)  # valid against the schema, and round-trips
    assert certification_json.certification_dict(again) == data
    page = (tmp_path / "certification.html").read_text(encoding="utf-8")
    assert "Declared vs verified" in page and "GET /integrations/homerun:4XyZ" in page
    assert ENVIRONMENT in page and ' lie" data-status=' not in page
    markdown = (tmp_path / "certification.md").read_text(encoding="utf-8")
    assert "| homerun | GET /integrations/homerun:4XyZ |" in markdown
    assert "claimed: ats_users: UNSUPPORTED, not available; verified: unsupported" in (
        (tmp_path / "junit.xml").read_text(encoding="utf-8")
    )


LIES = sorted(
    name
    for name, fault in catalogue().items()
    if fault.demonstration and CHECK in fault.demonstration.checks
)


def test_the_sandbox_has_lying_declarations() -> None:
    assert len(LIES) >= 3  # a field never filled, a field filled, an action not available


@pytest.mark.parametrize("fault", LIES)
def test_each_lying_declaration_fails_certification(tmp_path: Path, fault: str) -> None:
    """The sandbox lies in its declaration (the served data unchanged): certify exits 1 with
    a declared_coverage error naming the connector, the model or action and the field, and
    the HTML marks the cell where the declaration is contradicted."""
    lie = catalogue()[fault]
    demo, [change] = lie.demonstration, lie.changes
    code, data = certify(tmp_path, "--integration-id", f"{demo.connector}:lies", "--fault",
                         fault, "--check", CHECK, operations=(demo.operation,))  # fmt: skip
    assert code == 1
    [row] = data["connectors"]
    [cell] = [c for c in row["cells"] if c["operation"] == demo.operation]
    assert cell["contradicts_declaration"] and cell["status"] != "certified"
    errors = [f for f in cell["findings"] if f["check"] == CHECK and f["severity"] == "error"]
    assert errors and all(f["connector"] == demo.connector for f in errors)
    named = {(f["details"]["item"], f["details"].get("field")) for f in errors}
    assert (change.options["datapoint"], change.options.get("field")) in named
    assert row["declared"]["contradicted"] >= 1
    page = (tmp_path / "certification.html").read_text(encoding="utf-8")
    assert 'class="cell s-' in page and ' lie" data-status=' in page


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    with running_sandbox(default_contract(), api_key=SECRET) as url:
        yield url


def test_a_hand_profile_that_differs_is_drift(
    tmp_path: Path, contracts_copy: Path, sandbox_url: str
) -> None:
    """The sandbox declares Homerun from the committed profile; a copy that drops a field
    and adds an operation differs: two profile_drift warnings naming connector, model and
    field (or operation), hand value and declared value. The declaration drives the run, so
    the certification still passes; `run` reports the same drift."""
    path = contracts_copy / "connectors" / "homerun.yaml"
    hand = yaml.safe_load(path.read_text(encoding="utf-8"))
    hand["models"]["jobs"]["fields"].remove("closed_at")
    hand["operations"].append("GET /ats/users")
    path.write_text(yaml.safe_dump(hand, sort_keys=False), encoding="utf-8")
    target = ["--base-url", sandbox_url, "--api-key", SECRET, "--contract", str(contracts_copy),
              "--integration-id", "homerun:drift", "--check", "availability"]  # fmt: skip
    code, data = certify(tmp_path / "certify", *target)
    assert code == 0
    [row] = data["connectors"]
    drift = {f["pointer"]: f for f in row["declared"]["findings"] if f["check"] == "profile_drift"}
    assert set(drift) == {"models/jobs/fields/closed_at", "operations/GET /ats/users"}
    closed = drift["models/jobs/fields/closed_at"]
    assert (closed["severity"], closed["connector"], closed["operation"]) == (
        "warning", "homerun", "GET /ats/jobs",
    )  # fmt: skip
    assert closed["details"] == {"hand": "not listed", "declared": "SUPPORTED"}
    assert "model jobs (ats_jobs, GET /ats/jobs) field closed_at" in closed["message"]
    assert drift["operations/GET /ats/users"]["details"] == {
        "hand": "listed", "declared": "ats_users not available",
    }  # fmt: skip
    users = next(c for c in row["cells"] if c["operation"] == "GET /ats/users")
    assert (users["declared"], users["status"]) == (False, "unsupported")  # declaration wins
    markdown = (tmp_path / "certify" / "certification.md").read_text(encoding="utf-8")
    [line] = [x for x in markdown.splitlines() if x.startswith("| homerun | GET /integrations/")]
    assert line.endswith("| 0 | 2 |")  # nothing contradicted, two warnings: the drift
    report_dir = tmp_path / "run"
    argv = ["run", *target, "--report-dir", str(report_dir), "--max-examples", "1"]
    assert main([*argv, "--operation", "GET /ats/jobs"]) == 0
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    assert {f["pointer"] for f in report["findings"] if f["check"] == "profile_drift"} == set(drift)
    assert report["meta"]["environment"] == ENVIRONMENT
    assert report["meta"]["declarations"] == {"homerun:drift": "GET /integrations/homerun:drift"}


def test_an_id_the_target_cannot_name_is_a_usage_error(
    tmp_path: Path, sandbox_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = ["--base-url", sandbox_url, "--api-key", SECRET, "--integration-id", "4XyZ"]
    code = main(["run", *target, "--report-dir", str(tmp_path), "--operation", "GET /ats/jobs"])
    assert code == 2
    error = capsys.readouterr().err
    assert "cannot learn the connector of integration '4XyZ'" in error
    assert "GET /integrations/4XyZ answered 404 PLATFORM.INTEGRATION_NOT_FOUND" in error
    assert "Traceback" not in error and SECRET not in error
