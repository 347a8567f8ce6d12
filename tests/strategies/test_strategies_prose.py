"""strategies.bodies and strategies.prose on the order result body: valid bodies honour every
declared prose rule, ``rule_breaking`` breaks exactly the one it names. Judged by the
independent oracles of tests/strategies/oracles.py, not by the rules' own code."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kombo_conformance.contract import Contract, prose_rules
from kombo_conformance.contract.resolve import Resolver
from strategies.bodies import request_bodies
from strategies.prose import honours, rule_breaking
from tests.strategies.oracles import (
    ORDER_RESULT_V,
    assert_valid_order_result,
    broken_order_result_rules,
)
from tests.strategies.seed_schemas import ORDER_RESULT

OPERATION = "PUT /assessment/orders/{assessment_order_id}/result"
#: The declared rule (contracts/errata.yaml id) -> the oracle's name for breaking it.
ORACLE = {
    "order-result-completed-at-when-final": "final-status-without-completed-at",
    "attachment-needs-data-or-data-url": "neither-data-nor-data-url",
    "attachment-content-type-with-data": "data-without-content-type",
    "attachment-data-is-base64": "data-not-base64",
}
FAST = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def bodies(contract: Contract) -> st.SearchStrategy[Any]:
    """Order result bodies drawn from the strict schema (the prose rules encoded)."""
    strict = contract.errata.strict(contract.document)
    return request_bodies(Resolver(strict).resolve(strict["components"]["schemas"][ORDER_RESULT]))


@pytest.fixture(scope="module")
def found(contract: Contract) -> list[prose_rules.Site]:
    return prose_rules.sites(contract, contract.operation(OPERATION))


def test_the_order_result_has_the_rules_the_oracles_know(found) -> None:
    assert {site.rule.id for site in found} == set(ORACLE)


@FAST
@given(data=st.data())
def test_valid_bodies_honour_every_prose_rule(bodies, found, data) -> None:
    body = data.draw(bodies)
    assert_valid_order_result(body)
    assert honours(found, body)


@FAST
@given(data=st.data())
def test_a_broken_body_breaks_exactly_its_rule(bodies, found, data) -> None:
    case = data.draw(rule_breaking(bodies, found))
    assert case.rule == "prose"
    assert ORDER_RESULT_V.is_valid(case.value), case  # the schema alone cannot see it
    assert broken_order_result_rules(case.value) == {ORACLE[case.reason]}, case


@pytest.mark.parametrize("rule", sorted(ORACLE))
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_each_rule_can_be_broken_alone(bodies, found, rule, data) -> None:
    case = data.draw(rule_breaking(bodies, found, rule=rule))
    assert case.reason == rule
    assert broken_order_result_rules(case.value) == {ORACLE[rule]}, case
