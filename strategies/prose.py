"""Bodies that break exactly one declared prose rule (``contracts/errata.yaml``).

``rule_breaking(bodies, found)`` draws a valid body, one place where a rule of ``found``
(``kombo_conformance.contract.prose_rules.sites``) applies, and changes the object there so
that it breaks that rule and no other: the value is tagged with the rule's id and
``rule="prose"``. Values a change needs (a property the rule's ``when`` asks for) are drawn
from the property's schema. Nothing here names a field: the rules say what to change.
"""

from __future__ import annotations

from typing import Any

from hypothesis import reject
from hypothesis import strategies as st

from kombo_conformance.contract import prose_rules
from kombo_conformance.contract.prose_rules import Site
from strategies.bodies import request_bodies
from strategies.tagged import Tagged


def honours(found: list[Site], body: Any) -> bool:
    """``body`` breaks none of the rules at ``found``."""
    return not prose_rules.violations(found, body)


@st.composite
def _broken(
    draw: st.DrawFn,
    bodies: st.SearchStrategy[Any],
    found: list[Site],
    data_url: str | None,
    rule: str | None,
) -> Tagged[Any]:
    body = draw(bodies)
    chosen = [s for s in found if rule in (None, s.rule.id)]
    places = [(s, w, o) for s in chosen for w, o in prose_rules.instances(body, s.path)]
    if not places:
        reject()
    site, where, obj = draw(st.sampled_from(places))

    def fill(_name: str, schema: dict[str, Any]) -> Any:
        return draw(request_bodies(schema, data_url))

    out = prose_rules.breaking(site, obj, fill, found)
    others = [s for s in found if s.rule.id != site.rule.id]
    if out is None or not prose_rules.satisfied(others, site.path, out):
        reject()
    return Tagged(prose_rules.put(body, where, out), site.rule.id, "prose")


def rule_breaking(
    bodies: st.SearchStrategy[Any],
    found: list[Site],
    data_url: str | None = None,
    rule: str | None = None,
) -> st.SearchStrategy[Tagged[Any]]:
    """Bodies from ``bodies`` (valid ones) changed to break one rule of ``found`` (the one
    whose id is ``rule``, when given), tagged with the rule's id."""
    return _broken(bodies, found, data_url, rule)
