"""``report.json``: the machine-readable report, described by ``report.schema.json``.

Version 2 gives every case its verdict (``passed``, ``failed``, ``not run``,
``inconclusive``, ``not applicable``), note and ``bounded`` flag, and counts the verdicts
in the summary; version 1 had a ``status`` of only ``passed`` or ``failed``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kombo_conformance.findings import Outcome
from kombo_conformance.report.results import (
    CaseResult,
    case_results,
    severity_counts,
    verdict_counts,
)

FILENAME = "report.json"
SCHEMA_VERSION = 2
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


def report_dict(outcome: Outcome) -> dict[str, Any]:
    """The report as a JSON-ready dict (``outcome`` must already be redacted)."""
    results = case_results(outcome)
    return {
        "schema_version": SCHEMA_VERSION,
        "command": outcome.command,
        "started_at": outcome.started_at,
        "duration_s": outcome.duration_s,
        "meta": outcome.meta,
        "summary": {
            "findings_by_severity": severity_counts(outcome.findings),
            "cases": len(results),
            "failed_cases": sum(r.failed for r in results),
            "cases_by_verdict": verdict_counts(results),
            "bounded_cases": sum(r.bounded for r in results),
            "exit_code": outcome.exit_code,
        },
        "findings": [f.to_dict() for f in outcome.findings],
        "cases": [_case(r) for r in results],
    }


def render(outcome: Outcome) -> str:
    return json.dumps(report_dict(outcome), indent=2, ensure_ascii=False, default=str) + "\n"
