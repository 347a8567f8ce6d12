"""Transient ("try again later") error codes are contract data, checked against the envelopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.errors import ContractError

SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"
EXTENSION = "x-kombo-transient-codes"


def _edit_shared(contracts: Path, change: Any) -> Path:
    shared = contracts / "shared.yaml"
    doc = yaml.safe_load(shared.read_text())
    change(doc["components"]["responses"])
    shared.write_text(yaml.safe_dump(doc, sort_keys=False))
    return shared


def test_the_project_contract_declares_the_kombo_transient_codes(contract: Contract) -> None:
    assert contract.transient_codes == {
        "PLATFORM.RATE_LIMIT_EXCEEDED",
        "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED",
        "REMOTE.RATE_LIMIT_EXCEEDED",
        "INTEGRATION.SETUP_SYNC_PENDING",
    }
    for response in contract.document["components"]["responses"].values():
        assert "docs.kombo.dev" in response[EXTENSION]["description"]


def test_a_contract_without_a_declaration_has_none() -> None:
    assert load_contract([SEEDS / "001.openapi.yaml"]).transient_codes == frozenset()


def test_a_code_outside_its_envelope_is_refused(contracts_copy: Path) -> None:
    def add(responses: dict[str, Any]) -> None:
        # REMOTE.* is only in the ATS envelope, not in the general one
        responses["ErrorResponseGeneral"][EXTENSION]["codes"].append("REMOTE.RATE_LIMIT_EXCEEDED")

    shared = _edit_shared(contracts_copy, add)
    with pytest.raises(ContractError) as info:
        load_contract([contracts_copy], validate=False)
    assert info.value.source == str(shared)
    assert info.value.pointer == f"/components/responses/ErrorResponseGeneral/{EXTENSION}/codes/2"
    assert "'REMOTE.RATE_LIMIT_EXCEEDED' is not in this error envelope's error.code enum" in str(
        info.value
    )


@pytest.mark.parametrize(
    ("declaration", "reason"),
    [
        (["PLATFORM.RATE_LIMIT_EXCEEDED"], "must be a mapping with a list of error codes"),
        ({"codes": [], "source": "x"}, "unknown key(s) ['source']"),
        ({"codes": [], "description": 3}, "description must be a string"),
    ],
)
def test_a_malformed_declaration_is_refused(
    contracts_copy: Path, declaration: Any, reason: str
) -> None:
    def put(responses: dict[str, Any]) -> None:
        responses["ErrorResponseATS"][EXTENSION] = declaration

    _edit_shared(contracts_copy, put)
    with pytest.raises(ContractError, match=r"ErrorResponseATS/x-kombo-transient-codes") as info:
        load_contract([contracts_copy], validate=False)
    assert reason in info.value.reason


def test_a_declaration_on_a_response_that_is_no_error_envelope_is_refused(
    contracts_copy: Path,
) -> None:
    lms = contracts_copy / "lms.yaml"
    doc = yaml.safe_load(lms.read_text())
    item = next(iter(doc["paths"].values()))
    item["get"]["responses"]["200"][EXTENSION] = {"codes": ["PLATFORM.RATE_LIMIT_EXCEEDED"]}
    lms.write_text(yaml.safe_dump(doc, sort_keys=False))
    with pytest.raises(ContractError, match="belongs on an error response") as info:
        load_contract([contracts_copy], validate=False)
    assert info.value.source == str(lms)
    assert info.value.pointer.endswith(f"/get/responses/200/{EXTENSION}")
