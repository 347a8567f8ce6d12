"""The one record every producer emits and every report writer consumes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "advisory", "observation"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "advisory", "observation")
FAILING: frozenset[str] = frozenset({"error"})


@dataclass(frozen=True)
class RequestRecord:
    """The request that produced a finding, secrets already masked."""

    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True)
class ResponseExcerpt:
    status: int
    excerpt: str = ""


@dataclass(frozen=True)
class Finding:
    """One observation about the API or the contract.

    ``connector`` is a profile slug ("" for findings about a contract itself), ``operation``
    is ``METHOD /path`` as in the contract ("" when not tied to one), ``check`` the name of
    the rule that produced it. ``rule`` names where that rule comes from (a schema keyword
    at a pointer, a sentence of a description, a seed, a Kombo docs page); ``source`` is
    where the exchange came from when it was replayed (a cassette). Only ``error`` findings
    fail a run; ``warning``, ``advisory`` and ``observation`` are reported but do not change
    the exit code.
    """

    check: str
    message: str
    severity: Severity = "error"
    connector: str = ""
    operation: str = ""
    pointer: str | None = None
    source: str | None = None
    rule: str | None = None
    request: RequestRecord | None = None
    response: ResponseExcerpt | None = None
    reproduction: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def fails(self) -> bool:
        return self.severity in FAILING

    @property
    def fingerprint(self) -> str:
        """A stable identity for baselines: what failed where, not the generated data."""
        return "|".join((self.connector, self.operation, self.check, self.pointer or ""))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: v for k, v in data.items() if v not in (None, {}, "")} | {
            "check": self.check,
            "message": self.message,
            "severity": self.severity,
        }


def deduplicate(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per connector, operation, check, pointer and message, in first-seen order:
    the first request (or recorded interaction) that showed it stands for all of them."""
    seen: dict[tuple[str, str], Finding] = {}
    for item in findings:
        seen.setdefault((item.fingerprint, item.message), item)
    return list(seen.values())


Verdict = Literal["passed", "failed", "not run", "inconclusive", "not applicable"]
VERDICTS: tuple[Verdict, ...] = ("failed", "inconclusive", "not run", "passed", "not applicable")


@dataclass(frozen=True)
class Case:
    """One unit of checking: a check applied to an operation for a connector.

    ``verdict`` says what came of it; findings carry the failures, so a case with an
    ``error`` finding is ``failed`` whatever its recorded verdict. The others:

    - ``passed``: judged, nothing wrong. ``bounded`` is True when only part could be judged
      within the check's budget, and ``note`` says what was judged and what was not;
    - ``not run``: the check could not run here (``note`` says why: writes not allowed, the
      operation stopped answering, ...), never counted as passed;
    - ``inconclusive``: it started but the target's answers did not allow a verdict
      (retries ran out on a rate limit, no record to work on), with ``note``;
    - ``not applicable``: the operation has nothing this check judges (a list check on a
      write operation).
    """

    connector: str
    operation: str
    check: str
    verdict: Verdict = "passed"
    note: str = ""
    bounded: bool = False


@dataclass
class Outcome:
    """What a command hands to the report writers."""

    command: str
    findings: list[Finding] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    started_at: str = ""  # RFC 3339, UTC
    duration_s: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return any(f.fails for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0
