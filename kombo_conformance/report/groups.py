"""Findings grouped for people: one group per (check, rule, connector, operation).

:func:`grouped` is the one entry point every renderer calls; it needs nothing but the
Outcome. Two optional keys of ``outcome.meta`` steer it:

- ``meta["show_observations"]`` (bool, set by ``--show-observations``): whether renderers
  list observation groups one by one; without it they fold them into one section.
- ``meta["compare"]`` (set by ``--compare``, see :mod:`.compare`): the previous report,
  as ``{"with": "<path>", "groups": [<group summary>, ...]}`` where a group summary is
  :func:`group_summary` of a previous group (id, check, rule, connector, operation,
  severity, count, rule_source, curl). With it every group is marked ``new`` or
  ``still failing``, and every previous group missing now is ``fixed`` when this run
  judged its case again: the current outcome has a ``passed`` or ``failed`` case for its
  (connector, operation, check), or for (connector, operation, "") which stands for every
  check (certify records its cells that way), or the outcome records no case at all
  (lint, diff). Previous groups whose case was not judged again are counted in
  ``Grouped.not_rechecked``, never called fixed. ``"fail_on": "new"`` in it (``--fail-on
  new``) makes :func:`exit_code` 1 only when a group marked new has an error finding.

Both keys are JSON-ready, so they survive redaction; ``report.json`` shows the comparison
in its own ``comparison`` object instead of in ``meta`` (see docs/report-format.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from kombo_conformance.findings import SEVERITIES, Finding, Outcome, Severity
from kombo_conformance.repro import curl_for

Change = Literal["new", "still failing", "fixed"]
CHANGES: tuple[Change, ...] = ("new", "still failing", "fixed")
COMPARE_KEY = "compare"
SHOW_OBSERVATIONS_KEY = "show_observations"
MAX_EXAMPLES = 3
JUDGED = frozenset({"passed", "failed"})
ANY_CHECK = ""  # a case with this check covers every check of its (connector, operation)

GroupKey = tuple[str, str, str, str]  # (check, rule, connector, operation)


@dataclass(frozen=True)
class Group:
    id: str  # first 10 hex of sha1 of "check|rule|connector|operation"
    check: str
    rule: str  # "" when the findings have none
    connector: str
    operation: str
    severity: Severity  # the worst severity of its findings
    count: int  # findings in the group
    examples: tuple[Finding, ...]  # the first, then up to 2 varied ones
    rule_source: str  # where the rule comes from in the contract, "" if unknown
    curl: str | None  # ready reproduction, the API key as $KOMBO_API_KEY
    change: Change | None = None  # set only when compared with a previous report

    @property
    def key(self) -> GroupKey:
        return (self.check, self.rule, self.connector, self.operation)

    @property
    def fails(self) -> bool:
        return self.severity == "error"

    @property
    def message(self) -> str:
        """The first example's message, or "" (a fixed group has no example)."""
        return self.examples[0].message if self.examples else ""


@dataclass(frozen=True)
class Grouped:
    groups: tuple[Group, ...]  # non-observation groups, worst first (severity, count desc)
    observations: tuple[Group, ...]  # observation groups (folded unless show_observations)
    fixed: tuple[Group, ...]  # groups only in the previous report (change == "fixed")
    show_observations: bool
    compared_with: str | None  # path of the previous report, or None
    not_rechecked: int = 0  # previous groups whose case this run did not judge again

    @property
    def all(self) -> tuple[Group, ...]:
        """Every current group: the others, then the observations."""
        return self.groups + self.observations

    def listed(self) -> tuple[tuple[Group, ...], tuple[Group, ...]]:
        """The groups the text formats list one by one (observations too when shown), as
        (those marked new, the others)."""
        shown = self.all if self.show_observations else self.groups
        return (
            tuple(g for g in shown if g.change == "new"),
            tuple(g for g in shown if g.change != "new"),
        )

    def changed(self, change: Change) -> tuple[Group, ...]:
        """Current (or, for ``fixed``, previous) non-observation groups with ``change``."""
        pool = self.fixed if change == "fixed" else self.groups
        return tuple(g for g in pool if g.change == change and g.severity != "observation")

    def change_counts(self) -> dict[Change, int]:
        """Non-observation groups per change: the "what changed" line of every format."""
        return {change: len(self.changed(change)) for change in CHANGES}

    def observation_counts(self) -> dict[str, tuple[int, int]]:
        """Observation groups and findings per check: ``{check: (groups, findings)}``."""
        counts: dict[str, tuple[int, int]] = {}
        for group in self.observations:
            groups, findings = counts.get(group.check, (0, 0))
            counts[group.check] = (groups + 1, findings + group.count)
        return dict(sorted(counts.items()))


def group_id(check: str, rule: str, connector: str, operation: str) -> str:
    return hashlib.sha1(f"{check}|{rule}|{connector}|{operation}".encode()).hexdigest()[:10]


def group_key(finding: Finding) -> GroupKey:
    return (finding.check, finding.rule or "", finding.connector, finding.operation)


def _severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _variant(finding: Finding) -> tuple[str, str]:
    request = finding.request
    return (finding.message, f"{request.method} {request.url}" if request else "")


def examples_of(findings: Sequence[Finding], limit: int = MAX_EXAMPLES) -> tuple[Finding, ...]:
    """The first finding, then the next ones that differ in message or request."""
    chosen: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        chosen.setdefault(_variant(finding), finding)
        if len(chosen) == limit:
            break
    return tuple(chosen.values())


def _curl(findings: Iterable[Finding]) -> str | None:
    for finding in findings:
        if finding.reproduction:
            return finding.reproduction
        if finding.request is not None:
            return curl_for(finding.request)
    return None


def _rule_source(rule: str, findings: Sequence[Finding]) -> str:
    """The rule as its findings name it, else where the first one points (source#pointer)."""
    if rule:
        return rule
    first = findings[0]
    if first.source and first.pointer:
        return f"{first.source}#{first.pointer}"
    return first.source or first.pointer or ""


def _group(key: GroupKey, findings: Sequence[Finding]) -> Group:
    check, rule, connector, operation = key
    return Group(
        id=group_id(*key),
        check=check,
        rule=rule,
        connector=connector,
        operation=operation,
        severity=min((f.severity for f in findings), key=_severity_rank),
        count=len(findings),
        examples=examples_of(findings),
        rule_source=_rule_source(rule, findings),
        curl=_curl(findings),
    )


def _order(group: Group) -> tuple[Any, ...]:
    return (_severity_rank(group.severity), -group.count, group.connector, group.operation,
            group.check, group.rule)  # fmt: skip


def group_findings(findings: Iterable[Finding]) -> list[Group]:
    """One group per (check, rule, connector, operation), worst first, then the largest."""
    by_key: dict[GroupKey, list[Finding]] = {}
    for finding in findings:
        by_key.setdefault(group_key(finding), []).append(finding)
    return sorted((_group(k, v) for k, v in by_key.items()), key=_order)


def group_summary(group: Group) -> dict[str, Any]:
    """A group as JSON, without its examples (``report.json`` and ``meta["compare"]``)."""
    summary = {
        "id": group.id,
        "check": group.check,
        "rule": group.rule,
        "connector": group.connector,
        "operation": group.operation,
        "severity": group.severity,
        "count": group.count,
        "rule_source": group.rule_source,
        "curl": group.curl,
    }
    return summary | ({"change": group.change} if group.change else {})


def _from_summary(data: Mapping[str, Any]) -> Group:
    key = tuple(str(data.get(k) or "") for k in ("check", "rule", "connector", "operation"))
    return Group(
        id=group_id(*key),
        check=key[0],
        rule=key[1],
        connector=key[2],
        operation=key[3],
        severity=data.get("severity") or "error",
        count=int(data.get("count") or 0),
        examples=(),
        rule_source=str(data.get("rule_source") or ""),
        curl=data.get("curl"),
        change="fixed",
    )


def _rechecked(outcome: Outcome) -> Callable[[Group], bool]:
    """Whether this outcome judged a previous group's case again (module docstring); a
    case with a finding was judged whatever it recorded."""
    if not outcome.cases:
        return lambda group: True
    judged = {(c.connector, c.operation, c.check) for c in outcome.cases if c.verdict in JUDGED}
    judged |= {(f.connector, f.operation, f.check) for f in outcome.findings}
    return lambda group: bool(
        {(group.connector, group.operation, c) for c in (group.check, ANY_CHECK)} & judged
    )


def _compare(
    current: list[Group], compare: Mapping[str, Any], outcome: Outcome
) -> tuple[list[Group], list[Group], int]:
    previous = {g.id: g for g in map(_from_summary, compare.get("groups") or ())}
    marked = [replace(g, change="still failing" if g.id in previous else "new") for g in current]
    now = {g.id for g in current}
    gone = [g for gid, g in previous.items() if gid not in now]
    rechecked = _rechecked(outcome)
    fixed = sorted((g for g in gone if rechecked(g)), key=_order)
    return marked, fixed, len(gone) - len(fixed)


def _split(groups: Sequence[Group]) -> tuple[tuple[Group, ...], tuple[Group, ...]]:
    """(the other groups, the observation groups), each in the order given."""
    return (
        tuple(g for g in groups if g.severity != "observation"),
        tuple(g for g in groups if g.severity == "observation"),
    )


def grouped(outcome: Outcome) -> Grouped:
    """The outcome's findings in groups, marked against ``meta["compare"]`` when set."""
    groups = group_findings(outcome.findings)
    compare = outcome.meta.get(COMPARE_KEY)
    fixed: list[Group] = []
    not_rechecked = 0
    if isinstance(compare, Mapping):
        groups, fixed, not_rechecked = _compare(groups, compare, outcome)
    return Grouped(
        *_split(groups),
        fixed=tuple(fixed),
        show_observations=bool(outcome.meta.get(SHOW_OBSERVATIONS_KEY)),
        compared_with=str(compare.get("with") or "") if isinstance(compare, Mapping) else None,
        not_rechecked=not_rechecked,
    )


def from_comparison(findings: Iterable[Finding], comparison: Mapping[str, Any]) -> Grouped:
    """The groups of ``findings`` marked as a written comparison says, for a report rendered
    without the previous groups (certify's ``meta["comparison"]``: :func:`comparison_dict`
    plus ``new``, the summaries of the groups marked new): a group listed in ``new`` is new,
    any other still failing; the fixed ones are the comparison's."""
    new = {str(g.get("id")) for g in comparison.get("new") or () if isinstance(g, Mapping)}
    groups = [
        replace(g, change="new" if g.id in new else "still failing")
        for g in group_findings(findings)
    ]
    return Grouped(
        *_split(groups),
        fixed=tuple(map(_from_summary, comparison.get("fixed") or ())),
        show_observations=False,
        compared_with=str(comparison.get("with") or ""),
        not_rechecked=int(comparison.get("not_rechecked") or 0),
    )


def comparison_dict(groups: Grouped, fail_on: str) -> dict[str, Any]:
    """What changed, as report.json's ``comparison`` (and certification.json's
    ``meta.comparison``) write it."""
    return {
        "with": groups.compared_with,
        "fail_on": fail_on,
        "counts": groups.change_counts(),
        "not_rechecked": groups.not_rechecked,
        "fixed": [group_summary(g) for g in groups.fixed],
    }


def exit_code(outcome: Outcome) -> int:
    """The command's exit code: 1 on any error finding, or, with ``"fail_on": "new"`` in
    ``meta["compare"]``, 1 only when a group marked new has an error finding."""
    compare = outcome.meta.get(COMPARE_KEY)
    if isinstance(compare, Mapping) and compare.get("fail_on") == "new":
        return int(any(g.fails and g.change == "new" for g in grouped(outcome).groups))
    return outcome.exit_code
