"""A probe's working state: the requests it sent and the findings it made."""

from __future__ import annotations

from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.finding import finding
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.findings import Finding, Severity


class Session:
    """Sends through ``ctx.send``, keeps every exchange, and files findings under ``check``."""

    def __init__(self, ctx: CheckContext, check: str) -> None:
        self.ctx = ctx
        self.check = check
        self.exchanges: list[Exchange] = []
        self.findings: list[Finding] = []

    @property
    def live(self) -> bool:
        return self.ctx.send is not None

    def send(self, request: Request) -> Exchange:
        assert self.ctx.send is not None, "probes run only with a send function"
        exchange = self.ctx.send(request)
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
    ) -> None:
        self.findings.append(
            finding(
                self.ctx,
                self.check,
                message,
                exchange,
                severity=severity,
                pointer=pointer,
                details=details,
            )
        )

    def result(self) -> tuple[list[Finding], list[Exchange]]:
        return self.findings, self.exchanges
