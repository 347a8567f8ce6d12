"""contracts/errata.yaml prose rules: each is one validated entry (kombo_conformance/contract/
errata_schema.py); a malformed one is a contract error naming the entry, never a rule that
silently never applies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_conformance.contract import Contract, prose_rules
from kombo_conformance.contract.errata import load_errata
from kombo_conformance.errors import ContractError

RULE: dict[str, Any] = {
    "id": "a-rule",
    "rule": "prose-rule",
    "pointer": "/components/schemas/X",
    "property": "b",
    "sentence": "If you provide `a`, this is required.",
    "when": {"required": ["a"]},
    "then": {"required": ["b"]},
    "reason": "test",
}


def write(tmp_path: Path, *entries: dict[str, Any]) -> Path:
    path = tmp_path / "errata.yaml"
    path.write_text(yaml.safe_dump({"errata": list(entries)}), encoding="utf-8")
    return path


def test_a_prose_rule_loads_as_declared(tmp_path: Path) -> None:
    refused = {"status": [422], "codes": ["REMOTE.INPUT_INVALID"]}
    (rule,) = load_errata(write(tmp_path, {**RULE, "refused_with": refused})).entries
    assert rule.schema == {"if": {"required": ["a"]}, "then": {"required": ["b"]}}
    assert rule.refused_with.status_ok(422) and not rule.refused_with.status_ok(400)
    assert "'If you provide `a`, this is required.'" in rule.cite()


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"sentence": None}, "/errata/0"),  # every prose rule quotes its sentence
        ({"then": None}, "/errata/0"),  # neither then nor lock
        ({"lock": {"field": "s", "open": ["OPEN"], "operations": ["PUT /x"]}}, "/errata/0"),
        ({"pointer": None}, "/errata/0"),  # applies nowhere
        ({"then": "required b"}, "/errata/0/then"),
        ({"refused_with": {"status": [200]}}, "/errata/0/refused_with/status/0"),
        ({"typo": 1}, "/errata/0"),
    ],
)
def test_a_malformed_prose_rule_is_a_contract_error(tmp_path, change, where) -> None:
    entry = {k: v for k, v in {**RULE, **change}.items() if v is not None}
    with pytest.raises(ContractError) as info:
        load_errata(write(tmp_path, entry))
    assert info.value.pointer == where, info.value


def test_other_rules_take_no_prose_keys(tmp_path: Path) -> None:
    entry = {"id": "x", "rule": "request-body-required", "reason": "r", "then": {}}
    with pytest.raises(ContractError):
        load_errata(write(tmp_path, entry))


def test_the_project_rules_apply_where_their_sentences_are(contract: Contract) -> None:
    order = contract.operation("PUT /assessment/orders/{assessment_order_id}/result")
    found = prose_rules.sites(contract, order)
    for site in found:
        said = str(site.property_schema(site.rule.property_name).get("description"))
        assert " ".join(said.replace("*", "").split()).count(site.rule.sentence), site.rule.id
    (lock,) = contract.errata.locks(order.key)
    assert (
        lock.lock is not None and lock.lock.field in order.conventions.request_schema["properties"]
    )
