"""The changes as a Markdown changelog a release note can use: Breaking, Potentially
breaking, Safe; each line the operation(s), where, and the change in words, then (when
known) the recorded traffic that exercises it and the review that accepted it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kombo_conformance.findings import Finding
from kombo_conformance.spec.diff.catalogue import IMPACTS

HEADINGS = {"breaking": "Breaking", "potentially breaking": "Potentially breaking",
            "safe": "Safe"}  # fmt: skip
SHOWN = 5  # recorded interactions listed per connector


def _places(details: dict[str, Any]) -> str:
    """``GET /a`` and ``GET /b``: where (once when the same everywhere)."""
    operations, where = details["operations"], details["where"]
    if len(set(where)) == 1:
        return f"{', '.join(f'`{op}`' for op in operations)}: {where[0]}"
    return ", ".join(f"`{op}` ({place})" for op, place in zip(operations, where, strict=True))


def _recorded(recorded: dict[str, Any]) -> str:
    if not recorded["connectors"]:
        return "recorded traffic: no recorded interaction exercises it"
    parts = []
    for connector, sources in recorded["connectors"].items():
        shown = ", ".join(f"`{s}`" for s in sources[:SHOWN])
        more = f" and {len(sources) - SHOWN} more" if len(sources) > SHOWN else ""
        parts.append(f"**{connector}** ({len(sources)}: {shown}{more})")
    return "recorded traffic: " + "; ".join(parts)


def _accepted(suppressed: dict[str, Any]) -> str:
    review = suppressed["date"] + (
        f", until {suppressed['expires']}" if "expires" in suppressed else ""
    )
    return f"accepted by {suppressed['reviewer']} ({review}): {suppressed['reason']}"


def _entry(finding: Finding) -> list[str]:
    details = finding.details
    lines = [f"- {_places(details)}: {details['change']} (`{finding.check}`)"]
    if "recorded" in details:
        lines.append(f"  - {_recorded(details['recorded'])}")
    if "suppressed" in details:
        lines.append(f"  - {_accepted(details['suppressed'])}")
    return lines


def changelog(findings: Sequence[Finding], old: str, new: str) -> str:
    """The Markdown text (only the findings that are changes; suppressed ones included)."""
    changes = [f for f in findings if "impact" in f.details]
    counts = {impact: sum(f.details["impact"] == impact for f in changes) for impact in IMPACTS}
    summary = ", ".join(f"{n} {impact}" for impact, n in counts.items())
    lines = ["# API changes", "", f"`{old}` → `{new}`: {summary} changes.", ""]
    if not changes:
        lines += ["No changes.", ""]
    for impact in IMPACTS:
        group = [f for f in changes if f.details["impact"] == impact]
        if group:
            lines += [f"## {HEADINGS[impact]}", ""]
            for finding in group:
                lines += _entry(finding)
            lines.append("")
    return "\n".join(lines)
