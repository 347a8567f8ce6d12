"""Every response validates against the contract, over hundreds of generated requests."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from kombo_conformance.contract.conventions import json_schema_of
from kombo_conformance.contract.validate import first_error
from tests.sandbox.conftest import API_KEY

pytestmark = pytest.mark.e2e
EXAMPLES_PER_OPERATION = 12


def response_schema(contract, operation, status):
    responses = operation.definition.get("responses") or {}
    entry = responses.get(str(status)) or responses.get("default") or {}
    return contract.errata.tolerant(json_schema_of(entry.get("content")))


def test_generated_requests_get_conforming_responses(contract, base_url):
    schema = schemathesis.openapi.from_dict(contract.document)
    headers = {"Authorization": f"Bearer {API_KEY}", "X-Integration-Id": "sandbox:schemathesis"}
    strategies = [op.ok().as_strategy() for op in schema.get_all_operations()]
    assert len(strategies) == len(contract.operations)
    checked: list[tuple[str, int]] = []
    problems: list[str] = []

    def run(case):
        case.headers = {**(case.headers or {}), **headers}
        response = case.call(base_url=base_url, timeout=30)
        operation = contract.operations[f"{case.method.upper()} {case.operation.path}"]
        checked.append((operation.key, response.status_code))
        if response.status_code >= 500:
            problems.append(f"{operation.key}: {response.status_code} {response.text[:200]}")
            return
        try:
            body = json.loads(response.content)
        except ValueError:
            problems.append(
                f"{operation.key} -> {response.status_code}: not JSON "
                f"{response.content[:100]!r} {response.request.url}"
            )
            return
        error = first_error(response_schema(contract, operation, response.status_code), body)
        if error is not None:
            problems.append(f"{operation.key} -> {response.status_code}: {error.message[:200]}")

    for strategy in strategies:
        settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(given(strategy)(run))()
    assert not problems, "\n".join(problems[:10])
    assert len(checked) >= 300, len(checked)
    assert len({k for k, _ in checked}) == len(contract.operations)
    assert any(s == 200 for _, s in checked) and any(s == 400 for _, s in checked)
