"""Turning a connector's findings and exchanges into its row of the matrix, and running the
engine (live, against the sandbox or a base URL) to get them, in one process or several."""

from __future__ import annotations

import multiprocessing
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace

from kombo_conformance.certify.coverage import coverage
from kombo_conformance.certify.declared import claim_of, declared_coverage
from kombo_conformance.certify.matrix import DECLARED_CHECK, ConnectorResult, Evidence, classify
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
    contract: Contract,
) -> ConnectorResult:
    """Classify every cell of one connector, measure its field coverage and judge its
    declaration (whose failing findings join the cells of their operations)."""
    evidence: dict[str, Evidence] = defaultdict(Evidence)
    for exchange in exchanges:
        evidence[exchange.operation].add(exchange)
    declared = declared_coverage(connection, contract, exchanges, evidence)
    about_declaration: list[Finding] = []
    if declared is not None:
        declared.findings = [redact_finding(f, redactor) for f in declared.findings]
        # judged here on every exchange, not on the probe's sample
        findings = [f for f in findings if f.check != DECLARED_CHECK]
        about_declaration = [f for f in declared.findings if f.fails]
    by_operation: dict[str, list[Finding]] = defaultdict(list)
    for item in deduplicate([*findings, *about_declaration]):
        by_operation[item.operation].append(redact_finding(item, redactor))
    profile = connection.profile
    cells = [
        classify(
            connection.slug,
            key,
            profile is None or profile.supports(key),
            evidence[key],
            by_operation[key],
            claim_of(connection, key, contract),
        )
        for key in operations
    ]
    name = connection.declaration.tool_label if connection.declaration else None
    return ConnectorResult(
        slug=connection.slug,
        name=name or (profile.name if profile else connection.slug),
        cells=cells,
        coverage=coverage(profile.models, list(exchanges)) if profile else [],
        declared=declared,
    )


def labelled(
    rows: Sequence[ConnectorResult], connections: Sequence[Connection]
) -> list[ConnectorResult]:
    """The rows (one per connection, in order), those of a connector certified through
    several integrations labelled ``<slug> (<integration id>)`` so that no two are alike."""
    repeated = {slug for slug, n in Counter(r.slug for r in rows).items() if n > 1}
    return [
        replace(row, slug=f"{row.slug} ({c.integration_id})") if row.slug in repeated else row
        for row, c in zip(rows, connections, strict=True)
    ]


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
        exchanges = log.take(connection.slug)
        yield connector_result(connection, keys, result.findings, exchanges, redactor, contract)


Certified = tuple[list[ConnectorResult], str | None]  # rows, environment behind the key


def certify_target(
    contract: Contract,
    settings: Settings,
    connections: Sequence[Connection],
    operations: Sequence[Operation],
    progress: bool = True,
) -> Certified:
    """Open the target (the user's base URL or a started sandbox), check it answers, learn
    each connection's declaration from it, and certify ``connections`` against it; one row
    per connection, in order."""
    from kombo_conformance.learn import learn_connections
    from kombo_conformance.targets import open_target, preflight_any

    with open_target(contract, settings) as target:
        checked = preflight_any(target, operations, connections[0].integration_id, contract)
        learned = learn_connections(contract, target, connections)
        printer = ProgressPrinter() if progress else None
        rows = list(certify_live(contract, settings, target, learned, operations, printer))
        return rows, checked.environment


def _certify_in_worker(
    settings: Settings, slugs: list[str], operation_keys: list[str], progress: bool
) -> Certified:
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
) -> Certified:
    """Certify in ``workers`` processes (generation and the in-process sandbox are CPU-bound,
    so threads would not help); rows come back in the connections' order."""
    context = multiprocessing.get_context("spawn")
    keys = [op.key for op in operations]
    groups = balanced_groups(connections, workers)
    with ProcessPoolExecutor(len(groups), mp_context=context) as pool:
        futures = [
            pool.submit(_certify_in_worker, settings, group, keys, progress) for group in groups
        ]
        done = [future.result() for future in futures]
    rows = {  # by planned slug: a row's own slug is the connector the target declared
        planned: row
        for group, (found, _) in zip(groups, done, strict=True)
        for planned, row in zip(group, found, strict=True)
    }
    environment = next((env for _, env in done if env), None)
    return [rows[c.slug] for c in connections], environment
