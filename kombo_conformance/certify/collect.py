"""Turning a connector's findings and exchanges into its row of the matrix, and running the
engine (live, against the sandbox or a base URL) to get them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from kombo_conformance.certify.coverage import coverage
from kombo_conformance.certify.matrix import ConnectorResult, Evidence, classify
from kombo_conformance.contract import Contract, Operation
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding
from kombo_conformance.redact import Redactor, env_secrets
from kombo_conformance.report.safe import redact_finding
from kombo_conformance.run import Connection, ConformanceRun, Progress
from kombo_conformance.settings import Settings


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
    for item in findings:
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
    target,
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
