"""Sending requests to the target: one httpx client, bounded timeouts, clear errors."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from kombo_conformance.errors import TargetError
from kombo_conformance.exchange import Exchange, Request

USER_AGENT = "kombo-conformance"
OMIT = ""  # an explicit empty header value means: do not send this header
# Headers of generated cases that the Target sets itself (auth) or that only identify the tool.
GENERATED_HEADERS_DROPPED = frozenset(
    {"authorization", "user-agent", "accept-encoding", "connection", "x-schemathesis-testcaseid"}
)


class Target:
    """A Kombo-compatible base URL (``http://host/v1``) reached with one API key.

    ``send`` adds ``Authorization: Bearer <key>`` and ``X-Integration-Id`` unless the request
    sets them itself; an explicit empty value omits the header (for auth probes). Network
    failures and timeouts raise :class:`TargetError`; any HTTP answer becomes an Exchange.
    """

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Target:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def headers_for(self, request: Request, integration_id: str | None) -> dict[str, str]:
        defaults = {"Authorization": f"Bearer {self.api_key}"}
        if integration_id:
            defaults["X-Integration-Id"] = integration_id
        given = {k.lower(): (k, v) for k, v in request.headers.items()}
        headers = {k: v for k, v in defaults.items() if k.lower() not in given}
        headers.update({k: v for k, v in given.values() if v != OMIT})
        return headers

    def send(
        self,
        request: Request,
        *,
        integration_id: str | None = None,
        operation: str = "",
        connector: str = "",
    ) -> Exchange:
        headers = self.headers_for(request, integration_id)
        content: bytes | None = request.raw_body
        if content is None and request.body is not None:
            content = json.dumps(request.body, default=str).encode()
            headers.setdefault("Content-Type", "application/json")
        url = self.base_url + request.path
        started = time.perf_counter()
        try:
            response = self._client.request(
                request.method, url, params=request.query or None, headers=headers, content=content
            )
        except httpx.TimeoutException:
            raise TargetError(
                f"{request.method} {url} did not answer within {self.timeout:g} s; the target "
                "is hanging or too slow (raise --timeout if it is just slow)"
            ) from None
        except httpx.HTTPError as exc:
            raise TargetError(
                f"{request.method} {url} failed: {exc.__class__.__name__}: {exc}. Is the target "
                "running and is --base-url right?"
            ) from None
        return Exchange(
            request=Request(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                headers=headers,
                body=request.body,
                raw_body=request.raw_body,
            ),
            url=str(response.request.url),
            status=response.status_code,
            headers=dict(response.headers),
            content=response.content,
            elapsed_s=time.perf_counter() - started,
            operation=operation,
            connector=connector,
        )


def preflight(target: Target, path: str, integration_id: str | None) -> Exchange:
    """One request proving the target speaks HTTP and JSON, or a TargetError saying why not."""
    exchange = target.send(Request("GET", path), integration_id=integration_id)
    if exchange.json is None:
        kind = exchange.headers.get("content-type", "no content type")
        raise TargetError(
            f"GET {exchange.url} answered HTTP {exchange.status} with a non-JSON body ({kind}: "
            f"{exchange.excerpt(120)!r}); this does not look like a Kombo-compatible API"
        )
    if exchange.status in (401, 403) and exchange.error_code == "PLATFORM.AUTHENTICATION_INVALID":
        raise TargetError(
            f"the target refused the API key (HTTP {exchange.status}, "
            "PLATFORM.AUTHENTICATION_INVALID); check --api-key / KOMBO_API_KEY"
        )
    return exchange


def as_request(kwargs: dict[str, Any], base_url: str) -> Request:
    """Turn schemathesis's transport kwargs (requests-style) into our Request."""
    url: str = kwargs["url"]
    path = url[len(base_url.rstrip("/")) :] if url.startswith(base_url.rstrip("/")) else url
    body: Any = None
    raw: bytes | None = None
    if "json" in kwargs:
        body = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        raw = data if isinstance(data, bytes) else str(data).encode()
    headers = {
        k: str(v)
        for k, v in (kwargs.get("headers") or {}).items()
        if k.lower() not in GENERATED_HEADERS_DROPPED
    }
    query = {k: _query_value(v) for k, v in (kwargs.get("params") or {}).items()}
    return Request(kwargs["method"].upper(), path, query, headers, body, raw)


def _query_value(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
