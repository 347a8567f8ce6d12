"""``media_type``: every answer comes in a media type its operation declares.

An answer is judged against the response its status selects in the operation's
``responses`` (the exact code, then its range such as ``5XX``, then ``default``; Kombo
declares ``200`` and ``default``, both ``application/json``), 5xx answers included:

- a body that is not what a declared JSON type promises (HTML, XML, plain text, binary
  data, an empty body, truncated or malformed JSON) is a finding that says what the body is,
  with a short excerpt;
- a JSON body sent with a ``Content-Type`` the response does not declare (a JSON envelope
  as ``text/xml``), or with none, is a finding about the header.

One defect, one finding: a non-JSON body is reported once, whatever its ``Content-Type``.
"""

from __future__ import annotations

import json
from typing import Any

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.finding import finding
from kombo_conformance.contract import Operation
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding

EXCERPT = 60  # characters of the body quoted in a message
_HTML_MARKS = ("<!doctype html", "<html", "<head", "<body")


def response_key(responses: dict[str, Any], status: int) -> str | None:
    """The ``responses`` entry an answer with ``status`` falls under (OpenAPI's order)."""
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in responses:
            return key
    return None


def declared_media_types(operation: Operation, status: int) -> tuple[str, tuple[str, ...]]:
    """(responses key, the media types it declares); ``("", ())`` when it declares none."""
    responses = operation.definition.get("responses") or {}
    key = response_key(responses, status)
    content = (responses.get(key) or {}).get("content") if key else None
    return (key or "", tuple(content) if isinstance(content, dict) else ())


def media_type_of(exchange: Exchange) -> str | None:
    """The answer's ``Content-Type`` without parameters, lower case; None when absent."""
    value = next((v for k, v in exchange.headers.items() if k.lower() == "content-type"), "")
    media = value.split(";", 1)[0].strip().lower()
    return media or None


def is_json_type(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _matches(declared: str, media: str) -> bool:
    kind, _, sub = declared.split(";", 1)[0].strip().lower().partition("/")
    got_kind, _, got_sub = media.partition("/")
    return kind in ("*", got_kind) and sub in ("*", got_sub)


def body_excerpt(content: bytes, limit: int = EXCERPT) -> str:
    """The start of a body on one line, quoted, cut with an ellipsis."""
    text = " ".join(content.decode("utf-8", errors="replace").split())
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _json_defect(text: str, size: int) -> str | None:
    """None for JSON, else ``truncated JSON at byte N`` or ``malformed JSON at byte N``."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            return f"truncated JSON at byte {size}"
        return f"malformed JSON at byte {len(text[: exc.pos].encode())} ({exc.msg})"
    return None


def body_kind(content: bytes) -> str | None:
    """What a body is when it is not JSON (``HTML``, ``plain text``, ...); None for JSON."""
    if not content.strip():
        return "an empty body"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return f"binary data ({len(content):,} bytes)"
    start = text.lstrip()[:1000].lower()
    if start[:1] in ("{", "["):
        return _json_defect(text, len(content))
    if any(mark in start for mark in _HTML_MARKS):
        return "HTML"
    if start.startswith("<"):
        return "XML"
    if "\x00" in text:
        return f"binary data ({len(content):,} bytes)"
    return None if _json_defect(text, len(content)) is None else "plain text"


def _where(ctx: CheckContext, key: str, declared: tuple[str, ...]) -> str:
    return f"responses.{key}.content of {ctx.operation.key}: {', '.join(declared)}"


def _body_finding(
    ctx: CheckContext, exchange: Exchange, kind: str, rule: str, declared: tuple[str, ...]
) -> Finding:
    sent = media_type_of(exchange) or "no Content-Type"
    message = (
        f"expected a JSON body ({', '.join(declared)}), got {kind} ({sent}, status "
        f"{exchange.status})"
    )
    if kind != "an empty body":
        message += f": {body_excerpt(exchange.content)}"
    details = {"body": kind, "content_type": media_type_of(exchange)}
    return finding(ctx, "media_type", message, exchange, details=details, rule=rule)


def _header_finding(
    ctx: CheckContext, exchange: Exchange, rule: str, declared: tuple[str, ...]
) -> Finding:
    sent = media_type_of(exchange)
    message = (
        f"expected Content-Type {' or '.join(declared)}, got "
        f"{sent or 'no Content-Type'} for a JSON body (status {exchange.status})"
    )
    return finding(
        ctx,
        "media_type",
        message,
        exchange,
        pointer="header:Content-Type",
        details={"content_type": sent},
        rule=rule,
    )


def media_type(ctx: CheckContext, exchange: Exchange) -> list[Finding]:
    """The body and ``Content-Type`` of an answer are of a media type its response declares."""
    key, declared = declared_media_types(ctx.operation, exchange.status)
    if not declared:
        return []
    rule = _where(ctx, key, declared)
    if any(is_json_type(d) for d in declared):
        kind = body_kind(exchange.content)
        if kind is not None:
            return [_body_finding(ctx, exchange, kind, rule, declared)]
    sent = media_type_of(exchange)
    if sent is None or not any(_matches(d, sent) for d in declared):
        return [_header_finding(ctx, exchange, rule, declared)]
    return []
