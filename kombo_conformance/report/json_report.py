"""``report.json``: the machine-readable report, described by ``report.schema.json``.

Version 3 keeps every finding and adds ``groups`` (one per check, rule, connector and
operation, with the indices of its findings and examples) and ``comparison`` (what changed
since ``--compare``; null without it). Version 2 gave every case its verdict (``passed``,
``failed``, ``not run``, ``inconclusive``, ``not applicable``), note and ``bounded`` flag;
version 1 had a ``status`` of only ``passed`` or ``failed``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kombo_conformance.findings import Outcome
from kombo_conformance.report.groups import (
    COMPARE_KEY,
    Group,
    Grouped,
    comparison_dict,
    exit_code,
    group_key,
    group_summary,
    grouped,
)
from kombo_conformance.report.results import (
    CaseResult,
    case_results,
    severity_counts,
    verdict_counts,
)

FILENAME = "report.json"
SCHEMA_VERSION = 3
SCHEMA_PATH = Path(__file__).with_name("report.schema.json")


def _case(result: CaseResult) -> dict[str, Any]:
    case = result.case
    return {
        "connector": case.connector,
        "operation": case.operation,
        "check": case.check,
        "verdict": result.verdict,
        "note": result.note,
        "bounded": case.bounded,
        "findings": len(result.findings),
    }


def _group(group: Group, index: dict[int, int], members: list[int]) -> dict[str, Any]:
    """The group's summary, the indices of its findings and of its examples."""
    examples = [index[id(f)] for f in group.examples]
    return group_summary(group) | {"findings": members, "examples": examples}


def _groups(outcome: Outcome, groups: Grouped) -> list[dict[str, Any]]:
    index = {id(f): i for i, f in enumerate(outcome.findings)}
    members: dict[str, list[int]] = {}
    by_key = {g.key: g.id for g in groups.all}
    for i, finding in enumerate(outcome.findings):
        members.setdefault(by_key[group_key(finding)], []).append(i)
    return [_group(g, index, members[g.id]) for g in groups.all]


def _comparison(outcome: Outcome, groups: Grouped) -> dict[str, Any] | None:
    if groups.compared_with is None:
        return None
    return comparison_dict(groups, outcome.meta[COMPARE_KEY].get("fail_on", "any"))


def report_dict(outcome: Outcome) -> dict[str, Any]:
    """The report as a JSON-ready dict (``outcome`` must already be redacted)."""
    results = case_results(outcome)
    groups = grouped(outcome)
    return {
        "schema_version": SCHEMA_VERSION,
        "command": outcome.command,
        "started_at": outcome.started_at,
        "duration_s": outcome.duration_s,
        "meta": {k: v for k, v in outcome.meta.items() if k != COMPARE_KEY},
        "summary": {
            "findings_by_severity": severity_counts(outcome.findings),
            "cases": len(results),
            "failed_cases": sum(r.failed for r in results),
            "cases_by_verdict": verdict_counts(results),
            "bounded_cases": sum(r.bounded for r in results),
            "exit_code": exit_code(outcome),
        },
        "findings": [f.to_dict() for f in outcome.findings],
        "groups": _groups(outcome, groups),
        "comparison": _comparison(outcome, groups),
        "cases": [_case(r) for r in results],
    }


def render(outcome: Outcome) -> str:
    return json.dumps(report_dict(outcome), indent=2, ensure_ascii=False, default=str) + "\n"
