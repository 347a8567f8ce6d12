"""The diff corpus of tests/spec/diff_corpus.py: before/after pairs built from the project's
contracts, each with its rules, operation, place and level."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from diff_corpus import CASES, Case, pair

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.spec.diff import IMPACTS, RULES, diff_contracts

BY_NAME = {case.name: case for case in CASES}


@pytest.fixture(scope="module")
def contracts() -> Contract:
    """The project's contracts, loaded once (unvalidated, as ``diff`` loads them)."""
    return load_contract([Path(__file__).parents[2] / "contracts"], validate=False)


def test_corpus_size_and_coverage():
    assert len(CASES) >= 80 and len(BY_NAME) == len(CASES)
    levels = Counter(case.level for case in CASES)
    assert all(levels[impact] >= 10 for impact in IMPACTS if impact != "potentially breaking")
    assert levels[None] >= 6  # restructurings that must report nothing


@pytest.mark.parametrize("name", list(BY_NAME))
def test_case(name: str, contracts: Contract):
    case: Case = BY_NAME[name]
    changes = diff_contracts(*pair(contracts, case))
    assert Counter(c.kind for c in changes) == Counter(case.rules), [c.message for c in changes]
    for change in changes:
        assert change.impact == RULES[change.kind].impact
        assert case.operation in change.operations, change.message
    if changes:
        first = next(c for c in changes if c.kind == case.rules[0])
        assert first.old_pointer or first.new_pointer
        if case.where:
            assert first.where[first.operations.index(case.operation)] == case.where
    if case.level in (None, "safe"):  # no safe case is reported as (potentially) breaking
        assert all(c.impact == "safe" for c in changes)
    highest = min((IMPACTS.index(c.impact) for c in changes), default=None)
    assert (IMPACTS[highest] if highest is not None else None) == case.level
