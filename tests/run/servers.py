"""Servers for end-to-end tests of real-target behaviour: the sandbox app wrapped in small
ASGI middlewares (count methods, hang on one operation, rate-limit), served by uvicorn on a
free 127.0.0.1 port and stopped when the test ends."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from kombo_conformance.sandbox.server import _server, bind

Scope = dict[str, Any]


@contextlib.contextmanager
def serve_asgi(app: Any) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yield ``http://127.0.0.1:<port>/v1``."""
    sock = bind("127.0.0.1", 0)
    server = _server(app, sock, log_level="critical")
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class CountMethods:
    """Counts the HTTP methods of every request that reaches the app, and keeps the bodies."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.methods: Counter[str] = Counter()
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.methods[scope["method"]] += 1
        chunks: list[bytes] = []

        async def keep() -> Any:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                self.bodies.append(b"".join(chunks))
            return message

        await self.app(scope, keep, send)


class HangOn:
    """Never answers (within ``seconds``) requests whose method and path match."""

    def __init__(self, app: Any, method: str, path: str, seconds: float = 30.0) -> None:
        self.app, self.method, self.path, self.seconds = app, method, re.compile(path), seconds

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == self.method
            and self.path.fullmatch(scope["path"])
        ):
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)


class RateLimit:
    """At most ``per_second`` requests per second per X-Integration-Id, with no burst: a
    request sooner than ``1 / per_second`` after the last one admitted gets 429 with
    ``Retry-After: 1`` and Kombo's error envelope."""

    def __init__(self, app: Any, per_second: float) -> None:
        self.app, self.spacing = app, 1 / per_second
        self.admitted: dict[str, float] = {}
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        key = headers.get(b"x-integration-id", b"").decode()
        now = time.monotonic()
        if now - self.admitted.get(key, -1e9) >= self.spacing:
            self.admitted[key] = now
            await self.app(scope, receive, send)
            return
        self.refused += 1
        body = json.dumps(
            {
                "status": "error",
                "error": {
                    "code": "PLATFORM.RATE_LIMIT_EXCEEDED",
                    "title": "Rate limit exceeded.",
                    "message": "Too many requests; retry after the time in Retry-After.",
                    "log_url": None,
                },
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"retry-after", b"1"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
