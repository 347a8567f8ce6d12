"""An Exchange as a vcrpy interaction (sanitised) and a recorded interaction as an Exchange.

The interaction is vcrpy's own format, so ``vcr.use_cassette`` plays it back::

    request:  {body, headers: {name: [value]}, method, uri}
    response: {status: {code, message}, headers: {name: [value]}, body: {string}}
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from kombo_conformance.cassettes.sanitize import Sanitizer
from kombo_conformance.exchange import Exchange, Request

# Volatile or transport-level response headers: they change every recording, or stop being
# true once the body is redacted (length, encoding).
DROPPED_RESPONSE_HEADERS = frozenset(
    {"date", "content-length", "content-encoding", "transfer-encoding", "connection"}
)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
Interaction = dict[str, Any]


def stable_url(url: str) -> str:
    """A loopback target listens on a new port every run: record it as ``localhost``."""
    parts = urlsplit(url)
    if parts.hostname in LOOPBACK_HOSTS:
        return urlunsplit(parts._replace(netloc="localhost"))
    return url


def _json_or_none(content: bytes) -> Any:
    try:
        return json.loads(content) if content else None
    except (ValueError, UnicodeDecodeError):
        return None


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _response_text(content: bytes, sanitizer: Sanitizer) -> str:
    parsed = _json_or_none(content)
    if parsed is None:
        return sanitizer.text(content.decode("utf-8", errors="replace"))
    cleaned = sanitizer.body(parsed)
    return content.decode("utf-8") if cleaned == parsed else _dump(cleaned)


def _request_text(request: Request, sanitizer: Sanitizer) -> str | None:
    if request.raw_body is not None:
        return sanitizer.text(request.raw_body.decode("utf-8", errors="replace"))
    return None if request.body is None else _dump(sanitizer.body(request.body))


def _listed(headers: dict[str, str]) -> dict[str, list[str]]:
    return {name: [value] for name, value in headers.items()}


def to_interaction(exchange: Exchange, sanitizer: Sanitizer) -> Interaction:
    """The exchange as a vcrpy interaction, secrets and (if enabled) personal data gone."""
    kept = {k: v for k, v in exchange.headers.items() if k.lower() not in DROPPED_RESPONSE_HEADERS}
    try:
        message = HTTPStatus(exchange.status).phrase
    except ValueError:
        message = ""
    return {
        "request": {
            "body": _request_text(exchange.request, sanitizer),
            "headers": _listed(sanitizer.headers(exchange.request.headers)),
            "method": exchange.request.method.upper(),
            "uri": stable_url(sanitizer.url(exchange.url)),
        },
        "response": {
            "status": {"code": exchange.status, "message": message},
            "headers": _listed(sanitizer.headers(kept)),
            "body": {"string": _response_text(exchange.content, sanitizer)},
        },
    }


def _as_bytes(value: Any) -> bytes:
    if value is None:
        return b""
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _flat_headers(headers: Any) -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in (headers or {}).items():
        values = value if isinstance(value, list) else [value]
        flat[str(name).lower()] = ", ".join(map(str, values))
    return flat


def to_exchange(
    interaction: Interaction, *, path: str, operation: str, connector: str, source: str
) -> Exchange:
    """A loaded (already validated) interaction as the Exchange the checks judge.

    ``path`` is the request path relative to the API's base URL (``/ats/jobs``).
    """
    request, response = interaction["request"], interaction["response"]
    uri = str(request["uri"])
    raw = _as_bytes(request.get("body")) or None
    body = _json_or_none(raw) if raw else None
    query = dict(parse_qsl(urlsplit(uri).query, keep_blank_values=True))
    return Exchange(
        request=Request(
            method=str(request["method"]).upper(),
            path=path,
            query=query,
            headers=_flat_headers(request.get("headers")),
            body=body,
            raw_body=raw if raw is not None and body is None else None,
        ),
        url=uri,
        status=int(response["status"]["code"]),
        headers=_flat_headers(response.get("headers")),
        content=_as_bytes((response.get("body") or {}).get("string")),
        operation=operation,
        connector=connector,
        source=source,
    )
