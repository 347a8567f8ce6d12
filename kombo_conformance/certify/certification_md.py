"""``certification.md``: the verdicts for a PR comment or ``$GITHUB_STEP_SUMMARY``.

The headline, one row per connector (verdict, cell counts, reason), the findings that fail
the gate (first :data:`MAX_FINDINGS`, each with its curl), stale and expired baseline
entries, and the field coverage of connectors whose profile declares models.
"""

from __future__ import annotations

from kombo_conformance.certify.baseline import Entry
from kombo_conformance.certify.matrix import STATUSES
from kombo_conformance.certify.result import Certification
from kombo_conformance.report.markdown import code, code_block, inline, table
from kombo_conformance.report.text import finding_title

FILENAME = "certification.md"
MAX_FINDINGS = 20
VERDICT_MARK = {
    "certified": "✅",
    "partly judged": "⚪",
    "baselined": "🟡",
    "not certified": "❌",
}


def _connectors(certification: Certification) -> str:
    rows = [
        (
            f"{VERDICT_MARK[c.verdict]} {c.verdict}",
            c.slug,
            *(c.count(s) for s in STATUSES),
            c.reason,
        )
        for c in certification.connectors
    ]
    return table(("verdict", "connector", *STATUSES, "reason"), rows)


def _new_findings(certification: Certification) -> str:
    findings = certification.new_findings
    if not findings:
        return ""
    parts = [f"## Findings failing the gate ({len(findings)})"]
    for number, item in enumerate(findings[:MAX_FINDINGS], start=1):
        parts.append(f"{number}. **{inline(finding_title(item))}**: {inline(item.message)}  ")
        parts.append(f"   fingerprint {code(item.fingerprint)}")
        if item.reproduction:
            parts.append("\n" + code_block(item.reproduction, "bash") + "\n")
    if len(findings) > MAX_FINDINGS:
        parts.append(f"\n…and {len(findings) - MAX_FINDINGS} more in certification.html.")
    return "\n".join(parts)


def _entries(title: str, entries: list[Entry], hint: str) -> str:
    if not entries:
        return ""
    rows = [(code(e.fingerprint), e.who, e.why, e.when, e.expires or "") for e in entries]
    return f"## {title} ({len(entries)})\n\n{hint}\n\n" + table(
        ("fingerprint", "who", "why", "when", "expires"), rows
    )


def _coverage(certification: Certification) -> str:
    rows = []
    for connector in certification.connectors:
        for model in connector.coverage:
            filled = sum(count > 0 for count in model.declared.values())
            rows.append(
                (
                    connector.slug,
                    model.model,
                    model.records,
                    f"{filled}/{len(model.declared)}",
                    ", ".join(model.never_populated) or "-",
                    ", ".join(model.undeclared) or "-",
                )
            )
    if not rows:
        return ""
    headers = ("connector", "model", "records", "declared fields seen", "never populated",
               "populated, undeclared")  # fmt: skip
    return "## Field coverage\n\n" + table(headers, rows)


def render(certification: Certification) -> str:
    sections = [
        "# Connector certification",
        f"**{inline(certification.headline())}**",
        _connectors(certification),
        _new_findings(certification),
        _entries(
            "Stale baseline entries",
            certification.stale,
            "These accepted findings no longer occur: prune them (`--update-baseline`).",
        ),
        _entries(
            "Expired baseline entries",
            certification.expired,
            "Past `expires`: they no longer accept their finding.",
        ),
        _coverage(certification),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"
