"""Certification against the declaration: every claim ``GET /integrations/{integration_id}``
makes for a connector, judged on everything the run saw (the rules:
:mod:`kombo_conformance.checks.declared`), with the findings about the declaration itself
(no declaration, another connector, profile drift), for the reports' "declared vs verified".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from kombo_conformance.certify.matrix import Evidence
from kombo_conformance.checks.declared import ItemClaim, judge
from kombo_conformance.contract import Contract
from kombo_conformance.drift import profile_drift
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding
from kombo_conformance.learn import learning_findings
from kombo_conformance.run import Connection


@dataclass
class DeclaredCoverage:
    """A connector's declaration against the evidence: ``source`` the request it came from
    (None when the target gave none: ``note`` says why), the items, and every finding about
    the declaration (``declared_coverage``, ``profile_drift``), of any severity."""

    source: str | None
    integration_id: str
    note: str = ""
    items: list[ItemClaim] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def contradicted(self) -> int:
        """How many claims the evidence contradicts (items and fields)."""
        return sum(i.verdict == "contradicted" for i in self.items) + sum(
            f.verdict == "contradicted" for i in self.items for f in i.fields
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "integration_id": self.integration_id,
            "note": self.note,
            "contradicted": self.contradicted,
            "items": [asdict(i) for i in self.items],
            "findings": [f.to_dict() for f in self.findings],
        }


def declared_coverage(
    connection: Connection,
    contract: Contract,
    exchanges: Sequence[Exchange],
    evidence: Mapping[str, Evidence],
) -> DeclaredCoverage | None:
    """The connector's declared coverage against the evidence, with every finding about its
    declaration (learning, drift, claims); None when no declaration was asked for."""
    learned = learning_findings(connection)
    declaration = connection.declaration
    if declaration is None:
        if not connection.note:
            return None
        return DeclaredCoverage(None, connection.integration_id, connection.note, [], learned)
    items, found = judge(declaration, contract, declaration.items, exchanges, evidence)
    drift = profile_drift(declaration, connection.hand_profile)
    return DeclaredCoverage(
        declaration.source, declaration.integration_id, "", items, [*learned, *drift, *found]
    )


def claim_of(connection: Connection, operation: str, contract: Contract) -> str:
    """Who claims what about ``operation`` for this connector, in a few words."""
    declaration, hand = connection.declaration, connection.hand_profile
    if (op := contract.operations.get(operation)) is not None and op.general:
        return "general operation: every connector serves it"
    hand_says = f"hand profile: {'listed' if hand and hand.supports(operation) else 'not listed'}"
    if declaration is not None:
        if items := declaration.at(operation):
            return "; ".join(f"{i.id}: {i.claim}" for i in items)
        return f"not in the declaration; {hand_says if hand else 'expected not available'}"
    return hand_says if hand else "no profile: expected served"
