"""Acceptance: the official SDK (kombo 1.4.0), pointed at the sandbox, calls the general
endpoints and parses every answer; the coverage it reads for Homerun is seed 004's, field by
field (the seed parsed by tests/contract/test_profiles.py, not a copy)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("kombo")
from kombo import Kombo, errors
from kombo.models import GetToolsCategoryParameterCategory

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.sandbox.server import running_sandbox
from tests.contract.test_profiles import homerun_page

pytestmark = pytest.mark.e2e

API_KEY = "sdk-general-key"


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load_contract(validate=False)


@pytest.fixture(scope="module")
def sdk(contract) -> Iterator[Kombo]:
    with (
        running_sandbox(contract, api_key=API_KEY) as url,
        Kombo(api_key=API_KEY, server_url=url) as client,
    ):
        yield client


def _supported(items) -> dict[str, set[str]]:
    return {
        item.label: {f.id for f in item.fields if f.coverage_status == "SUPPORTED"}
        for item in items
        if item.coverage_status == "SUPPORTED"
    }


def test_check_api_key(sdk):
    assert sdk.general.check_api_key().data.environment_id


def test_homerun_declares_seed_004_field_by_field(sdk):
    page = homerun_page()
    details = sdk.general.get_integration_details(integration_id=f"{page.slug}:sdk").data
    assert details.tool.id == page.slug and details.category == "ATS"
    assert _supported(details.read_models) == {s.title: set(s.fields) for s in page.models}
    assert _supported(details.write_actions) == {s.title: set(s.fields) for s in page.actions}
    # /tools says the same about Homerun
    (tool,) = [t for t in sdk.general.get_tools(category="ats").data.tools if t.id == page.slug]
    assert _supported(tool.coverage.read_models) == _supported(details.read_models)
    assert _supported(tool.coverage.write_actions) == _supported(details.write_actions)


def test_get_tools_parses_every_category(sdk, contract):
    for category in GetToolsCategoryParameterCategory.__args__:
        tools = sdk.general.get_tools(category=category).data.tools
        expected = {s for s, p in contract.profiles.items() if category in p.use_cases}
        assert {t.id for t in tools} == expected, category


def test_errors_parse_as_the_general_error(sdk):
    with pytest.raises(errors.KomboGeneralError) as caught:
        sdk.general.get_integration_details(integration_id="nosuchtool:sdk")
    assert caught.value.data.error.code == "PLATFORM.INTEGRATION_NOT_FOUND"
