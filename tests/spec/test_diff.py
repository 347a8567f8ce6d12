"""``diff`` on the corpus (tests/spec/corpus/<case>/{old,new,expected}.yaml) and on the
project's contracts against a restructured copy of themselves."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.spec.diff import diff_contracts, to_findings

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yaml").is_file())


def changes_of(case: str):
    old = load_contract([CORPUS / case / "old.yaml"], validate=False)
    new = load_contract([CORPUS / case / "new.yaml"], validate=False)
    return diff_contracts(old, new), old, new


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case):
    changes, _, _ = changes_of(case)
    expected = yaml.safe_load((CORPUS / case / "expected.yaml").read_text())["changes"]
    assert Counter((c.kind, c.impact) for c in changes) == Counter(
        (e["check"], e["impact"]) for e in expected
    )


def test_corpus_covers_every_kind_the_issue_names():
    assert len(CASES) >= 18
    assert {"reordered", "reworded", "ref_renamed", "optional_response_field_added"} <= set(CASES)


def test_changes_carry_both_pointers_and_become_findings():
    changes, old, new = changes_of("response_enum_widened")
    [finding] = to_findings(changes, old, new)
    assert finding.severity == "error"
    assert finding.details["old_pointer"] == "/components/schemas/Job/properties/status"
    assert finding.details["new_pointer"] == "/components/schemas/Job/properties/status"
    assert finding.source.endswith("new.yaml")
    [removed] = to_findings(*changes_of("operation_removed"))
    assert (removed.pointer, removed.details["new_pointer"]) == ("/paths/~1ats~1jobs/get", None)


def test_contracts_against_themselves_have_no_changes(contract: Contract):
    assert diff_contracts(contract, contract) == []


def test_contracts_against_a_bundled_copy_have_no_changes(contract: Contract, tmp_path):
    """One file instead of four, shared components merged: a restructuring, not a change."""
    bundled = tmp_path / "bundled.yaml"
    bundled.write_text(yaml.safe_dump(contract.document, sort_keys=True), encoding="utf-8")
    assert diff_contracts(contract, load_contract([bundled], validate=False)) == []
