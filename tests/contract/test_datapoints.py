"""The coverage vocabulary (`x-kombo-datapoints` in contracts/general.yaml): it covers the
contract, a broken entry is a contract error, and a fault may only misdeclare what exists."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.contract.datapoints import EXTENSION, datapoints
from kombo_conformance.errors import ContractError, UsageError
from kombo_conformance.sandbox import general
from kombo_conformance.sandbox.faults import Change, Fault, Faults, catalogue

ROOT = Path(__file__).resolve().parents[2] / "contracts"


def test_every_connector_operation_but_the_action_details_has_a_datapoint(
    contract: Contract,
) -> None:
    named = {op for p in datapoints(contract) for op in p.operations}
    left = {k for k, op in contract.operations.items() if k not in named and not op.general}
    # GET /ats/actions/<id> describe an action's input restrictions; no grid row is theirs
    assert left == {k for k in contract.operations if k.startswith("GET /ats/actions/")}
    assert not {k for k, op in contract.operations.items() if op.general} & named


def test_every_profile_model_and_action_is_one_datapoint(contract: Contract) -> None:
    from kombo_conformance.contract.datapoints import profile_entry

    for profile in contract.profiles.values():
        for section, kind in (("models", "read_model"), ("actions", "write_action")):
            for key, entry in (getattr(profile, section)).items():
                owners = [
                    p
                    for p in datapoints(contract)
                    if p.kind == kind and profile_entry({key: entry}, p) is not None
                ]
                assert len(owners) == 1, (profile.slug, key)
                assert owners[0].key == key, (profile.slug, key)


@pytest.mark.parametrize(
    ("entry", "where", "says"),
    [
        ({"label": "Jobs", "operations": ["GET /ats/nope"]}, "/operations/0", "no operation"),
        ({"label": "Jobs", "operations": ["GET /ats/jobs"], "items": "nope"}, "/items", "nested"),
        ({"operations": ["GET /ats/jobs"]}, "", "label"),
    ],
)
def test_a_broken_datapoint_is_a_contract_error(tmp_path, entry, where, says) -> None:
    for name in ("general.yaml", "shared.yaml", "ats.yaml", "errata.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    document = yaml.safe_load((tmp_path / "general.yaml").read_text())
    document["components"][EXTENSION]["read_models"]["ats_jobs"] = entry  # the first entry
    (tmp_path / "general.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    with pytest.raises(ContractError) as caught:
        load_contract([tmp_path], validate=False)
    assert caught.value.pointer == f"/components/{EXTENSION}/read_models/ats_jobs{where}"
    assert says in caught.value.reason and "general.yaml" in caught.value.source


@pytest.mark.parametrize(
    "options", [{"datapoint": "ats_nope"}, {"datapoint": "ats_jobs", "field": "nope"}]
)
def test_a_fault_may_only_misdeclare_what_the_contract_has(contract, monkeypatch, options):
    change = Change("misdeclare", {**options, "status": "SUPPORTED"})
    monkeypatch.setitem(catalogue(), "h6-lie", Fault("h6-lie", "test", "test", (change,)))
    with pytest.raises(UsageError, match="it would change nothing"):
        general.require_datapoints(contract, Faults(["h6-lie"]))
