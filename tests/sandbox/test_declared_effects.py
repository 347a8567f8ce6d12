"""A write operation the project has never seen, added to a copy of the contracts with its
``x-kombo-effects``: the sandbox serves it and applies the declared changes, and
``read_after_write`` judges it; no code knows the operation. A sandbox serving another
declaration than the one the check reads (it does not apply the change) is caught."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from kombo_conformance.checks import PROBES
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.contract.loader import default_contract_dir
from kombo_conformance.sandbox.server import running_sandbox
from tests.checks.conftest import API_KEY, make_send
from tests.sandbox.conftest import make_client

pytestmark = pytest.mark.e2e

HIRE = "POST /ats/applications/{application_id}/hire"
NEW_TAG = "POST /ats/tag-definitions"
INTERVIEW = "POST /ats/applications/{application_id}/quick-interviews"
ACTION = {  # the action envelope of a write answering `data`
    "type": "object",
    "required": ["status", "data", "warnings"],
    "properties": {
        "status": {"type": "string", "enum": ["success"]},
        "data": {},
        "warnings": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"message": {"type": "string"}},
                "required": ["message"],
            },
        },
    },
}


def write_operation(summary: str, effects: dict, body: dict, data: dict, path_id: str = "") -> dict:
    parameters: list[dict[str, Any]] = [
        {"$ref": "shared.yaml#/components/parameters/IntegrationId"}
    ]
    if path_id:
        parameters.append(
            {"name": path_id, "in": "path", "required": True, "schema": {"type": "string"}}
        )
    envelope = json.loads(json.dumps(ACTION))
    envelope["properties"]["data"] = data
    return {
        "post": {
            "summary": summary,
            "x-kombo-effects": effects,
            "parameters": parameters,
            "requestBody": {"content": {"application/json": {"schema": body}}},
            "responses": {
                "200": {
                    "description": "success",
                    "content": {"application/json": {"schema": envelope}},
                },
                "default": {"$ref": "shared.yaml#/components/responses/ErrorResponseATS"},
            },
        }
    }


def hire(effects_changes: list[dict]) -> dict:
    return write_operation(
        "Hire application",
        {
            "refs": [{"ref": "body.stage_id", "among": "application.job.stages"}],
            "changes": effects_changes,
        },
        {
            "type": "object",
            "required": ["stage_id"],
            "properties": {"stage_id": {"type": "string"}},
        },
        {"type": "object"},
        path_id="application_id",
    )


def new_tag(fields: dict) -> dict:
    tag = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "string"}, "name": {"type": ["string", "null"]}},
    }
    return write_operation(
        "Create tag",
        {
            "changes": [{"creates": "GET /ats/tags", "as": "tag", "fields": fields}],
            "answers": "tag",
        },
        {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        tag,
    )


DECLARED = {
    "/ats/applications/{application_id}/hire": hire(
        [
            {"record": "path.application_id", "field": "outcome", "equals": "HIRED"},
            {
                "record": "path.application_id",
                "field": "current_stage_id",
                "equals": "body.stage_id",
            },
        ]
    ),
    "/ats/tag-definitions": new_tag({"name": "body.name"}),
    # sub-records: an application lists its interviews (records pointing back at it)
    "/ats/applications/{application_id}/quick-interviews": write_operation(
        "Add interview to application",
        {
            "changes": [
                {
                    "record": "path.application_id",
                    "field": "interviews",
                    "contains": {"title": "body.title", "canceled": False},
                    "key": "title",
                }
            ]
        },
        {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}},
        {"type": "object"},
        path_id="application_id",
    ),
}
# What a server that does not do it would declare: no outcome change, no name given.
NOT_APPLIED = {
    "/ats/applications/{application_id}/hire": hire(
        [{"record": "path.application_id", "field": "current_stage_id", "equals": "body.stage_id"}]
    ),
    "/ats/tag-definitions": new_tag({}),
}


def contracts_with(root: Path, paths: dict) -> Path:
    """A copy of the project's contracts plus one more file holding ``paths``."""
    shutil.copytree(default_contract_dir(), root)
    document = {"openapi": "3.1.0", "info": {"title": "Extra writes", "version": "1"}}
    (root / "extra.yaml").write_text(yaml.safe_dump({**document, "paths": paths}))
    return root


@pytest.fixture(scope="module")
def declared(tmp_path_factory) -> Contract:
    root = contracts_with(tmp_path_factory.mktemp("declared") / "contracts", DECLARED)
    return load_contract([root], validate=False)


@pytest.fixture(scope="module")
def served(declared) -> Iterator[str]:
    with running_sandbox(declared, api_key=API_KEY) as url:
        yield url


@pytest.fixture(scope="module")
def not_applied(tmp_path_factory) -> Iterator[str]:
    root = contracts_with(tmp_path_factory.mktemp("not-applied") / "contracts", NOT_APPLIED)
    with running_sandbox(load_contract([root], validate=False), api_key=API_KEY) as url:
        yield url


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=20) as client:
        yield client


def read_after_write(contract: Contract, http: httpx.Client, url: str, operation: str):
    """The probe, reading the declared contract, against the sandbox at url."""
    ctx = CheckContext(
        contract=contract,
        operation=contract.operation(operation),
        connector="sandbox",
        profile=contract.profiles.get("sandbox"),
        send=make_send(http, url, "sandbox:checks", contract),
        consistency_timeout=0.5,
        notes={"secrets": [API_KEY]},
    )
    return PROBES["read_after_write"](ctx)


def one(client: httpx.Client, path: str, **params: Any) -> dict[str, Any]:
    response = client.get(path, params={"page_size": 1, **params})
    assert response.status_code == 200, response.text
    return response.json()["data"]["results"][0]


def test_the_sandbox_serves_the_new_writes_as_declared(served) -> None:
    with make_client(served, "sandbox:declared", key=API_KEY) as client:
        app = one(client, "/ats/applications", outcomes="PENDING")
        job = one(client, "/ats/jobs", ids=app["job_id"], include_deleted="true")
        stage = next(s["id"] for s in job["stages"] if s["id"] != app["current_stage_id"])
        hired = client.post(f"/ats/applications/{app['id']}/hire", json={"stage_id": stage})
        assert hired.status_code == 200, hired.text
        after = one(client, "/ats/applications", ids=app["id"])
        assert (after["outcome"], after["current_stage_id"]) == ("HIRED", stage)
        # `refs` with `among`: a stage of another job is refused
        stages = client.get("/ats/application-stages", params={"page_size": 50}).json()
        mine = {s["id"] for s in job["stages"]}
        other = next(s["id"] for s in stages["data"]["results"] if s["id"] not in mine)
        refused = client.post(f"/ats/applications/{app['id']}/hire", json={"stage_id": other})
        assert refused.status_code == 400
        assert "is not one of application.job.stages" in refused.json()["error"]["message"]
        created = client.post("/ats/tag-definitions", json={"name": "Ünïcode label"})
        assert created.status_code == 200, created.text
        tag = created.json()["data"]
        assert tag["name"] == "Ünïcode label"
        assert one(client, "/ats/tags", ids=tag["id"])["name"] == "Ünïcode label"
        path = f"/ats/applications/{app['id']}/quick-interviews"
        assert client.post(path, json={"title": "Chat"}).status_code == 200
        (chat,) = [i for i in one(client, "/ats/applications", ids=app["id"])["interviews"]
                   if i["title"] == "Chat"]  # fmt: skip
        listed = one(client, "/ats/interviews", ids=chat["id"])
        assert (listed["title"], listed["canceled"]) == ("Chat", False)
        assert listed["application_id"] == app["id"]


@pytest.mark.parametrize("operation", [HIRE, NEW_TAG, INTERVIEW])
def test_read_after_write_judges_the_new_writes(declared, http, served, operation) -> None:
    result = read_after_write(declared, http, served, operation)
    assert (result.findings, result.verdict) == ([], "passed")
    shown = {
        HIRE: "the application.outcome/current_stage_id change",
        NEW_TAG: "the created tag",
        INTERVIEW: "the application.interviews change",
    }
    assert f"{shown[operation]} showed at the first read" in result.note


def test_read_after_write_catches_a_server_not_applying_them(declared, http, not_applied):
    (outcome,) = read_after_write(declared, http, not_applied, HIRE).findings
    assert (outcome.severity, outcome.pointer) == ("error", "outcome")
    assert "x-kombo-effects in extra.yaml: application.outcome equals HIRED" in outcome.rule
    (name,) = read_after_write(declared, http, not_applied, NEW_TAG).findings
    assert (name.severity, name.pointer) == ("error", "name")
    assert name.message.startswith("expected the created tag.name to be")
