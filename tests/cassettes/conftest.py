"""Shared helpers: exchanges built by hand, and one real recording from the sandbox."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kombo_conformance.cassettes.record import CassetteRecorder
from kombo_conformance.contract import Contract
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.run import ConformanceRun, plan_connections, plan_operations
from kombo_conformance.sandbox.server import running_sandbox
from kombo_conformance.settings import SANDBOX_API_KEY, resolve_settings
from kombo_conformance.transport import Target

BASE = "http://127.0.0.1:8123/v1"
RECORDED_OPERATIONS = ("GET /ats/jobs", "GET /ats/candidates", "POST /ats/candidates")


def exchange(
    path: str = "/ats/jobs",
    body: Any = None,
    *,
    status: int = 200,
    method: str = "GET",
    query: str = "",
    request_body: Any = None,
    headers: dict[str, str] | None = None,
    content: bytes | None = None,
    operation: str = "GET /ats/jobs",
) -> Exchange:
    """An exchange as the Target would return it."""
    url = BASE + path + (f"?{query}" if query else "")
    return Exchange(
        request=Request(
            method,
            path,
            headers={"Authorization": f"Bearer {SANDBOX_API_KEY}"} | (headers or {}),
            body=request_body,
        ),
        url=url,
        status=status,
        headers={"content-type": "application/json", "date": "Sat, 01 Jan 2033 00:00:00 GMT"},
        content=content if content is not None else json.dumps(body).encode(),
        operation=operation,
        connector="homerun",
    )


def saved_text(tmp_path: Path, *exchanges: Exchange, redact_pii: bool = True) -> str:
    """Record ``exchanges`` for homerun, save, and return every written file's text."""
    recorder = CassetteRecorder(tmp_path, redact_pii=redact_pii, secrets=[SANDBOX_API_KEY])
    for item in exchanges:
        recorder("homerun", item)
    return "\n".join(p.read_text(encoding="utf-8") for p in recorder.save())


@pytest.fixture(scope="session")
def recorded(tmp_path_factory: pytest.TempPathFactory, contract: Contract) -> Path:
    """Cassettes recorded from the real sandbox (127.0.0.1, free port) for homerun."""
    directory = tmp_path_factory.mktemp("recorded")
    settings = resolve_settings(
        {
            "connectors": ["homerun"],
            "operations": list(RECORDED_OPERATIONS),
            "max_examples": 1,
        },
        environ={},
    )
    recorder = CassetteRecorder(directory, redact_pii=True, secrets=[SANDBOX_API_KEY])
    with (
        running_sandbox(contract, api_key=SANDBOX_API_KEY) as base_url,
        Target(base_url, SANDBOX_API_KEY) as target,
    ):
        engine = ConformanceRun(contract, settings, target, recorder=recorder)
        engine.execute(plan_connections(contract, settings), plan_operations(contract, settings))
    recorder.save()
    return directory
