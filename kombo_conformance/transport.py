"""Sending requests to the target: one httpx client, bounded timeouts, clear errors, and
politeness towards real accounts (see :mod:`kombo_conformance.politeness`).

Per request, :meth:`Target.send`:

1. refuses any method but GET when writes are not allowed (:class:`WriteNotAllowed`),
   before anything touches the network;
2. waits for its integration's slot under ``rate_limit`` (requests per second);
3. sends; a timeout or connection failure is a :class:`TargetError`;
4. retries an answer meaning "try again later" (HTTP 429 or 503, or an ``error.code`` in
   ``transient_codes``) after its ``Retry-After`` or a jittered backoff, within the
   :class:`RetryPolicy` budget, holding the integration back for other threads meanwhile;
   when the budget runs out it raises :class:`Inconclusive` with the last exchange;
5. records each write the target accepted (non-GET, 2xx) in ``changes``.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import httpx

from kombo_conformance.changes import READ_METHODS, Change, change_of
from kombo_conformance.errors import Inconclusive, TargetError, TargetRefused, WriteNotAllowed
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.politeness import (
    RETRY_STATUSES,
    RateLimiter,
    RetryPolicy,
    TargetStats,
    retry_after_seconds,
)

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
    failures and timeouts raise :class:`TargetError`; any other HTTP answer becomes an
    Exchange. ``rate_limit`` is requests per second per ``integration_id`` (None: unpaced);
    ``transient_codes`` usually come from ``Contract.transient_codes``; ``sleep``, ``clock``,
    ``rng`` and ``transport`` are for tests. One Target may be shared by threads.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        allow_writes: bool = True,
        rate_limit: float | None = None,
        retry: RetryPolicy | None = None,
        transient_codes: Iterable[str] = frozenset(),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.allow_writes = allow_writes
        self.retry = retry or RetryPolicy()
        self.transient_codes = frozenset(transient_codes)
        self.limiter = RateLimiter(rate_limit, clock=clock, sleep=sleep)
        self.stats = TargetStats()
        self.changes: list[Change] = []
        self._sleep = sleep
        self._rng = rng or random.Random(0)
        self._rng_lock = threading.Lock()
        self._changes_lock = threading.Lock()
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=False,
            transport=transport,
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

    def is_transient(self, exchange: Exchange) -> bool:
        """Whether an answer means "try again later" (429, 503, or a transient error code)."""
        if exchange.status in RETRY_STATUSES:
            return True
        return exchange.status >= 400 and exchange.error_code in self.transient_codes

    def send(
        self,
        request: Request,
        *,
        integration_id: str | None = None,
        operation: str = "",
        connector: str = "",
    ) -> Exchange:
        """Send one request (retrying "try again later" answers); see the module docstring."""
        if not self.allow_writes and request.method.upper() not in READ_METHODS:
            raise WriteNotAllowed(request.method, request.path)
        key = integration_id or ""
        retries, waited = 0, 0.0
        while True:
            self.stats.add(throttle_wait_s=self.limiter.acquire(key))
            exchange = self._exchange(request, integration_id, operation, connector)
            self.stats.add(requests=1, responses_429=int(exchange.status == 429))
            if not self.is_transient(exchange):
                self._record(exchange, integration_id)
                return exchange
            retry_after = retry_after_seconds(exchange.headers, time.time())
            with self._rng_lock:
                wait = self.retry.next_wait(retries, waited, retry_after, self._rng)
            if wait is None:
                raise Inconclusive(self._gave_up(exchange, retries, waited, retry_after), exchange)
            self.limiter.hold(key, wait)  # other requests of this integration wait too
            self._sleep(wait)
            retries, waited = retries + 1, waited + wait
            self.stats.add(retries=1, retry_wait_s=wait)

    def _gave_up(
        self, exchange: Exchange, retries: int, waited: float, retry_after: float | None
    ) -> str:
        kind = "rate limited" if exchange.status == 429 else "temporarily unavailable"
        answer = " ".join(str(p) for p in (exchange.status, exchange.error_code) if p)
        done = f"{retries} {'retry' if retries == 1 else 'retries'} (waited {waited:.1f} s)"
        policy = self.retry
        left = policy.max_total_wait - waited
        if retries < policy.max_retries and left > 0 and retry_after is not None:
            return (
                f"{kind}: {answer} with Retry-After {retry_after:g} s, beyond the wait budget "
                f"({policy.max_delay:g} s per wait, {left:.1f} s left), after {done}"
            )
        return f"{kind}: {answer} after {done}"

    def _record(self, exchange: Exchange, integration_id: str | None) -> None:
        change = change_of(exchange, integration_id)
        if change is not None:
            with self._changes_lock:
                self.changes.append(change)

    def _exchange(
        self, request: Request, integration_id: str | None, operation: str, connector: str
    ) -> Exchange:
        """One attempt: the request on the wire, its answer as an Exchange."""
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
    """One request proving the target speaks HTTP and JSON, or a TargetError saying why not
    (:class:`TargetRefused` when it answered, but not as a Kombo API accepting the key)."""
    try:
        exchange = target.send(Request("GET", path), integration_id=integration_id)
    except Inconclusive as exc:
        raise TargetError(
            f"GET {target.base_url}{path} could not be judged: {exc}; the target is limiting "
            "requests (lower --rate-limit or try again later)"
        ) from None
    if exchange.json is None:
        kind = exchange.headers.get("content-type", "no content type")
        raise TargetRefused(
            f"GET {exchange.url} answered HTTP {exchange.status} with a non-JSON body ({kind}: "
            f"{exchange.excerpt(120)!r}); this does not look like a Kombo-compatible API"
        )
    if exchange.status in (401, 403) and exchange.error_code == "PLATFORM.AUTHENTICATION_INVALID":
        raise TargetRefused(
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
