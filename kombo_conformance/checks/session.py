"""A probe's working state: the requests it sent, the findings it made, and its verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.finding import finding
from kombo_conformance.errors import Inconclusive, WriteNotAllowed
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.findings import Finding, Severity, Verdict


@dataclass
class ProbeResult:
    """What a probe returns: its findings, the exchanges it made, and its verdict.

    ``verdict`` is ``passed`` (``bounded`` with a ``note`` saying what was and was not
    judged when a budget stopped it), ``not run``, ``inconclusive`` or ``not applicable``;
    the engine makes it ``failed`` when a finding is an error.
    """

    findings: list[Finding] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    verdict: Verdict = "passed"
    note: str = ""
    bounded: bool = False


class ProbeStopped(Exception):
    """Raised by :meth:`Session.send` when a request could not be made or judged (writes not
    allowed, retries exhausted): carries the probe's result so far, findings included."""

    def __init__(self, result: ProbeResult) -> None:
        self.result = result
        super().__init__(result.note)


class Session:
    """Sends through ``ctx.send``, keeps every exchange, and files findings under ``check``.

    A probe that returns without sending anything and without a verdict of its own is
    ``not applicable``; :meth:`not_run`, :meth:`inconclusive` and :meth:`bounded` record
    the other verdicts.
    """

    def __init__(self, ctx: CheckContext, check: str) -> None:
        self.ctx = ctx
        self.check = check
        self.exchanges: list[Exchange] = []
        self.findings: list[Finding] = []
        self._verdict: Verdict | None = None
        self._notes: list[str] = []
        self._bounded = False

    @property
    def live(self) -> bool:
        return self.ctx.send is not None

    def send(self, request: Request) -> Exchange:
        assert self.ctx.send is not None, "probes run only with a send function"
        try:
            exchange = self.ctx.send(request)
        except WriteNotAllowed as exc:
            self.not_run(str(exc).removeprefix("not run: "))
            raise ProbeStopped(self.result()) from None
        except Inconclusive as exc:
            if isinstance(exc.exchange, Exchange):
                self.exchanges.append(exc.exchange)
            self.inconclusive(str(exc))
            raise ProbeStopped(self.result()) from None
        self.exchanges.append(exchange)
        return exchange

    def get(self, path: str, **query: Any) -> Exchange:
        return self.send(Request("GET", path, query={k: str(v) for k, v in query.items()}))

    def report(
        self,
        message: str,
        exchange: Exchange | None = None,
        *,
        severity: Severity = "error",
        pointer: str | None = None,
        details: dict[str, Any] | None = None,
        rule: str | None = None,
    ) -> None:
        """File a finding; ``rule`` names the rule's source in the contract or Kombo's docs."""
        self.findings.append(
            finding(
                self.ctx,
                self.check,
                message,
                exchange,
                severity=severity,
                pointer=pointer,
                details=details,
                rule=rule,
            )
        )

    # -- verdicts ----------------------------------------------------------------------
    def not_run(self, reason: str) -> None:
        """The check could not run here (``reason`` says why); never counted as passed."""
        self._verdict = "not run"
        self._notes.append(reason)

    def inconclusive(self, reason: str) -> None:
        """The check ran, but the target's answers did not allow a verdict."""
        if self._verdict != "not run":
            self._verdict = "inconclusive"
        self._notes.append(reason)

    def bounded(self, note: str) -> None:
        """Only part was judged within the budget; ``note`` says what was and what was not."""
        self._bounded = True
        self._notes.append(note)

    def note(self, text: str) -> None:
        """Something worth showing with the verdict (e.g. how long a write took to show)."""
        self._notes.append(text)

    def result(self) -> ProbeResult:
        verdict = self._verdict
        if verdict is None:
            verdict = "passed" if self.exchanges or self.findings else "not applicable"
        return ProbeResult(
            list(self.findings),
            list(self.exchanges),
            verdict,
            "; ".join(dict.fromkeys(self._notes)),
            self._bounded,
        )
