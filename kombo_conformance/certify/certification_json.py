"""``certification.json``: the certification for machines, and the input of ``--merge``.

Described by ``certification.schema.json`` (JSON Schema draft 2020-12) next to this module;
``schema_version`` is 2 (1 lacked each cell's ``claim`` and ``contradicts_declaration`` and
each connector's ``declared``). :func:`load` reads a file of either version back into a
:class:`Certification`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kombo_conformance.certify.baseline import entry_from_dict
from kombo_conformance.certify.coverage import ModelCoverage
from kombo_conformance.certify.declared import DeclaredCoverage
from kombo_conformance.certify.matrix import STATUSES, Cell, ConnectorResult, Evidence
from kombo_conformance.certify.result import Certification
from kombo_conformance.checks.declared import FieldClaim, ItemClaim
from kombo_conformance.errors import UsageError
from kombo_conformance.findings import Finding, RequestRecord, ResponseExcerpt

FILENAME = "certification.json"
SCHEMA_PATH = Path(__file__).with_name("certification.schema.json")
SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)  # what load() and --compare read


def _finding(finding: Finding, cell: Cell) -> dict[str, Any]:
    return finding.to_dict() | {
        "fingerprint": finding.fingerprint,
        "baselined": finding.fingerprint in cell.baselined,
    }


def _cell(cell: Cell) -> dict[str, Any]:
    return {
        "operation": cell.operation,
        "declared": cell.declared,
        "claim": cell.claim,
        "contradicts_declaration": cell.contradicts_declaration,
        "status": cell.status,
        "gate_passed": cell.gate_passed,
        "evidence": vars(cell.evidence).copy(),
        "findings": [_finding(f, cell) for f in cell.findings],
    }


def _connector(result: ConnectorResult) -> dict[str, Any]:
    return {
        "slug": result.slug,
        "name": result.name,
        "verdict": result.verdict,
        "certified": result.certified,
        "gate_passed": result.gate_passed,
        "reason": result.reason,
        "counts": {status: result.count(status) for status in STATUSES},
        "cells": [_cell(c) for c in result.cells],
        "coverage": [m.to_dict() for m in result.coverage],
        "declared": result.declared.to_dict() if result.declared else None,
    }


def certification_dict(certification: Certification) -> dict[str, Any]:
    connectors = certification.connectors
    return {
        "schema_version": SCHEMA_VERSION,
        "meta": certification.meta,
        "operations": certification.operations,
        "summary": {
            "headline": certification.headline(),
            "connectors": len(connectors),
            "certified": sum(c.verdict == "certified" for c in connectors),
            "baselined": sum(c.verdict == "baselined" for c in connectors),
            "partly_judged": sum(c.verdict == "partly judged" for c in connectors),
            "not_certified": sum(c.verdict == "not certified" for c in connectors),
            "cells": {s: sum(c.count(s) for c in connectors) for s in STATUSES},
            "new_findings": len(certification.new_findings),
            "gate_passed": certification.gate_passed,
            "exit_code": certification.exit_code,
        },
        "connectors": [_connector(c) for c in connectors],
        "baseline": {
            "file": certification.baseline_file,
            "stale": [e.to_dict() for e in certification.stale],
            "expired": [e.to_dict() for e in certification.expired],
        },
    }


def render(certification: Certification) -> str:
    return json.dumps(certification_dict(certification), indent=2, ensure_ascii=False) + "\n"


def finding_from_dict(data: Mapping[str, Any]) -> Finding:
    request, response = data.get("request"), data.get("response")
    return Finding(
        check=data["check"],
        message=data["message"],
        severity=data["severity"],
        connector=data.get("connector", ""),
        operation=data.get("operation", ""),
        pointer=data.get("pointer"),
        source=data.get("source"),
        rule=data.get("rule"),
        request=RequestRecord(**request) if request else None,
        response=ResponseExcerpt(**response) if response else None,
        reproduction=data.get("reproduction"),
        details=data.get("details") or {},
    )


def _cell_from_dict(slug: str, data: Mapping[str, Any]) -> Cell:
    findings = [finding_from_dict(f) for f in data["findings"]]
    return Cell(
        connector=slug,
        operation=data["operation"],
        declared=data["declared"],
        status=data["status"],
        evidence=Evidence(**data["evidence"]),
        findings=findings,
        baselined=frozenset(f["fingerprint"] for f in data["findings"] if f["baselined"]),
        claim=data.get("claim", ""),
    )


def _declared_from_dict(data: Mapping[str, Any] | None) -> DeclaredCoverage | None:
    if data is None:
        return None
    items = [
        ItemClaim(**{**i, "fields": [FieldClaim(**f) for f in i["fields"]]}) for i in data["items"]
    ]
    findings = [finding_from_dict(f) for f in data["findings"]]
    return DeclaredCoverage(data["source"], data["integration_id"], data["note"], items, findings)


def from_dict(data: Mapping[str, Any]) -> Certification:
    return Certification(
        connectors=[
            ConnectorResult(
                slug=c["slug"],
                name=c["name"],
                cells=[_cell_from_dict(c["slug"], cell) for cell in c["cells"]],
                coverage=[ModelCoverage.from_dict(m) for m in c["coverage"]],
                declared=_declared_from_dict(c.get("declared")),
            )
            for c in data["connectors"]
        ],
        operations=list(data["operations"]),
        meta=dict(data.get("meta") or {}),
        stale=[entry_from_dict(e, "stale entry") for e in data["baseline"]["stale"]],
        expired=[entry_from_dict(e, "expired entry") for e in data["baseline"]["expired"]],
        baseline_file=data["baseline"]["file"],
    )


def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def load(path: str | Path) -> Certification:
    """Read a certification.json (a file, or a directory holding one); validated against
    the schema, so a truncated or foreign file is a clear usage error."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    path = Path(path)
    if path.is_dir():
        path = path / FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist: pass a --report-dir of a certify run") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} is not a readable certification.json: {exc}") from None
    error = best_match(Draft202012Validator(schema()).iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "/"
        raise UsageError(f"{path} is not a valid certification.json at {where}: {error.message}")
    return from_dict(data)
