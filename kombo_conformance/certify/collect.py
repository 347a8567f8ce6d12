"""Turning a connector's findings and exchanges into its row of the matrix, and running the
engine (live, against the sandbox or a base URL) to get them, in one process or several."""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from kombo_conformance.certify.coverage import coverage
from kombo_conformance.certify.matrix import ConnectorResult, Evidence, classify
from kombo_conformance.contract import Contract, Operation, load_contract
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding, deduplicate
from kombo_conformance.progress import ProgressPrinter
from kombo_conformance.redact import Redactor, env_secrets
from kombo_conformance.report.safe import redact_finding
from kombo_conformance.run import ConformanceRun, Connection, Progress, plan_connections
from kombo_conformance.settings import Settings
from kombo_conformance.transport import Target


class ExchangeLog:
    """A ``recorder`` for the engine: keeps every exchange, per connector."""

    def __init__(self) -> None:
        self._by_connector: dict[str, list[Exchange]] = defaultdict(list)

    def __call__(self, connector: str, exchange: Exchange) -> None:
        self._by_connector[connector].append(exchange)

    def take(self, connector: str) -> list[Exchange]:
        """The connector's exchanges, forgotten here (certification goes connector by
        connector, so memory stays bounded)."""
        return self._by_connector.pop(connector, [])


def connector_result(
    connection: Connection,
    operations: Sequence[str],
    findings: Iterable[Finding],
    exchanges: Sequence[Exchange],
    redactor: Redactor,
) -> ConnectorResult:
    """Classify every cell of one connector and measure its field coverage."""
    evidence: dict[str, Evidence] = defaultdict(Evidence)
    for exchange in exchanges:
        evidence[exchange.operation].add(exchange)
    by_operation: dict[str, list[Finding]] = defaultdict(list)
    for item in deduplicate(findings):
        by_operation[item.operation].append(redact_finding(item, redactor))
    profile = connection.profile
    cells = [
        classify(
            connection.slug,
            key,
            profile is None or profile.supports(key),
            evidence[key],
            by_operation[key],
        )
        for key in operations
    ]
    return ConnectorResult(
        slug=connection.slug,
        name=profile.name if profile else connection.slug,
        cells=cells,
        coverage=coverage(profile.models, list(exchanges)) if profile else [],
    )


def certify_live(
    contract: Contract,
    settings: Settings,
    target: Target,
    connections: Sequence[Connection],
    operations: Sequence[Operation],
    progress: Progress | None = None,
) -> Iterator[ConnectorResult]:
    """Run the suite connector by connector against ``target``, yielding each row."""
    log = ExchangeLog()
    engine = ConformanceRun(contract, settings, target, progress=progress, recorder=log)
    redactor = Redactor([target.api_key, *env_secrets()])
    keys = [op.key for op in operations]
    for connection in connections:
        result = engine.run_connection(connection, operations)
        yield connector_result(
            connection, keys, result.findings, log.take(connection.slug), redactor
        )


def certify_target(
    contract: Contract,
    settings: Settings,
    connections: Sequence[Connection],
    operations: Sequence[Operation],
    progress: bool = True,
) -> list[ConnectorResult]:
    """Open the target (the user's base URL or a started sandbox), check it answers, and
    certify ``connections`` against it."""
    from kombo_conformance.targets import open_target, preflight_any

    with open_target(contract, settings) as target:
        preflight_any(target, operations, connections[0].integration_id)
        printer = ProgressPrinter() if progress else None
        return list(certify_live(contract, settings, target, connections, operations, printer))


def _certify_in_worker(
    settings: Settings, slugs: list[str], operation_keys: list[str], progress: bool
) -> list[ConnectorResult]:
    """Entry point of a worker process: its own contract, target (sandbox) and engine."""
    contract = load_contract(settings.contracts or None, validate=False)
    connections = plan_connections(contract, replace(settings, connectors=tuple(slugs)))
    operations = [contract.operations[k] for k in operation_keys]
    return certify_target(contract, settings, connections, operations, progress)


def balanced_groups(connections: Sequence[Connection], count: int) -> list[list[str]]:
    """Slugs in ``count`` groups of about equal work (declared operations cost the most)."""

    def weight(connection: Connection) -> int:
        return 1 + (len(connection.profile.operations) if connection.profile else 40)

    groups: list[tuple[int, list[str]]] = [(0, []) for _ in range(count)]
    for connection in sorted(connections, key=weight, reverse=True):
        load, slugs = min(groups, key=lambda g: g[0])
        groups[groups.index((load, slugs))] = (load + weight(connection), [*slugs, connection.slug])
    return [slugs for _, slugs in groups if slugs]


def certify_parallel(
    settings: Settings,
    connections: Sequence[Connection],
    operations: Sequence[Operation],
    workers: int,
    progress: bool = True,
) -> list[ConnectorResult]:
    """Certify in ``workers`` processes (generation and the in-process sandbox are CPU-bound,
    so threads would not help); rows come back in the connections' order."""
    context = multiprocessing.get_context("spawn")
    keys = [op.key for op in operations]
    groups = balanced_groups(connections, workers)
    with ProcessPoolExecutor(len(groups), mp_context=context) as pool:
        futures = [
            pool.submit(_certify_in_worker, settings, group, keys, progress) for group in groups
        ]
        rows = {row.slug: row for future in futures for row in future.result()}
    return [rows[c.slug] for c in connections]
