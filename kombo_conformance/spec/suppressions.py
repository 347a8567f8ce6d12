"""Reviewed suppressions of ``lint`` and ``diff`` findings (``contracts/lint.yaml``).

Each entry names a ``rule``, a ``pointer`` (``fnmatch`` glob), the ``reason`` and who
reviewed it when (``reviewer``, ``date``); optionally ``operation`` (a glob that one of the
finding's operations must match) and ``expires`` (the last day it applies). One file serves
both commands: each uses the entries naming its own rules and skips the other's.

A suppressed finding is still reported, marked as suppressed; a suppression that matches
nothing, or has expired (it then suppresses nothing), is itself reported, so none goes stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from kombo_conformance.contract.source import read_document
from kombo_conformance.errors import ContractError
from kombo_conformance.findings import Finding

SUPPRESSIONS_FILE = "lint.yaml"
FIELDS = ("rule", "pointer", "reason", "reviewer", "date")
OPTIONAL = ("operation", "expires")


@dataclass(frozen=True)
class Suppression:
    rule: str
    pointer: str
    reason: str
    reviewer: str
    date: str
    index: int = 0
    operation: str | None = None
    expires: dt.date | None = None

    def matches(self, finding: Finding) -> bool:
        if finding.check != self.rule or not fnmatchcase(finding.pointer or "", self.pointer):
            return False
        if self.operation is None:
            return True
        operations = finding.details.get("operations") or [finding.operation]
        return any(fnmatchcase(op or "", self.operation) for op in operations)

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires


@dataclass(frozen=True)
class Suppressions:
    entries: tuple[Suppression, ...] = ()
    source: Path | None = None

    def match(self, finding: Finding) -> Suppression | None:
        return next((s for s in self.entries if s.matches(finding)), None)


def _all_rules() -> frozenset[str]:
    """Every rule a suppression may name, lint's and diff's."""
    from kombo_conformance.spec.diff.catalogue import RULES as DIFF_RULES
    from kombo_conformance.spec.rules import RULE_NAMES

    return frozenset(RULE_NAMES) | frozenset(DIFF_RULES)


def _expiry(path: Path, where: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        reason = f"expected a date YYYY-MM-DD, got {value!r}"
        raise ContractError(path, f"{where}/expires", reason) from None


def load_suppressions(path: Path | None, known_rules: Iterable[str]) -> Suppressions:
    """Read a suppressions file, keeping the entries for ``known_rules`` (the command's);
    None means no suppressions. A rule neither command knows is an error."""
    if path is None:
        return Suppressions()
    known = frozenset(known_rules)
    doc = read_document(path)
    entries = doc.get("suppressions") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        raise ContractError(path, "/suppressions", "expected a mapping with a `suppressions` list")
    found = []
    for i, raw in enumerate(entries):
        where = f"/suppressions/{i}"
        missing = [k for k in FIELDS if not isinstance(raw, dict) or not raw.get(k)]
        if missing:
            raise ContractError(path, where, f"a suppression needs {', '.join(missing)}")
        if raw["rule"] not in known:
            if raw["rule"] in _all_rules():
                continue  # the other command's entry
            raise ContractError(
                path,
                f"{where}/rule",
                f"unknown rule {raw['rule']!r}; known: lint and diff rules "
                "(docs/spec-validation.md)",
            )
        fields = {k: str(raw[k]).strip() for k in FIELDS} | {
            "reason": " ".join(str(raw["reason"]).split())
        }
        operation = str(raw["operation"]).strip() if raw.get("operation") else None
        expires = _expiry(path, where, raw.get("expires"))
        found.append(Suppression(**fields, index=i, operation=operation, expires=expires))
    return Suppressions(tuple(found), path)


def _marked(finding: Finding, entry: Suppression, name: str) -> Finding:
    record = {"was": finding.severity, "entry": entry.index, "reviewer": entry.reviewer,
              "date": entry.date, "reason": entry.reason}  # fmt: skip
    if entry.expires:
        record["expires"] = entry.expires.isoformat()
    return replace(
        finding,
        severity="observation",
        message=f"suppressed by {name} #{entry.index}: {finding.message}",
        details=finding.details | {"suppressed": record},
    )


def _stale(suppressions: Suppressions, entry: Suppression, check: str, text: str) -> Finding:
    return Finding(
        check=check,
        message=f"suppression #{entry.index} ({entry.rule} {entry.pointer}) {text}",
        severity="warning",
        pointer=f"/suppressions/{entry.index}",
        source=str(suppressions.source),
    )


def apply_suppressions(
    findings: Iterable[Finding], suppressions: Suppressions, today: dt.date | None = None
) -> tuple[list[Finding], list[Finding]]:
    """(findings with the suppressed ones marked, findings about the suppressions themselves:
    ``expired_suppression`` and ``unused_suppression``)."""
    today = today or dt.date.today()
    name = suppressions.source.name if suppressions.source else "suppressions"
    live = Suppressions(tuple(s for s in suppressions.entries if not s.expired(today)))
    out, used = [], set()
    for finding in findings:
        entry = live.match(finding)
        if entry is not None:
            used.add(entry.index)
        out.append(finding if entry is None else _marked(finding, entry, name))
    about: list[Finding] = []
    if suppressions.source is None:
        return out, about
    for entry in suppressions.entries:
        if entry.expired(today):
            text = (
                f"expired on {entry.expires}: what it covered is reported again; "
                "review it again or remove it"
            )
            about.append(_stale(suppressions, entry, "expired_suppression", text))
        elif entry.index not in used:
            about.append(
                _stale(suppressions, entry, "unused_suppression", "matches no finding; remove it")
            )
    return out, about
