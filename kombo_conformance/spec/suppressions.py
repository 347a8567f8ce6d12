"""Reviewed suppressions of lint findings (``contracts/lint.yaml``).

Each entry names a ``rule``, a ``pointer`` (``fnmatch`` glob), the ``reason`` and who
reviewed it when (``reviewer``, ``date``). A suppressed finding is still reported, marked
as suppressed; a suppression that matches nothing is itself reported, so none goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from kombo_conformance.contract.source import read_document
from kombo_conformance.errors import ContractError
from kombo_conformance.findings import Finding

SUPPRESSIONS_FILE = "lint.yaml"
FIELDS = ("rule", "pointer", "reason", "reviewer", "date")


@dataclass(frozen=True)
class Suppression:
    rule: str
    pointer: str
    reason: str
    reviewer: str
    date: str
    index: int = 0

    def matches(self, finding: Finding) -> bool:
        return finding.check == self.rule and fnmatchcase(finding.pointer or "", self.pointer)


@dataclass(frozen=True)
class Suppressions:
    entries: tuple[Suppression, ...] = ()
    source: Path | None = None

    def match(self, finding: Finding) -> Suppression | None:
        return next((s for s in self.entries if s.matches(finding)), None)


def load_suppressions(path: Path | None, known_rules: frozenset[str]) -> Suppressions:
    """Read a suppressions file; None or a missing default file means no suppressions."""
    if path is None:
        return Suppressions()
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
        if raw["rule"] not in known_rules:
            raise ContractError(
                path, f"{where}/rule", f"unknown rule {raw['rule']!r}; known: {sorted(known_rules)}"
            )
        fields = {k: str(raw[k]).strip() for k in FIELDS} | {
            "reason": " ".join(raw["reason"].split())
        }
        found.append(Suppression(**fields, index=i))
    return Suppressions(tuple(found), path)
