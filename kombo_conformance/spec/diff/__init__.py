"""Breaking changes between two versions of an OpenAPI document, in the manner of oasdiff.

Rules (:mod:`.catalogue`) are named per change class with a level; schema rules exist for
requests and responses. Both documents are walked in step with every ``$ref`` followed
(:mod:`.operations`, :mod:`.schemas`), so reordering, moving, renaming or inlining a
component, or renaming a path parameter, is not a change. Each change carries the pointers
where it is written on both sides and every operation it affects, with where in it.
"""

from __future__ import annotations

from kombo_conformance.contract import Contract
from kombo_conformance.spec.diff.catalogue import (
    BREAKING,
    IMPACTS,
    POTENTIAL,
    RULES,
    SAFE,
    SCHEMA_KINDS,
    Direction,
    Impact,
    Rule,
)
from kombo_conformance.spec.diff.model import Change
from kombo_conformance.spec.diff.operations import OperationDiffer
from kombo_conformance.spec.diff.report import SEVERITY_OF, to_findings


def diff_contracts(old: Contract, new: Contract) -> list[Change]:
    """Every change from old to new, breaking ones first."""
    return OperationDiffer(old, new).run()


__all__ = [
    "BREAKING",
    "IMPACTS",
    "POTENTIAL",
    "RULES",
    "SAFE",
    "SCHEMA_KINDS",
    "SEVERITY_OF",
    "Change",
    "Direction",
    "Impact",
    "Rule",
    "diff_contracts",
    "to_findings",
]
