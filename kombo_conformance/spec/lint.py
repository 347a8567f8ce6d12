"""The lint engine: run every rule over a loaded contract, apply errata and suppressions.

- A finding that a declared erratum (``contracts/errata.yaml``) covers is still reported,
  as a ``warning`` naming the erratum, so spec authors keep seeing it.
- A finding that a reviewed suppression (``contracts/lint.yaml``) covers is kept in the
  report as an ``observation`` marked suppressed, and counted; it never fails the run.
- Exit code: 1 for any remaining error (with ``strict``, any warning not covered by an
  erratum too), else 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from kombo_conformance.contract import Contract
from kombo_conformance.findings import SEVERITIES, Case, Finding
from kombo_conformance.spec.capability import Capability
from kombo_conformance.spec.context import Issue, LintContext, Rule
from kombo_conformance.spec.rules import ERRATUM_RULE, RULES, SUPERSEDES
from kombo_conformance.spec.suppressions import Suppressions, apply_suppressions


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)  # suppressed ones included, marked
    cases: list[Case] = field(default_factory=list)
    suppressed: int = 0

    def exit_code(self, strict: bool = False) -> int:
        failing = {"error", "warning"} if strict else {"error"}
        return int(any(f.severity in failing and "erratum" not in f.details for f in self.findings))


def _finding(ctx: LintContext, rule: str, issue: Issue) -> Finding:
    source = issue.source or ctx.contract.source_of(issue.pointer or "/")
    return Finding(
        check=rule,
        message=issue.message,
        severity=issue.severity,
        operation=issue.operation,
        pointer=issue.pointer,
        source=str(source) if source else None,
        details=dict(issue.details),
    )


def _with_erratum(ctx: LintContext, finding: Finding) -> Finding:
    """Relabel a finding a declared erratum covers: a warning that names the erratum."""
    rule = ERRATUM_RULE.get(finding.check)
    if rule is None:
        return finding
    errata = ctx.contract.errata
    erratum = errata.at(finding.pointer or "", rule)
    if erratum is None and rule == "nullable-enum-omits-null":
        erratum = next(iter(errata.of_rule(rule)), None)  # declared once, for every place
    if erratum is None:
        return finding
    return replace(
        finding,
        severity="warning",
        message=f"erratum {erratum.id}: {finding.message}",
        details=finding.details | {"erratum": erratum.id},
    )


def _drop_superseded(findings: list[Finding]) -> list[Finding]:
    specific = {(f.check, f.pointer) for f in findings}
    return [
        f
        for f in findings
        if not any((s, f.pointer) in specific for s, g in SUPERSEDES.items() if g == f.check)
    ]


def lint(
    contract: Contract,
    *,
    capability: Capability | None = None,
    suppressions: Suppressions | None = None,
    rules: Iterable[Rule] = RULES,
) -> LintResult:
    """Run rules over contract; findings sorted by severity, then pointer."""
    suppressions = suppressions or Suppressions()
    ctx = LintContext(contract, capability)
    raw: list[Finding] = []
    cases: list[Case] = []
    for rule in rules:
        cases.append(Case(connector="", operation="", check=rule.__name__))
        raw += (_with_erratum(ctx, _finding(ctx, rule.__name__, i)) for i in rule(ctx))
    findings, about = apply_suppressions(_drop_superseded(raw), suppressions)
    findings.sort(key=lambda f: (SEVERITIES.index(f.severity), f.check, f.pointer or ""))
    findings += about
    suppressed = sum(1 for f in findings if "suppressed" in f.details)
    return LintResult(findings, cases, suppressed)
