"""The certification baseline: findings a person has accepted, so the gate ignores them.

A YAML file::

    version: 1
    entries:
      - fingerprint: "homerun|GET /ats/jobs|response_schema|/data/results/0/name"
        check: response_schema           # informational: connector, operation, check, message
        message: "..."
        who: "jane@example.com"          # filled in by a person
        why: "Homerun has no job names; tracked in KOMBO-123"
        when: 2025-03-04
        expires: 2025-06-30              # optional: after this date the entry no longer counts

An entry is keyed by ``Finding.fingerprint`` (``connector|operation|check|pointer``). The
gate fails only on failing findings no active entry accepts; entries whose finding no longer
occurs are *stale*; entries past ``expires`` are *expired* (they accept nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from kombo_conformance.atomic import write_text_atomic
from kombo_conformance.errors import UsageError
from kombo_conformance.findings import Finding

VERSION = 1
WHO_PLACEHOLDER = "TODO: who accepted this finding"
WHY_PLACEHOLDER = "TODO: why it is acceptable (link a ticket)"
HEADER = (
    "# kombo-conformance certification baseline (docs/certification.md).\n"
    "# Each entry accepts one finding, by fingerprint = connector|operation|check|pointer.\n"
    "# Fill in who/why; `expires: YYYY-MM-DD` (optional) makes an entry stop counting.\n"
)


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    check: str = ""
    message: str = ""
    who: str = WHO_PLACEHOLDER
    why: str = WHY_PLACEHOLDER
    when: str = ""
    expires: dt.date | None = None

    @property
    def connector(self) -> str:
        return self.fingerprint.split("|")[0]

    @property
    def operation(self) -> str:
        parts = self.fingerprint.split("|")
        return parts[1] if len(parts) > 1 else ""

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "fingerprint": self.fingerprint,
            "check": self.check,
            "message": self.message,
            "who": self.who,
            "why": self.why,
            "when": self.when,
        }
        if self.expires is not None:
            data["expires"] = self.expires.isoformat()
        return data


@dataclass(frozen=True)
class Baseline:
    entries: dict[str, Entry]
    path: Path | None = None

    def accepts(self, fingerprint: str, today: dt.date) -> bool:
        entry = self.entries.get(fingerprint)
        return entry is not None and not entry.expired(today)

    def expired(self, today: dt.date) -> list[Entry]:
        return [e for e in self.entries.values() if e.expired(today)]

    def stale(self, occurring: set[str], in_scope: Iterable[tuple[str, str]]) -> list[Entry]:
        """Entries for a (connector, operation) this run certified whose finding did not
        occur. Entries outside the run (another shard, another --operation) are not stale."""
        scope = set(in_scope)
        return [
            e
            for e in self.entries.values()
            if (e.connector, e.operation) in scope and e.fingerprint not in occurring
        ]


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise UsageError(f"{where}: expires {value!r} is not a date (YYYY-MM-DD)") from None


def entry_from_dict(raw: Any, where: str) -> Entry:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("fingerprint"), str):
        raise UsageError(f"{where} must be a mapping with a string `fingerprint`")
    if raw["fingerprint"].count("|") != 3:
        raise UsageError(
            f"{where}: fingerprint {raw['fingerprint']!r} must be connector|operation|check|"
            "pointer (copy it from certification.json or use --update-baseline)"
        )
    when = raw.get("when")
    return Entry(
        fingerprint=raw["fingerprint"],
        check=str(raw.get("check") or ""),
        message=str(raw.get("message") or ""),
        who=str(raw.get("who") or ""),
        why=str(raw.get("why") or ""),
        when=when.isoformat() if isinstance(when, dt.date) else str(when or ""),
        expires=_date(raw.get("expires"), where),
    )


def load_baseline(path: str | Path, *, missing_ok: bool = False) -> Baseline:
    """Read and validate a baseline file; a missing file is empty only if ``missing_ok``."""
    path = Path(path)
    if not path.exists():
        if missing_ok:
            return Baseline({}, path)
        raise UsageError(
            f"baseline {path} does not exist; create it with --update-baseline "
            "(it records the current findings as accepted, for a person to review)"
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())
        raise UsageError(f"baseline {path} cannot be read: {reason}") from None
    if data is None:
        return Baseline({}, path)
    if not isinstance(data, Mapping) or not isinstance(data.get("entries", []), list):
        raise UsageError(f"baseline {path} must be a mapping with a list `entries`")
    entries: dict[str, Entry] = {}
    for i, raw in enumerate(data.get("entries") or []):
        entry = entry_from_dict(raw, f"baseline {path} entries[{i}]")
        entries[entry.fingerprint] = entry
    return Baseline(entries, path)


def updated(
    baseline: Baseline,
    findings: Iterable[Finding],
    in_scope: Iterable[tuple[str, str]],
    today: dt.date,
) -> Baseline:
    """The baseline accepting every failing finding given: existing entries keep their
    who/why/when/expires, new ones get placeholders, stale in-scope entries are pruned."""
    failing = [f for f in findings if f.fails]
    occurring = {f.fingerprint for f in failing}
    stale = {e.fingerprint for e in baseline.stale(occurring, in_scope)}
    entries = {k: e for k, e in baseline.entries.items() if k not in stale}
    for item in failing:
        if item.fingerprint not in entries:
            entries[item.fingerprint] = Entry(
                fingerprint=item.fingerprint,
                check=item.check,
                message=item.message.splitlines()[0][:200] if item.message else "",
                when=today.isoformat(),
            )
    return replace(baseline, entries=dict(sorted(entries.items())))


def render_baseline(baseline: Baseline) -> str:
    body = {"version": VERSION, "entries": [e.to_dict() for e in baseline.entries.values()]}
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


def save_baseline(baseline: Baseline, path: str | Path) -> Path:
    """Write the baseline atomically (a reader sees the old file or the new one)."""
    return write_text_atomic(path, render_baseline(baseline))
