"""Fixtures for the sandbox tests: a shared sandbox, clients and a contract with test
connector profiles (independent of whichever profiles contracts/connectors holds)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.sandbox.server import default_contract, running_sandbox

API_KEY = "test-key"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def contract() -> Contract:
    return default_contract()


@pytest.fixture(scope="session")
def profiled_contract(tmp_path_factory) -> Contract:
    """The project's contracts with the test profiles in fixtures/connectors."""
    from kombo_conformance.contract.loader import default_contract_dir

    root = tmp_path_factory.mktemp("contracts")
    for path in default_contract_dir().iterdir():
        if path.is_file():
            shutil.copy(path, root / path.name)
    shutil.copytree(FIXTURES / "connectors", root / "connectors")
    return load_contract([root], validate=False)


@pytest.fixture(scope="session")
def base_url(contract) -> Iterator[str]:
    with running_sandbox(contract, api_key=API_KEY, seed=7) as url:
        yield url


@pytest.fixture(scope="session")
def profiled_url(profiled_contract) -> Iterator[str]:
    with running_sandbox(profiled_contract, api_key=API_KEY, seed=7) as url:
        yield url


def make_client(
    base: str, integration: str | None = "sandbox:test", key: str | None = API_KEY
) -> httpx.Client:
    headers = {}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    if integration is not None:
        headers["X-Integration-Id"] = integration
    return httpx.Client(base_url=base, headers=headers, timeout=30)


@pytest.fixture
def client(base_url, request) -> Iterator[httpx.Client]:
    # one integration per test: tests never see each other's writes
    with make_client(base_url, f"sandbox:{request.node.name[:60]}") as c:
        yield c


def fetch_all(client: httpx.Client, path: str, **params) -> list[dict]:
    out: list[dict] = []
    cursor = None
    for _ in range(100):
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        response = client.get(path, params=query)
        assert response.status_code == 200, response.text
        data = response.json()["data"]
        out += data["results"]
        cursor = data["next"]
        if cursor is None:
            return out
    raise AssertionError("pagination did not end")
