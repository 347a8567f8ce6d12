"""The sandbox's general endpoints: /check-api-key, /integrations/{integration_id} and
/tools/{category}, served from the connector profiles (contracts/general.yaml).

Expectations come from the contract and the profiles, never from hard-coded lists."""

from __future__ import annotations

import re

import pytest

from kombo_conformance.checks.declared import deletion_markers
from kombo_conformance.contract.datapoints import datapoints
from kombo_conformance.contract.validate import first_error
from kombo_conformance.resources import IdPool
from kombo_conformance.sandbox.faults import catalogue
from kombo_conformance.sandbox.server import running_sandbox
from tests.sandbox.conftest import API_KEY, make_client

pytestmark = pytest.mark.e2e

INTEGRATION = "GET /integrations/{integration_id}"
TOOLS = "GET /tools/{category}"


def _valid(contract, key: str, body: dict) -> None:
    schema = contract.operations[key].conventions.success_schema
    error = first_error(schema, body)
    assert error is None, f"{key}: {error.message} at {list(error.absolute_path)}"


def _declared_operations(contract, grid: dict) -> set[str]:
    """The operations of the datapoints a grid declares SUPPORTED."""
    points = {p.id: p for p in datapoints(contract)}
    return {
        op
        for section in ("read_models", "write_actions")
        for item in grid[section]
        if item["coverage_status"] == "SUPPORTED"
        for op in points[item["id"]].operations
    }


def test_check_api_key_names_the_environment_without_an_integration(contract, base_url):
    with make_client(base_url, integration=None) as client:
        response = client.get("/check-api-key")
    assert response.status_code == 200
    body = response.json()
    _valid(contract, "GET /check-api-key", body)
    assert body["data"]["environment_id"]
    with make_client(base_url, integration=None, key="wrong") as client:
        refused = client.get("/check-api-key")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "PLATFORM.AUTHENTICATION_INVALID"


def test_integration_details_declare_the_profile(contract, base_url):
    homerun = contract.profiles["homerun"]
    with make_client(base_url, integration=None) as client:
        body = client.get("/integrations/homerun:h6-details").json()
    _valid(contract, INTEGRATION, body)
    data = body["data"]
    assert data["id"] == "homerun:h6-details"
    assert (data["tool"]["id"], data["tool"]["label"]) == ("homerun", homerun.name)
    assert data["category"] == homerun.use_cases[0].upper()
    # available models and actions are exactly the profile's operations
    assert _declared_operations(contract, data) == set(homerun.operations)
    for item in data["read_models"] + data["write_actions"]:
        assert item["is_available"] == (item["coverage_status"] == "SUPPORTED"), item["id"]
    # field statuses: the profile's fields SUPPORTED, others not
    jobs = next(m for m in data["read_models"] if m["id"] == "ats_jobs")
    model = next(m for m in homerun.models.values() if m["operation"] == "GET /ats/jobs")
    supported = {f["id"] for f in jobs["fields"] if f["coverage_status"] == "SUPPORTED"}
    assert supported == set(model["fields"]) | set(model.get("not_in_contract") or {})
    assert {f["coverage_status"] for f in jobs["fields"]} >= {"SUPPORTED", "UNSUPPORTED"}


def test_a_profile_without_field_lists_claims_nothing_about_fields(contract, base_url):
    greenhouse = contract.profiles["greenhouse"]
    with make_client(base_url, integration=None) as client:
        data = client.get("/integrations/greenhouse:h6").json()["data"]
    assert _declared_operations(contract, data) == set(greenhouse.operations)
    jobs = next(m for m in data["read_models"] if m["id"] == "ats_jobs")
    assert jobs["is_available"] and jobs["fields"]
    assert {f["coverage_status"] for f in jobs["fields"]} == {"UNKNOWN"}


def contradictions(contract, base: str, integration: str) -> tuple[list[tuple[str, ...]], int]:
    """Where a connector's declaration contradicts what the sandbox serves it, and how many
    claims were compared: SUPPORTED fields the contract has, null in every record;
    UNSUPPORTED fields filled; actions declared available answering *_NOT_AVAILABLE."""
    found, compared = [], 0
    points = {p.id: p for p in datapoints(contract)}
    with make_client(base, integration=integration) as client:
        grid = client.get(f"/integrations/{integration}").json()["data"]
        for model in grid["read_models"]:
            point = points[model["id"]]
            op = contract.operations[point.operations[0]]
            if not model["is_available"] or point.items or not op.conventions.is_list:
                continue
            query = {"page_size": 50, "include_deleted": "true"}
            records = client.get(op.path, params=query).json()["data"]["results"]
            deleted = deletion_markers(op)
            for field in model["fields"]:
                values = [r[field["id"]] for r in records if field["id"] in r]
                if field["id"] in deleted or not values:
                    continue  # filled on deleted records only; not in the contract
                if field["coverage_status"] == "SUPPORTED":
                    compared += 1
                    if all(v is None for v in values):
                        found.append((model["id"], field["id"], "never filled"))
                if field["coverage_status"] == "UNSUPPORTED":
                    compared += 1
                    if any(v is not None for v in values):
                        found.append((model["id"], field["id"], "filled"))
        for action in grid["write_actions"]:
            if not action["is_available"]:
                continue
            op = contract.operations[points[action["id"]].operations[0]]
            path = re.sub(r"{[^}]+}", "h6-none", op.path)
            code = client.request(op.method, path, json={}).json().get("error", {}).get("code")
            compared += 1
            if code and code.endswith("_NOT_AVAILABLE"):
                found.append((action["id"], code))
    return found, compared


def test_the_clean_sandbox_declares_what_it_serves(contract, base_url):
    """Homerun's declaration is true of what the sandbox serves it."""
    found, compared = contradictions(contract, base_url, "homerun:h6-truth")
    assert not found and compared > 20


LIES = ("declared-field-never-filled", "undeclared-field-filled", "declared-action-unavailable")


def test_the_lying_declaration_faults_are_contradicted_by_the_data(contract):
    """Each misdeclare fault makes exactly its datapoint (and field) contradict the data."""
    with running_sandbox(contract, api_key=API_KEY, faults=LIES) as base:
        found, _ = contradictions(contract, base, "homerun:h6-lie")
    expected = set()
    for fault in LIES:
        (change,) = catalogue()[fault].changes
        expected.add((change["datapoint"], change.get("field")))
    assert {(f[0], f[1] if len(f) == 3 else None) for f in found} == expected, found
    assert len(found) == len(LIES)


def test_unknown_integrations_are_not_found(contract, base_url):
    with make_client(base_url, integration=None) as client:
        for ident in ("nosuchtool:abc", "homerun"):
            response = client.get(f"/integrations/{ident}")
            assert response.status_code == 404, ident
            assert response.json()["error"]["code"] == "PLATFORM.INTEGRATION_NOT_FOUND"


def test_tools_list_every_connector_of_a_category(contract, base_url):
    enum = contract.operations[TOOLS].definition["parameters"][0]["schema"]["enum"]
    with make_client(base_url, integration=None) as client:
        for category in enum:
            body = client.get(f"/tools/{category}").json()
            _valid(contract, TOOLS, body)
            tools = {t["id"]: t for t in body["data"]["tools"]}
            expected = {s for s, p in contract.profiles.items() if category in p.use_cases}
            assert set(tools) == expected, category
            for slug, tool in tools.items():
                grid = tool["coverage"]
                expressible = {op for p in datapoints(contract) for op in p.operations}
                assert _declared_operations(contract, grid) == {
                    op
                    for op in contract.profiles[slug].operations & expressible
                    if contract.operations[op].use_case == category
                }, (category, slug)
        bad = client.get("/tools/payroll")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "PLATFORM.INPUT_INVALID"


def test_a_run_asks_for_its_own_integration(contract):
    """Generated requests to GET /integrations/{integration_id} name the run's integration,
    so the 200 answer (not only 404s for random ids) is judged."""
    pool = IdPool(contract, send=lambda request, key: None, integration_id="homerun:run")
    assert pool.path_parameters(contract.operations[INTEGRATION]) == {
        "integration_id": "homerun:run"
    }
