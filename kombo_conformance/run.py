"""The conformance engine: one implementation behind the CLI, the pytest plugin and certify.

For each connector and each operation of the contract it sends schemathesis-generated
requests (positive and negative), judges every exchange with the Kombo response checks and
schemathesis's own checks, and runs the Kombo probes (pagination, filters, auth, state, ...).
An operation the connector's profile does not declare is only asked whether it is really
unavailable.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation.case import Case as SchemathesisCase

from kombo_conformance import checks as kombo_checks
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.finding import finding
from kombo_conformance.contract import ConnectorProfile, Contract, Operation
from kombo_conformance.errors import UsageError
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.findings import Case, Finding, Outcome, deduplicate
from kombo_conformance.generation import CaseGenerator, Mode
from kombo_conformance.resources import IdPool
from kombo_conformance.schemathesis_checks import (
    SCHEMATHESIS_CHECKS,
    as_schemathesis_response,
    check_name,
    severity_for,
)
from kombo_conformance.settings import Settings
from kombo_conformance.transport import Target, as_request

Recorder = Callable[[str, Exchange], None]  # (connector, exchange)
Progress = Callable[[str, int, int, str], None]  # (connector, done, total, operation)


@dataclass(frozen=True)
class Connection:
    """One connector as the run addresses it."""

    slug: str
    integration_id: str
    profile: ConnectorProfile | None


@dataclass
class OperationResult:
    findings: list[Finding] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    requests: int = 0


def plan_connections(contract: Contract, settings: Settings) -> list[Connection]:
    """The connectors to test, each with its integration id, in a stable order."""
    slugs = list(settings.connectors) or [
        s for s in (*settings.integration_ids,) if s in contract.profiles
    ]
    if not slugs:
        slugs = [s for s in ("sandbox", "homerun", "workday", "moodle") if s in contract.profiles]
        slugs = slugs or sorted(contract.profiles)[:4]
    unknown = [s for s in slugs if s not in contract.profiles and s not in settings.integration_ids]
    if unknown:
        raise UsageError(
            f"unknown connector(s) {', '.join(unknown)}: no profile in the contracts "
            f"(known: {', '.join(sorted(contract.profiles)) or 'none'}); pass an integration id "
            "with --integration-id <connector>:<id> to test a connector without a profile"
        )
    return [
        Connection(
            slug=s,
            integration_id=settings.integration_ids.get(s, f"{s}:conformance"),
            profile=contract.profiles.get(s),
        )
        for s in dict.fromkeys(slugs)
    ]


def plan_operations(contract: Contract, settings: Settings) -> list[Operation]:
    if not settings.operations:
        return list(contract.operations.values())
    unknown = [o for o in settings.operations if o not in contract.operations]
    if unknown:
        raise UsageError(f"unknown operation(s): {', '.join(unknown)} (use 'METHOD /path')")
    return [contract.operations[o] for o in settings.operations]


class ConformanceRun:
    """Runs the suite against one target; see the module docstring."""

    def __init__(
        self,
        contract: Contract,
        settings: Settings,
        target: Target,
        *,
        progress: Progress | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.contract = contract
        self.settings = settings
        self.target = target
        self.progress = progress
        self.recorder = recorder
        self.generator = CaseGenerator(contract, seed=settings.seed)
        self.response_checks, self.probes, self.schemathesis_checks = select_checks(settings.checks)
        self._pools: dict[str, IdPool] = {}

    # -- sending -------------------------------------------------------------------------

    def sender(self, connection: Connection, operation: Operation) -> Callable[[Request], Exchange]:
        def send(request: Request) -> Exchange:
            return self._send(connection, request, self._operation_key(request, operation))

        return send

    def _operation_key(self, request: Request, default: Operation) -> str:
        if request.method == default.method and _matches(default.path, request.path):
            return default.key
        for op in self.contract.operations.values():
            if op.method == request.method and _matches(op.path, request.path):
                return op.key
        return ""

    def _send(self, connection: Connection, request: Request, operation: str) -> Exchange:
        exchange = self.target.send(
            request,
            integration_id=connection.integration_id,
            operation=operation,
            connector=connection.slug,
        )
        if self.recorder is not None:
            self.recorder(connection.slug, exchange)
        return exchange

    def pool(self, connection: Connection) -> IdPool:
        if connection.slug not in self._pools:
            self._pools[connection.slug] = IdPool(
                self.contract, lambda r, key: self._send(connection, r, key)
            )
        return self._pools[connection.slug]

    # -- the run -------------------------------------------------------------------------

    def execute(
        self, connections: Sequence[Connection], operations: Sequence[Operation]
    ) -> Outcome:
        started = datetime.now(UTC)
        clock = time.perf_counter()
        outcome = Outcome(command="run", started_at=started.isoformat(timespec="seconds"))
        requests = 0
        for connection in connections:
            for done, operation in enumerate(operations, start=1):
                result = self.run_operation(connection, operation)
                outcome.findings += result.findings
                outcome.cases += result.cases
                requests += result.requests
                if self.progress:
                    self.progress(connection.slug, done, len(operations), operation.key)
        outcome.duration_s = round(time.perf_counter() - clock, 3)
        outcome.meta.update(
            target=self.target.base_url,
            connectors={c.slug: c.integration_id for c in connections},
            operations=len(operations),
            requests=requests,
            seed=self.settings.seed,
            max_examples=self.settings.max_examples,
            secrets=[self.target.api_key],
        )
        return outcome

    def run_connection(
        self, connection: Connection, operations: Sequence[Operation]
    ) -> OperationResult:
        """Every operation for one connector."""
        total = OperationResult()
        for done, operation in enumerate(operations, start=1):
            result = self.run_operation(connection, operation)
            total.findings += result.findings
            total.cases += result.cases
            total.requests += result.requests
            if self.progress:
                self.progress(connection.slug, done, len(operations), operation.key)
        return total

    def _in_worker_processes(
        self, connections: Sequence[Connection], operations: Sequence[Operation]
    ) -> list[OperationResult]:
        """One connector per task over ``workers`` processes (generation is CPU-bound, so
        threads do not help; processes do). Results keep the connectors' order."""
        context = multiprocessing.get_context("spawn")
        keys = [op.key for op in operations]
        with ProcessPoolExecutor(self.settings.workers, mp_context=context) as pool:
            futures = [
                pool.submit(
                    _run_connection_in_worker,
                    self.settings,
                    self.target.base_url,
                    self.target.api_key,
                    c.slug,
                    keys,
                )
                for c in connections
            ]
            results = []
            for connection, future in zip(connections, futures, strict=True):
                results.append(future.result())
                if self.progress:
                    self.progress(connection.slug, len(keys), len(keys), "")
            return results

    def context(self, connection: Connection, operation: Operation) -> CheckContext:
        ctx = CheckContext(
            contract=self.contract,
            operation=operation,
            connector=connection.slug,
            profile=connection.profile,
            send=self.sender(connection, operation),
            strict=self.settings.strict,
        )
        ctx.notes["secrets"] = [self.target.api_key]
        return ctx

    def run_operation(self, connection: Connection, operation: Operation) -> OperationResult:
        """Everything the suite does for one connector and operation.

        A declared operation gets generated requests (positive and negative) and every
        probe; an undeclared one gets one generated request, enough for the response checks
        (``availability`` among them) to tell whether it is really unavailable. Exchanges a
        probe makes on other operations (to find ids, to read after a write) are judged
        against the operation they hit.
        """
        ctx = self.context(connection, operation)
        result = OperationResult()
        declared = connection.profile is None or connection.profile.supports(operation.key)
        judges_responses = bool(self.response_checks or self.schemathesis_checks)
        exchanges: list[tuple[Exchange, SchemathesisCase | None]] = []
        if judges_responses:
            positive = self.settings.max_examples if declared else 1
            exchanges += self._generated(connection, operation, "positive", positive)
            if declared:
                negative = max(1, self.settings.max_examples // 2)
                exchanges += self._generated(connection, operation, "negative", negative)
        for name, probe in self.probes.items() if declared else ():
            found, probe_exchanges = probe(ctx)
            result.findings += found
            result.cases.append(Case(connection.slug, operation.key, name))
            exchanges += [(e, None) for e in probe_exchanges]
        for exchange, case in exchanges:
            judge = ctx if exchange.operation == operation.key else self._context_of(ctx, exchange)
            if judge is None:
                continue
            for check in self.response_checks.values():
                result.findings += check(judge, exchange)
            if case is not None:
                result.findings += self._schemathesis_checks(ctx, case, exchange)
        checked = [*self.response_checks, *(self.schemathesis_checks if declared else ())]
        result.cases += [Case(connection.slug, operation.key, name) for name in checked]
        result.requests = len(exchanges)
        result.findings = deduplicate(result.findings)
        return result

    def _context_of(self, ctx: CheckContext, exchange: Exchange) -> CheckContext | None:
        operation = self.contract.operations.get(exchange.operation)
        if operation is None:
            return None
        other = CheckContext(
            contract=self.contract,
            operation=operation,
            connector=ctx.connector,
            profile=ctx.profile,
            send=None,
            strict=ctx.strict,
        )
        other.notes["secrets"] = ctx.notes.get("secrets", [])
        return other

    def _generated(
        self, connection: Connection, operation: Operation, mode: Mode, count: int
    ) -> list[tuple[Exchange, SchemathesisCase]]:
        fixed = self.pool(connection).path_parameters(operation)
        cases = self.generator.cases(
            operation,
            mode=mode,
            count=count,
            integration_id=connection.integration_id,
            path_parameters=fixed if mode == "positive" else None,
        )
        sent = []
        for case in cases:
            kwargs = case.as_transport_kwargs(base_url=self.target.base_url)
            request = as_request(kwargs, self.target.base_url)
            sent.append((self._send(connection, request, operation.key), case))
        return sent

    def _schemathesis_checks(
        self, ctx: CheckContext, case: SchemathesisCase, exchange: Exchange
    ) -> list[Finding]:
        response = as_schemathesis_response(exchange)
        try:
            case.validate_response(
                response,
                checks=list(self.schemathesis_checks.values()),
                headers=exchange.request.headers,
                transport_kwargs={"base_url": self.target.base_url},
            )
        except FailureGroup as group:
            return [_schemathesis_finding(ctx, f, exchange) for f in group.exceptions]
        except Failure as failure:
            return [_schemathesis_finding(ctx, failure, exchange)]
        return []


def select_checks(names: Sequence[str]) -> tuple[dict, dict, dict]:
    """(response checks, probes, schemathesis checks) named, or all of them for none."""
    if not names:
        response, probes = kombo_checks.select(None)
        return response, probes, dict(SCHEMATHESIS_CHECKS)
    ours = [n for n in names if n in kombo_checks.ALL_CHECKS]
    theirs = [n for n in names if n in SCHEMATHESIS_CHECKS]
    unknown = [n for n in names if n not in ours and n not in theirs]
    if unknown:
        raise UsageError(
            f"unknown check(s) {', '.join(unknown)}; known: "
            + ", ".join([*kombo_checks.ALL_CHECKS, *SCHEMATHESIS_CHECKS])
        )
    response, probes = kombo_checks.select(ours) if ours else ({}, {})
    return response, probes, {n: SCHEMATHESIS_CHECKS[n] for n in theirs}


def _run_connection_in_worker(
    settings: Settings, base_url: str, api_key: str, slug: str, operation_keys: list[str]
) -> OperationResult:
    """Entry point of a worker process: load the contract again, run one connector."""
    from kombo_conformance.contract import load_contract

    contract = load_contract(settings.contracts or None, validate=False)
    connection = next(c for c in plan_connections(contract, settings) if c.slug == slug)
    with Target(base_url, api_key, timeout=settings.timeout) as target:
        engine = ConformanceRun(contract, settings, target)
        return engine.run_connection(connection, [contract.operations[k] for k in operation_keys])


def _schemathesis_finding(ctx: CheckContext, failure: Failure, exchange: Exchange) -> Finding:
    message = " ".join(failure.message.split())[:300] if failure.message else ""
    name = check_name(failure)
    return finding(
        ctx,
        name,
        f"{failure.title}: {message}" if message else failure.title,
        exchange,
        severity=severity_for(name, ctx.operation),
        details={"code": getattr(failure, "code", "")},
    )


def _matches(template: str, path: str) -> bool:
    left, right = template.strip("/").split("/"), path.split("?")[0].strip("/").split("/")
    return len(left) == len(right) and all(
        a == b or (a.startswith("{") and a.endswith("}")) for a, b in zip(left, right, strict=True)
    )
