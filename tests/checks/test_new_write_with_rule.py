"""Issue 13's acceptance, on ONE copy of the contracts: a write operation the project has never
seen (with its ``x-kombo-effects``) and a prose rule on that operation's body (in the
copy's errata), both declared as data only. The sandbox serves the write and applies its
effect, ``read_after_write`` verifies the effect, generation's valid bodies honour the rule
(bodies drawn without it break it), and ``negative_bodies`` sends a body breaking it and
judges the answer. No code names the operation or the rule."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from kombo_conformance.checks import PROBES
from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.contract.errata import Errata
from kombo_conformance.generation import CaseGenerator
from kombo_conformance.sandbox.server import running_sandbox
from tests.checks.conftest import API_KEY
from tests.checks.test_new_prose_rule import add_rule, context
from tests.sandbox.conftest import make_client
from tests.sandbox.test_declared_effects import (
    contracts_with,
    one,
    read_after_write,
    write_operation,
)

pytestmark = pytest.mark.e2e

PATH = "/ats/applications/{application_id}/stage-moves"
MOVE = f"POST {PATH}"
SENTENCE = "Required when `notify_candidate` is true, and must not be empty."
RULE = {
    "id": "stage-move-note-when-notifying",
    "rule": "prose-rule",
    "match": {"properties": ["notify_candidate", "note"]},
    "property": "note",
    "sentence": SENTENCE,
    "when": {"required": ["notify_candidate"], "properties": {"notify_candidate": {"const": True}}},
    "then": {"required": ["note"], "properties": {"note": {"minLength": 1}}},
    "refused_with": {"status": [400], "codes": ["REMOTE.INPUT_INVALID"]},
    "reason": "A rule declared by a test, on a copy of the contracts.",
}
BODY = {
    "type": "object",
    "required": ["stage_id"],
    "properties": {
        "stage_id": {"type": "string"},
        "notify_candidate": {"type": "boolean"},
        "note": {"type": "string", "description": f"A note for the candidate. {SENTENCE}"},
    },
}
EFFECTS = {
    "refs": [{"ref": "body.stage_id", "among": "application.job.stages"}],
    "changes": [
        {"record": "path.application_id", "field": "current_stage_id", "equals": "body.stage_id"}
    ],
}


def breaks_rule(body: Any) -> bool:
    """The test's own reading of SENTENCE."""
    return isinstance(body, dict) and body.get("notify_candidate") is True and not body.get("note")


@pytest.fixture(scope="module")
def declared(tmp_path_factory) -> Contract:
    operation = write_operation(
        "Move application", EFFECTS, BODY, {"type": "object"}, "application_id"
    )
    operation["post"]["requestBody"]["content"]["application/json"]["example"] = {
        "stage_id": "B5KQKkUz5DK5whm5AiSNPw4u",
        "notify_candidate": True,
        "note": "You are through to the final interview.",
    }
    root = contracts_with(tmp_path_factory.mktemp("new-write") / "contracts", {PATH: operation})
    add_rule(root, RULE)
    return load_contract([root], validate=False)


@pytest.fixture(scope="module")
def served(declared) -> Iterator[str]:
    with running_sandbox(declared, api_key=API_KEY) as url:
        yield url


def test_the_sandbox_serves_the_write_and_enforces_the_rule(served) -> None:
    with make_client(served, "sandbox:new-write", key=API_KEY) as client:
        app = one(client, "/ats/applications", outcomes="PENDING")
        job = one(client, "/ats/jobs", ids=app["job_id"], include_deleted="true")
        stage = next(s["id"] for s in job["stages"] if s["id"] != app["current_stage_id"])
        path = PATH.replace("{application_id}", app["id"])
        silent = client.post(path, json={"stage_id": stage, "notify_candidate": True, "note": ""})
        assert (silent.status_code, silent.json()["error"]["code"]) == (400, "REMOTE.INPUT_INVALID")
        assert RULE["id"] in silent.json()["error"]["message"]
        assert one(client, "/ats/applications", ids=app["id"])["current_stage_id"] != stage
        moved = client.post(path, json={"stage_id": stage, "notify_candidate": True, "note": "Hi"})
        assert moved.status_code == 200, moved.text
        assert one(client, "/ats/applications", ids=app["id"])["current_stage_id"] == stage


def test_read_after_write_verifies_the_effect(declared, http, served) -> None:
    result = read_after_write(declared, http, served, MOVE)
    assert (result.findings, result.verdict) == ([], "passed")
    assert "the application.current_stage_id change showed at the first read" in result.note
    (write,) = [e for e in result.exchanges if e.request.method == "POST"]
    assert write.request.body["notify_candidate"] is True and write.request.body["note"]


def generated(contract: Contract) -> list[Any]:
    """The positive bodies generation sends to the new write (fixed seed)."""
    cases = CaseGenerator(contract, seed=3).cases(
        contract.operation(MOVE), mode="positive", count=100, integration_id="sandbox:gen"
    )
    return [case.body for case in cases]


def test_generation_honours_the_rule_and_needs_it(declared) -> None:
    bodies = generated(declared)
    assert any(isinstance(b, dict) and b.get("notify_candidate") is True for b in bodies)
    assert not [b for b in bodies if breaks_rule(b)]
    # the same generation, the rule left out of the errata: some bodies break it
    entries = tuple(e for e in declared.errata.entries if e.id != RULE["id"])
    without = replace(declared, errata=Errata(entries, declared.errata.source))
    assert any(breaks_rule(b) for b in generated(without))


def test_negative_bodies_breaks_the_rule_and_judges_the_answer(declared, http, served) -> None:
    result = PROBES["negative_bodies"](context(declared, http, served, MOVE))
    assert result.findings == [] and result.verdict == "passed", result.findings
    refused = [e for e in result.exchanges if breaks_rule(e.request.body)]
    assert refused and all(
        (e.status, e.error_code) == (400, "REMOTE.INPUT_INVALID") for e in refused
    )
