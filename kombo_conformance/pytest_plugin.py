"""pytest plugin: the conformance run as ordinary pytest tests.

One test per connector x operation, generated for any test function that asks for the
``kombo_operation`` fixture, so teams select with ``-k``, shard with pytest-xdist and keep
their own reporting. The tests call the same engine as ``kombo-conformance run``::

    # tests/test_kombo_conformance.py
    def test_conformance(kombo_operation):
        kombo_operation.assert_conforms()

    $ pytest tests/test_kombo_conformance.py --kombo-connector homerun -k "GET and jobs"

Without ``--kombo-base-url`` the bundled sandbox is started once per test process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from kombo_conformance.contract import Contract, Operation, load_contract
from kombo_conformance.run import ConformanceRun, Connection, OperationResult, plan_connections
from kombo_conformance.settings import Settings, resolve_settings

OPTIONS = {
    "base_url": ("--kombo-base-url", "target base URL (default: the bundled sandbox)"),
    "api_key": ("--kombo-api-key", "API key (default: env KOMBO_API_KEY)"),
    "connectors": ("--kombo-connector", "connector profile to test; repeatable"),
    "integration_ids": ("--kombo-integration-id", "<connector>:<id>; repeatable"),
    "contracts": ("--kombo-contract", "contract file or directory; repeatable"),
    "max_examples": ("--kombo-max-examples", "generated requests per operation and mode"),
    "seed": ("--kombo-seed", "generation seed"),
    "checks": ("--kombo-check", "run only this check; repeatable"),
    "rate_limit": ("--kombo-rate-limit", "requests per second per integration (0: none)"),
    "consistency_timeout": ("--kombo-consistency-timeout", "seconds a write may take to show"),
    "data_url": ("--kombo-data-url", "a file URL you own for bodies that point at a file"),
}
SWITCHES = {
    "strict": ("--kombo-strict", "fail, rather than observe, where the contract is ambiguous"),
    "allow_writes": ("--kombo-allow-writes", "let the run send writes to --kombo-base-url"),
}
UNJUDGED = frozenset({"not run", "inconclusive"})
REPEATABLE = {"connectors", "integration_ids", "contracts", "checks"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kombo-conformance", "Kombo contract conformance")
    for name, (flag, help_text) in OPTIONS.items():
        if name in REPEATABLE:
            group.addoption(flag, dest=f"kombo_{name}", action="append", help=help_text)
        elif name in ("max_examples", "seed"):
            group.addoption(flag, dest=f"kombo_{name}", type=int, help=help_text)
        elif name in ("rate_limit", "consistency_timeout"):
            group.addoption(flag, dest=f"kombo_{name}", type=float, help=help_text)
        else:
            group.addoption(flag, dest=f"kombo_{name}", help=help_text)
    for name, (flag, help_text) in SWITCHES.items():
        group.addoption(
            flag, dest=f"kombo_{name}", action="store_true", default=None, help=help_text
        )


def _settings(config: pytest.Config) -> Settings:
    return resolve_settings(
        {name: config.getoption(f"kombo_{name}") for name in (*OPTIONS, *SWITCHES)}
    )


@dataclass
class KomboOperation:
    """One connector x operation under test."""

    engine: ConformanceRun
    connection: Connection
    operation: Operation

    def run(self) -> OperationResult:
        return self.engine.run_operation(self.connection, self.operation)

    def assert_conforms(self) -> OperationResult:
        result = self.run()
        failing = [f for f in result.findings if f.fails]
        if failing:
            lines = [
                f"{f.check}: {f.message}" + (f"\n    {f.reproduction}" if f.reproduction else "")
                for f in failing
            ]
            pytest.fail(
                f"{self.connection.slug} {self.operation.key}: {len(failing)} finding(s)\n"
                + "\n".join(lines),
                pytrace=False,
            )
        unjudged = {c.note or c.verdict for c in result.cases if c.verdict in UNJUDGED}
        if unjudged and not any(c.verdict == "passed" for c in result.cases):
            pytest.skip(f"nothing judged: {'; '.join(sorted(unjudged))}")
        return result


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "kombo_operation" not in metafunc.fixturenames:
        return
    settings = _settings(metafunc.config)
    contract = load_contract(settings.contracts or None)
    params = [
        pytest.param((c.slug, op.key), id=f"{c.slug}-{op.key}")
        for c in plan_connections(contract, settings)
        for op in contract.operations.values()
        if not settings.operations or op.key in settings.operations
    ]
    metafunc.parametrize("kombo_operation", params, indirect=True)


@pytest.fixture(scope="session")
def kombo_engine(request: pytest.FixtureRequest) -> Iterator[tuple[ConformanceRun, Contract]]:
    """The engine and its target, shared by every test of the process."""
    from kombo_conformance.targets import open_target

    settings = _settings(request.config)
    contract = load_contract(settings.contracts or None)
    with contextlib.ExitStack() as stack:
        target = stack.enter_context(open_target(contract, settings))
        yield ConformanceRun(contract, settings, target), contract


@pytest.fixture
def kombo_operation(request: pytest.FixtureRequest, kombo_engine: Any) -> KomboOperation:
    engine, contract = kombo_engine
    slug, key = request.param
    connection = next(c for c in plan_connections(contract, engine.settings) if c.slug == slug)
    return KomboOperation(engine, connection, contract.operations[key])
