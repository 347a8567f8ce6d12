"""Plain-text building blocks: a finding as a block of lines, and aligned tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kombo_conformance.findings import Finding


def finding_title(finding: Finding) -> str:
    """``[error] greenhouse GET /ats/jobs pagination-cursor``, the parts that are set."""
    where = " ".join(p for p in (finding.connector, finding.operation, finding.check) if p)
    return f"[{finding.severity}] {where}"


def location(finding: Finding) -> str | None:
    """``source#pointer``, or whichever of the two is set."""
    if finding.source and finding.pointer:
        return f"{finding.source}#{finding.pointer}"
    return finding.source or finding.pointer


def request_line(finding: Finding) -> str | None:
    return f"{finding.request.method} {finding.request.url}" if finding.request else None


def body_text(body: Any) -> str:
    return body if isinstance(body, str) else json.dumps(body, indent=2, default=str)


def finding_text(finding: Finding) -> str:
    """Message, location, request, response excerpt and reproduction, one per paragraph."""
    lines = [finding_title(finding), finding.message]
    if where := location(finding):
        lines.append(f"at {where}")
    if finding.request:
        lines.append(f"request: {request_line(finding)}")
    if finding.response:
        lines.append(f"response: HTTP {finding.response.status}")
        if finding.response.excerpt:
            lines.append(finding.response.excerpt)
    if finding.reproduction:
        lines.append(f"reproduce: {finding.reproduction}")
    return "\n".join(lines)


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded to width and separated by `` | ``; numbers right-aligned."""
    cells = [[str(c) for c in headers], *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], int) for row in rows) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        padded = (
            c.rjust(w) if num else c.ljust(w)
            for c, w, num in zip(row, widths, numeric, strict=True)
        )
        return " | ".join(padded).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])
