"""A real sandbox on 127.0.0.1 and a minimal httpx ``send`` honouring the header contract of
CheckContext (defaults added; an explicit value kept; "" omits the header)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.contract import Contract
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.sandbox.server import running_sandbox

API_KEY = "checks-test-key"


def operation_of(contract: Contract, method: str, path: str) -> str:
    """The contract operation a request path matches ("" for none)."""
    for key, op in contract.operations.items():
        pattern = re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(op.path))
        if op.method == method and re.fullmatch(pattern, path):
            return key
    return ""


def make_send(client: httpx.Client, base: str, integration: str, contract: Contract) -> Callable:
    def send(request: Request) -> Exchange:
        defaults = {"Authorization": f"Bearer {API_KEY}", "X-Integration-Id": integration}
        given = {k.lower(): (k, v) for k, v in request.headers.items()}
        headers = {k: v for k, v in defaults.items() if k.lower() not in given}
        headers |= {k: v for k, v in given.values() if v != ""}
        content = request.raw_body
        if content is None and request.body is not None:
            content = httpx.Request("POST", base, json=request.body).content
            headers.setdefault("Content-Type", "application/json")
        started = time.monotonic()
        response = client.request(
            request.method,
            base + request.path,
            params=request.query,
            headers=headers,
            content=content,
        )
        return Exchange(
            request=Request(
                request.method,
                request.path,
                dict(request.query),
                headers,
                request.body,
                request.raw_body,
            ),
            url=str(response.url),
            status=response.status_code,
            headers=dict(response.headers),
            content=response.content,
            elapsed_s=time.monotonic() - started,
            operation=operation_of(contract, request.method, request.path),
        )

    return send


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=20) as client:
        yield client


@pytest.fixture
def live_context(contract: Contract, http: httpx.Client):
    """``live_context(base_url, connector, operation)`` -> CheckContext with a real send."""

    def build(
        base: str,
        connector: str,
        operation: str,
        strict: bool = False,
        consistency_timeout: float = 1.0,  # the sandbox is consistent at once; faults never
        data_url: str | None = None,
    ) -> CheckContext:
        return CheckContext(
            contract=contract,
            operation=contract.operation(operation),
            connector=connector,
            profile=contract.profiles.get(connector),
            send=make_send(http, base, f"{connector}:checks", contract),
            strict=strict,
            consistency_timeout=consistency_timeout,
            data_url=data_url,
            notes={"secrets": [API_KEY]},
        )

    return build


@pytest.fixture(scope="session")
def sandbox(contract: Contract) -> Iterator[str]:
    with running_sandbox(contract, api_key=API_KEY) as base:
        yield base


@pytest.fixture(scope="session")
def faulty(contract: Contract) -> Callable[[str], str]:
    """``faulty(fault)`` -> base URL of a sandbox with that fault (started once each)."""
    import contextlib

    stack = contextlib.ExitStack()
    started: dict[str, str] = {}

    def get(fault: str) -> str:
        if fault not in started:
            started[fault] = stack.enter_context(
                running_sandbox(contract, api_key=API_KEY, faults=[fault])
            )
        return started[fault]

    yield get
    stack.close()
