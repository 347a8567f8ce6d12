"""A prose rule added as data only, to a copy of the contracts: generation honours it,
``negative_bodies`` breaks it and judges the answer by its declared ``refused_with``, the
sandbox serving that copy enforces it, and lint knows it is declared. No code names it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import yaml

from kombo_conformance.checks import PROBES
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.generation import CaseGenerator
from kombo_conformance.sandbox.server import running_sandbox
from kombo_conformance.spec.lint import lint
from tests.checks.conftest import API_KEY, make_send
from tests.checks.factory import error_body
from tests.checks.fakes import reply
from tests.conftest import CONTRACTS

NOTES = "POST /ats/applications/{application_id}/notes"
BODY = "PostAtsApplicationsApplicationIdNotesRequestBody"
SENTENCE = "This is required when `content_type` is given, and must not be empty."
RULE = {
    "id": "note-content-with-type",
    "rule": "prose-rule",
    "pointer": f"/components/schemas/{BODY}",
    "property": "content",
    "sentence": SENTENCE,
    "when": {"required": ["content_type"]},
    "then": {"required": ["content"], "properties": {"content": {"minLength": 1}}},
    "refused_with": {"status": [400], "codes": ["REMOTE.INPUT_INVALID"]},
    "reason": "A rule declared by a test, on a copy of the contracts.",
}


def breaks_rule(body: object) -> bool:
    """The test's own reading of SENTENCE."""
    return isinstance(body, dict) and "content_type" in body and not body.get("content")


def add_rule(root: Path, rule: dict) -> None:
    """Declare ``rule`` in the errata of the contracts copy at ``root``."""
    errata = yaml.safe_load((root / "errata.yaml").read_text(encoding="utf-8"))
    errata["errata"].append(rule)
    (root / "errata.yaml").write_text(yaml.safe_dump(errata, sort_keys=False), encoding="utf-8")


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Contract:
    root = tmp_path_factory.mktemp("contracts") / "contracts"
    shutil.copytree(CONTRACTS, root)
    add_rule(root, RULE)
    ats = yaml.safe_load((root / "ats.yaml").read_text(encoding="utf-8"))
    ats["components"]["schemas"][BODY]["properties"]["content"]["description"] = SENTENCE
    (root / "ats.yaml").write_text(yaml.safe_dump(ats, sort_keys=False), encoding="utf-8")
    return load_contract([root])


@pytest.fixture(scope="module")
def served(copy: Contract) -> Iterator[str]:
    with running_sandbox(copy, api_key=API_KEY) as base:
        yield base


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=20) as client:
        yield client


def context(copy: Contract, http: httpx.Client, base: str, operation: str = NOTES) -> CheckContext:
    return CheckContext(
        contract=copy,
        operation=copy.operation(operation),
        connector="sandbox",
        profile=None,
        send=make_send(http, base, "sandbox:new-rule", copy),
        notes={"secrets": [API_KEY]},
    )


def test_generated_valid_bodies_honour_the_rule(copy: Contract) -> None:
    cases = CaseGenerator(copy, seed=3).cases(
        copy.operation(NOTES), mode="positive", count=15, integration_id="sandbox:gen"
    )
    bodies = [c.body for c in cases if isinstance(c.body, dict)]
    assert any("content_type" in b for b in bodies)  # the rule applied, and held
    assert not [b for b in bodies if breaks_rule(b)]


def test_negative_bodies_breaks_it_and_the_sandbox_refuses_it(copy, http, served) -> None:
    result = PROBES["negative_bodies"](context(copy, http, served))
    assert result.findings == [] and result.verdict == "passed", result.findings
    refused = [e for e in result.exchanges if breaks_rule(e.request.body)]
    assert [(e.status, e.error_code) for e in refused] == [(400, "REMOTE.INPUT_INVALID")]
    assert refused[0].request.body["content_type"] == "PLAIN_TEXT"


def test_a_refusal_the_rule_does_not_declare_is_a_warning(copy, http, served) -> None:
    ctx = context(copy, http, served)
    sandbox_send = ctx.send

    def platform_code(request: Request) -> Exchange:
        if not breaks_rule(request.body):
            return sandbox_send(request)
        return reply(request, 400, error_body("PLATFORM.INPUT_INVALID"), NOTES)

    (finding,) = PROBES["negative_bodies"](replace(ctx, send=platform_code)).findings
    assert (finding.severity, finding.pointer) == ("warning", "note-content-with-type")
    assert "REMOTE.INPUT_INVALID" in finding.message and "refused_with" in finding.rule
    assert SENTENCE in finding.rule


def test_the_sandbox_serving_the_copy_enforces_it(copy, served, http) -> None:
    headers = {"Authorization": f"Bearer {API_KEY}", "X-Integration-Id": "sandbox:direct"}
    apps = http.get(f"{served}/ats/applications", headers=headers, params={"page_size": 1})
    path = f"{served}/ats/applications/{apps.json()['data']['results'][0]['id']}/notes"
    empty = http.post(path, headers=headers, json={"content": "", "content_type": "PLAIN_TEXT"})
    assert (empty.status_code, empty.json()["error"]["code"]) == (400, "REMOTE.INPUT_INVALID")
    assert "note-content-with-type" in empty.json()["error"]["message"]
    fine = http.post(path, headers=headers, json={"content": "ok", "content_type": "PLAIN_TEXT"})
    assert fine.status_code == 200


def test_lint_sees_the_sentence_as_declared(copy: Contract) -> None:
    pointer = f"/components/schemas/{BODY}/properties/content"
    (advisory,) = [f for f in lint(copy).findings if f.pointer == pointer]
    assert advisory.details["declared"] == "note-content-with-type"


def test_the_rule_is_not_in_the_project_contracts(contract: Contract) -> None:
    assert "note-content-with-type" not in {e.id for e in contract.errata.entries}
    assert not Path(CONTRACTS / "errata.yaml").read_text(encoding="utf-8").count(SENTENCE)
