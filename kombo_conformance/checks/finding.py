"""Building a Finding from a check's verdict: request masked, response excerpt, curl."""

from __future__ import annotations

from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding, RequestRecord, ResponseExcerpt, Severity
from kombo_conformance.redact import Redactor, env_secrets
from kombo_conformance.repro import curl_command


def redactor_for(ctx: CheckContext) -> Redactor:
    """Masks the API key from the environment and any ``ctx.notes["secrets"]``."""
    extra = ctx.notes.get("secrets") or ()
    return Redactor([*env_secrets(), *(extra if isinstance(extra, list | tuple) else ())])


def _sent_body(exchange: Exchange) -> Any:
    raw = exchange.request.raw_body
    if raw is not None:
        return raw.decode("utf-8", errors="replace")
    return exchange.request.body


def request_record(ctx: CheckContext, exchange: Exchange) -> RequestRecord:
    redactor = redactor_for(ctx)
    body = _sent_body(exchange)
    return RequestRecord(
        method=exchange.request.method,
        url=redactor.url(exchange.url),
        headers=redactor.headers(exchange.request.headers),
        body=redactor.text(body) if isinstance(body, str) else redactor.body(body),
    )


def finding(
    ctx: CheckContext,
    check: str,
    message: str,
    exchange: Exchange | None = None,
    *,
    severity: Severity = "error",
    pointer: str | None = None,
    details: dict[str, Any] | None = None,
    rule: str | None = None,
) -> Finding:
    """One finding of ``check`` about ``ctx``'s connector and operation."""
    request = response = reproduction = None
    if exchange is not None:
        request = request_record(ctx, exchange)
        redactor = redactor_for(ctx)
        response = ResponseExcerpt(exchange.status, redactor.text(exchange.excerpt()))
        reproduction = curl_command(
            exchange.request.method,
            exchange.url,
            exchange.request.headers,
            _sent_body(exchange),
            redactor,
        )
    return Finding(
        check=check,
        message=message,
        severity=severity,
        connector=ctx.connector,
        operation=ctx.operation.key,
        pointer=pointer,
        source=exchange.source if exchange is not None else None,
        rule=rule,
        request=request,
        response=response,
        reproduction=reproduction,
        details=details or {},
    )
