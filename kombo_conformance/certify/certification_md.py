"""``certification.md``: the verdicts for a PR comment or ``$GITHUB_STEP_SUMMARY``.

The headline; what changed since ``--compare`` (counts, then the new and fixed groups, as
``summary.md`` shows them); one row per connector (verdict, cell counts, reason), the
findings that fail the gate (first :data:`MAX_FINDINGS`, each with its curl), stale and
expired baseline entries, claimed vs verified for connectors certified against their
declaration (and the contradicted claims), and the field coverage of connectors whose
profile declares models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from kombo_conformance.certify.baseline import Entry
from kombo_conformance.certify.matrix import STATUSES
from kombo_conformance.certify.result import Certification
from kombo_conformance.checks.declared import FieldClaim, ItemClaim
from kombo_conformance.report.groups import from_comparison
from kombo_conformance.report.markdown import (
    change_lines,
    code,
    code_block,
    group_block,
    inline,
    more_line,
    table,
)
from kombo_conformance.report.text import finding_title

FILENAME = "certification.md"
HTML_LINK = "[certification.html](certification.html)"
MAX_FINDINGS = 20
VERDICT_MARK = {
    "certified": "✅",
    "partly judged": "⚪",
    "baselined": "🟡",
    "not certified": "❌",
}


def _what_changed(certification: Certification) -> str:
    """With ``--compare``: the counts, then the new and the fixed groups (the first
    :data:`MAX_FINDINGS`); "" without."""
    comparison = certification.meta.get("comparison")
    if not isinstance(comparison, Mapping):
        return ""
    view = from_comparison(certification.findings, comparison)
    changed = [*view.changed("new"), *view.changed("fixed")]
    blocks = [line for g in changed[:MAX_FINDINGS] for line in group_block(g)]
    more = more_line(len(changed) - MAX_FINDINGS, "changed group", HTML_LINK)
    return "\n".join([*change_lines(view), *blocks, *more]).strip()


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


def _confirmed(claims: Sequence[ItemClaim] | Sequence[FieldClaim]) -> str:
    """``confirmed/judged``: claims the evidence bore out, of those it could judge."""
    judged = [c for c in claims if c.verdict in ("confirmed", "contradicted", "unconfirmed")]
    return f"{sum(c.verdict == 'confirmed' for c in judged)}/{len(judged)}"


def _declared(certification: Certification) -> str:
    """Claimed vs verified: per connector its declaration's models and actions (claimed,
    observed, verdict counts), then every contradicted claim, models, actions and fields."""
    rows, wrong = [], []
    for connector in certification.connectors:
        declared = connector.declared
        if declared is None:
            continue
        warnings = sum(f.severity == "warning" for f in declared.findings)
        if declared.source is None:
            rows.append((connector.slug, f"none: {declared.note}", "-", "-", "-", warnings))
            continue
        fields = [f for i in declared.items for f in i.fields]
        rows.append(
            (
                connector.slug,
                declared.source,
                _confirmed(declared.items),
                _confirmed(fields),
                declared.contradicted,
                warnings,
            )
        )
        for item in declared.items:
            if item.verdict == "contradicted":
                wrong.append((connector.slug, item.id, "-", item.claim, item.observed))
            wrong += [
                (connector.slug, item.id, f.field, f.claim, f.why)
                for f in item.fields
                if f.verdict == "contradicted"
            ]
    if not rows:
        return ""
    headers = ("connector", "declaration", "models and actions confirmed/judged",
               "fields confirmed/judged", "claims contradicted",
               "warnings (profile drift, small samples)")  # fmt: skip
    parts = ["## Declared vs verified", table(headers, rows)]
    if wrong:
        shown = wrong[:MAX_FINDINGS]
        parts += [
            f"### Contradicted claims ({len(wrong)})",
            table(("connector", "model or action", "field", "claimed", "verified"), shown),
        ]
    return "\n\n".join(parts)


def render(certification: Certification) -> str:
    environment = certification.meta.get("environment")
    sections = [
        "# Connector certification",
        f"**{inline(certification.headline())}**",
        f"Environment behind the key: {code(environment)}" if environment else "",
        _what_changed(certification),
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
        _declared(certification),
        _coverage(certification),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"
