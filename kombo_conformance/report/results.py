"""Grouping shared by every writer: findings by (connector, operation, check) case.

Every case keeps the verdict its check recorded (``Case.verdict``); a case with at least
one failing (``error``) finding is ``failed`` whatever it recorded. Findings whose case was
not recorded still get a case of their own (``passed`` unless an error fails it). Cases
that were ``not run`` or ``inconclusive`` are never counted as passed, and a ``passed``
case that is ``bounded`` is counted apart, as "bounded", with the note saying what was not
judged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from kombo_conformance.findings import SEVERITIES, VERDICTS, Case, Finding, Outcome, Verdict
from kombo_conformance.report.groups import exit_code

CONTRACT_SUITE = "contract"
BOUNDED = "bounded"
# How verdicts are counted for people: "passed" means passed in full, "bounded" passed on
# what it could judge; every case is in exactly one of these.
TALLY: tuple[str, ...] = ("passed", BOUNDED, "failed", "not run", "inconclusive", "not applicable")
NOT_JUDGED: tuple[Verdict, ...] = ("not run", "inconclusive")
NO_REASON = "no reason given"

Table = tuple[tuple[str, ...], list[tuple[Any, ...]]]


def suite_name(connector: str) -> str:
    """How a connector is named in reports: findings about the contract itself use "contract"."""
    return connector or CONTRACT_SUITE


def case_key(item: Case | Finding) -> tuple[str, str, str]:
    return (item.connector, item.operation, item.check)


@dataclass(frozen=True)
class CaseResult:
    case: Case
    findings: tuple[Finding, ...] = ()

    @property
    def failures(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.fails)

    @property
    def notes(self) -> tuple[Finding, ...]:
        """Warnings, advisories and observations: reported, never failing."""
        return tuple(f for f in self.findings if not f.fails)

    @property
    def verdict(self) -> Verdict:
        """The recorded verdict, or ``failed`` when an error finding exists."""
        return "failed" if self.failures else self.case.verdict

    @property
    def failed(self) -> bool:
        return self.verdict == "failed"

    @property
    def bounded(self) -> bool:
        """Passed, but only on part of what the check would judge (see ``note``)."""
        return self.verdict == "passed" and self.case.bounded

    @property
    def note(self) -> str:
        return self.case.note

    @property
    def tally(self) -> str:
        """Which :data:`TALLY` column counts this case."""
        return BOUNDED if self.bounded else self.verdict


@dataclass(frozen=True)
class ConnectorSummary:
    """One row of the connector table that every format shows."""

    connector: str
    operations: int
    cases: int
    tally: dict[str, int]
    findings: int

    @property
    def row(self) -> tuple[Any, ...]:
        return (self.connector, self.operations, self.cases, *self.tally.values(), self.findings)


@dataclass(frozen=True)
class OperationSummary:
    operation: str
    tally: dict[str, int]
    findings: int
    failing_checks: tuple[str, ...]


def merge_cases(cases: Sequence[Case]) -> Case:
    """One case from several records of the same key: the gravest verdict (failed >
    inconclusive > not run > passed > not applicable), bounded if a record with that verdict
    was, and the distinct notes of those records joined with "; "."""
    gravest = min((c.verdict for c in cases), key=VERDICTS.index)
    same = [c for c in cases if c.verdict == gravest]
    note = "; ".join(dict.fromkeys(c.note for c in same if c.note))
    return replace(same[0], note=note, bounded=any(c.bounded for c in same))


def case_results(outcome: Outcome) -> list[CaseResult]:
    """One result per distinct case (recorded or implied by a finding), sorted."""
    recorded: dict[tuple[str, str, str], list[Case]] = {}
    for case in outcome.cases:
        recorded.setdefault(case_key(case), []).append(case)
    found: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in outcome.findings:
        found.setdefault(case_key(finding), []).append(finding)
    return [
        CaseResult(
            merge_cases(recorded[key]) if key in recorded else Case(*key),
            tuple(ordered_findings(found.get(key, ()))),
        )
        for key in sorted(recorded.keys() | found.keys())
    ]


def tally(results: Iterable[CaseResult]) -> dict[str, int]:
    """Cases per :data:`TALLY` column (passed in full, bounded, failed, ...), zeros kept."""
    counts = Counter(r.tally for r in results)
    return {label: counts.get(label, 0) for label in TALLY}


def verdict_counts(results: Iterable[CaseResult]) -> dict[str, int]:
    """Cases per verdict (bounded passes are ``passed`` here), in :data:`VERDICTS` order."""
    counts = Counter(r.verdict for r in results)
    return {v: counts.get(v, 0) for v in VERDICTS}


def by_connector(results: Iterable[CaseResult]) -> dict[str, list[CaseResult]]:
    """Results grouped by connector slug, in sorted order ("" first)."""
    grouped: dict[str, list[CaseResult]] = {}
    for result in results:
        grouped.setdefault(result.case.connector, []).append(result)
    return dict(sorted(grouped.items()))


def connector_summaries(results: Iterable[CaseResult]) -> list[ConnectorSummary]:
    return [
        ConnectorSummary(
            connector=suite_name(connector),
            operations=len({r.case.operation for r in group}),
            cases=len(group),
            tally=tally(group),
            findings=sum(len(r.findings) for r in group),
        )
        for connector, group in by_connector(results).items()
    ]


CONNECTOR_COLUMNS = ("connector", "operations", "cases", *TALLY, "findings")


def connector_table(results: Iterable[CaseResult]) -> Table:
    """Headers and rows of the connector table (connector | operations | cases | verdict
    counts | findings)."""
    return CONNECTOR_COLUMNS, [s.row for s in connector_summaries(results)]


def operation_summaries(results: Iterable[CaseResult]) -> list[OperationSummary]:
    """Per operation of one connector's results: verdict counts, findings, failing checks."""
    grouped: dict[str, list[CaseResult]] = {}
    for result in results:
        grouped.setdefault(result.case.operation, []).append(result)
    return [
        OperationSummary(
            operation=operation,
            tally=tally(group),
            findings=sum(len(r.findings) for r in group),
            failing_checks=tuple(r.case.check for r in group if r.failed),
        )
        for operation, group in sorted(grouped.items())
    ]


def reason_groups(
    results: Iterable[CaseResult],
) -> list[tuple[Verdict, str, list[CaseResult]]]:
    """The cases that were not judged, as (verdict, reason, cases): ``not run`` before
    ``inconclusive``, then the largest group first."""
    grouped: dict[tuple[Verdict, str], list[CaseResult]] = {}
    for result in results:
        if result.verdict in NOT_JUDGED:
            grouped.setdefault((result.verdict, result.note or NO_REASON), []).append(result)
    ordered = sorted(
        grouped.items(), key=lambda item: (NOT_JUDGED.index(item[0][0]), -len(item[1]), item[0])
    )
    return [(kind, reason, group) for (kind, reason), group in ordered]


def not_judged_table(results: Iterable[CaseResult]) -> Table:
    """verdict | reason | connector | operation | check, one row per not-run or
    inconclusive case, grouped by reason."""
    rows = [
        (kind, reason, suite_name(r.case.connector), r.case.operation, r.case.check)
        for kind, reason, group in reason_groups(results)
        for r in group
    ]
    return ("verdict", "reason", "connector", "operation", "check"), rows


def bounded_table(results: Iterable[CaseResult]) -> Table:
    """connector | operation | check | note, one row per bounded pass."""
    rows = [
        (suite_name(r.case.connector), r.case.operation, r.case.check, r.note)
        for r in results
        if r.bounded
    ]
    return ("connector", "operation", "check", "note"), rows


# (column, the change keys it shows, first present wins): the engine writes Change
# dataclasses (record_id, integration_id); hand-made outcomes may say id, connector.
CHANGE_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("connector", ("connector",)),
    ("integration", ("integration_id", "integration")),
    ("operation", ("operation",)),
    ("path", ("path",)),
    ("id", ("id", "record_id")),
    ("status", ("status",)),
)


def record_changes(outcome: Outcome) -> list[Mapping[str, Any]] | None:
    """The records the run created or changed on the target (``meta["changes"]``), or None
    when the command does not track them (``diff`` uses that key for its own counts)."""
    changes = outcome.meta.get("changes")
    if not isinstance(changes, list):
        return None
    return [c for c in changes if isinstance(c, Mapping)]


def _change_cell(change: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    return next((change[k] for k in keys if change.get(k) is not None), "")


def changes_table(changes: Sequence[Mapping[str, Any]]) -> Table:
    """The :data:`CHANGE_COLUMNS` that some change has, one row per change."""
    columns = [
        (label, keys)
        for label, keys in CHANGE_COLUMNS
        if any(change.get(k) is not None for change in changes for k in keys)
    ]
    rows = [tuple(_change_cell(change, keys) for _, keys in columns) for change in changes]
    return tuple(label for label, _ in columns), rows


@dataclass(frozen=True)
class Section:
    """A titled table every human-readable format shows; ``empty`` is said when it has no
    rows (an empty section without it is left out)."""

    title: str
    table: Table
    empty: str = ""


def case_sections(outcome: Outcome, results: Sequence[CaseResult]) -> list[Section]:
    """What was not judged, what was judged only in part, and the records the run created
    or changed (when the command tracks them)."""
    sections = [
        Section("Not run or inconclusive", not_judged_table(results)),
        Section("Bounded passes", bounded_table(results)),
    ]
    changes = record_changes(outcome)
    if changes is not None:
        sections.append(
            Section(
                "Records this run created or changed",
                changes_table(changes),
                "None: the run created or changed no record on the target.",
            )
        )
    return [s for s in sections if s.table[1] or s.empty]


_POLITENESS = {
    "rate_limit": "rate limit {}/s",
    "requests": "{} requests",
    "retries": "{} retries",
    "rate_limited": "{} rate-limited answers",
    "responses_429": "{} answers 429",
    "waited_s": "waited {} s",
    "retry_wait_s": "{} s of it before retries",
    "throttle_wait_s": "{} s of it for the rate limit",
}
_WAIT_PARTS = ("retry_wait_s", "throttle_wait_s")  # parts of waited_s: shown when not 0


def _politeness(key: str, value: Any) -> str:
    if value is None:
        return f"{key.replace('_', ' ')}: none"
    text = f"{round(value, 1):g}" if isinstance(value, float) else str(value)
    return _POLITENESS.get(key, key.replace("_", " ") + " {}").format(text)


def run_facts(outcome: Outcome) -> list[tuple[str, str]]:
    """(label, text) pairs for a report's header: target, environment, whether writes were
    allowed, and how politely the target was treated; only those the outcome has."""
    meta = outcome.meta
    facts = [(key, str(meta[key])) for key in ("target", "environment") if meta.get(key)]
    if isinstance(meta.get("writes_allowed"), bool):
        facts.append(("writes allowed", "yes" if meta["writes_allowed"] else "no"))
    politeness = meta.get("politeness")
    if isinstance(politeness, Mapping) and politeness:
        said = [_politeness(k, v) for k, v in politeness.items() if k not in _WAIT_PARTS or v]
        facts.append(("politeness", ", ".join(said)))
    return facts


def ordered_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by connector, operation and check (stable otherwise)."""
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (rank.get(f.severity, len(rank)), *case_key(f)))


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts = Counter(f.severity for f in findings)
    return {severity: counts.get(severity, 0) for severity in SEVERITIES}


def run_verdict(outcome: Outcome, results: Sequence[CaseResult] | None = None) -> str:
    """``FAILED`` on an error finding; ``NOT JUDGED`` when no case passed and some were not
    run or inconclusive; otherwise ``PASSED``."""
    if outcome.failed:
        return "FAILED"
    results = case_results(outcome) if results is None else results
    verdicts = {r.verdict for r in results}
    if "passed" not in verdicts and verdicts & set(NOT_JUDGED):
        return "NOT JUDGED"
    return "PASSED"


def headline(outcome: Outcome, results: Sequence[CaseResult] | None = None) -> str:
    """``FAILED: 2 errors, 1 warning in 10 cases (6 passed, 1 bounded, 2 failed, 1 not
    run), exit code 1``."""
    results = case_results(outcome) if results is None else results
    counts = severity_counts(outcome.findings)
    found = ", ".join(plural(n, s) for s, n in counts.items() if n) or "no findings"
    verdicts = ", ".join(f"{n} {label}" for label, n in tally(results).items() if n)
    cases = plural(len(results), "case") + (f" ({verdicts})" if verdicts else "")
    return f"{run_verdict(outcome, results)}: {found} in {cases}, exit code {exit_code(outcome)}"


def plural(n: int, word: str) -> str:
    """``1 case``, ``2 cases``, ``3 entries``."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"
