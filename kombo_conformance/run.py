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
from kombo_conformance.checks.session import ProbeResult, ProbeStopped
from kombo_conformance.contract import ConnectorProfile, Contract, Operation
from kombo_conformance.contract.declaration import Declaration
from kombo_conformance.errors import Inconclusive, TargetError, UsageError, WriteNotAllowed
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.findings import (
    Case,
    Finding,
    Outcome,
    RequestRecord,
    Verdict,
    deduplicate,
)
from kombo_conformance.generation import CaseGenerator, Mode
from kombo_conformance.redact import Redactor, env_secrets
from kombo_conformance.repro import curl_command
from kombo_conformance.resources import IdPool
from kombo_conformance.schemathesis_checks import (
    SCHEMATHESIS_CHECKS,
    as_schemathesis_response,
    check_name,
    rule_for,
    severity_for,
)
from kombo_conformance.settings import Settings
from kombo_conformance.targets import changes_of, open_settings_target, stats_of
from kombo_conformance.transport import Target, as_request

MAX_OPERATION_FAILURES = 3  # timeouts or resets of one operation before nothing more is sent
REACHABILITY_RULE = (
    "the contract documents an answer for every request (200 or the default error "
    "envelope); no answer within --timeout is neither"
)

Recorder = Callable[[str, Exchange], None]  # (connector, exchange)
Progress = Callable[[str, int, int, str], None]  # (connector, done, total, operation)


@dataclass(frozen=True)
class Connection:
    """One connector as the run addresses it.

    ``profile`` drives the run: the one the target's ``declaration`` makes when it gave one
    (see :mod:`kombo_conformance.learn`), else the hand profile. ``hand_profile`` is
    ``contracts/connectors/<slug>.yaml`` (compared with the declaration, never preferred),
    ``named`` the connector the settings named when the target declared another, ``note``
    why there is no declaration.
    """

    slug: str
    integration_id: str
    profile: ConnectorProfile | None
    declaration: Declaration | None = None
    hand_profile: ConnectorProfile | None = None
    named: str = ""
    note: str = ""


@dataclass
class OperationResult:
    findings: list[Finding] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    requests: int = 0

    def add(self, other: OperationResult) -> None:
        self.findings += other.findings
        self.cases += other.cases
        self.requests += other.requests


class OperationStopped(TargetError):
    """Not sent: the operation already failed to answer :data:`MAX_OPERATION_FAILURES` times."""


@dataclass
class _Generated:
    """The generated exchanges of one operation, and why none were sent when none were."""

    exchanges: list[tuple[Exchange, SchemathesisCase]] = field(default_factory=list)
    verdict: Verdict = "passed"
    note: str = ""


def plan_connections(contract: Contract, settings: Settings) -> list[Connection]:
    """The connectors to test, each with its integration id, in a stable order."""
    slugs = list(settings.connectors) or list(settings.integration_ids)
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
            hand_profile=contract.profiles.get(s),
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
    """Runs the suite against one target; see the module docstring.

    A timeout or reset is a ``reachability`` finding on the operation it hit, and after
    :data:`MAX_OPERATION_FAILURES` of them the run stops sending to that operation (its
    remaining checks are ``not run``); the other operations go on.
    """

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
        self.generator = CaseGenerator(contract, seed=settings.seed, data_url=settings.data_url)
        self.response_checks, self.probes, self.schemathesis_checks = select_checks(settings.checks)
        self._pools: dict[str, IdPool] = {}
        self._failures: dict[tuple[str, str], int] = {}
        self._unreachable: list[Finding] = []

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
        key = (connection.slug, operation)
        if self._failures.get(key, 0) >= MAX_OPERATION_FAILURES:
            raise OperationStopped(
                f"{operation} stopped answering ({MAX_OPERATION_FAILURES} timeouts or resets): "
                "nothing more is sent to it"
            )
        try:
            exchange = self.target.send(
                request,
                integration_id=connection.integration_id,
                operation=operation,
                connector=connection.slug,
            )
        except TargetError as exc:
            self._failures[key] = self._failures.get(key, 0) + 1
            self._unreachable.append(self._unreachable_finding(connection, operation, request, exc))
            raise
        if self.recorder is not None:
            self.recorder(connection.slug, exchange)
        return exchange

    def _unreachable_finding(
        self, connection: Connection, operation: str, request: Request, error: Exception
    ) -> Finding:
        redactor = Redactor([self.target.api_key, *env_secrets()])
        url = self.target.base_url + request.path
        headers = self.target.headers_for(request, connection.integration_id)
        return Finding(
            check="reachability",
            message=redactor.text(str(error)),
            connector=connection.slug,
            operation=operation,
            pointer=request.method,
            rule=REACHABILITY_RULE,
            request=RequestRecord(request.method, redactor.url(url), redactor.headers(headers)),
            reproduction=curl_command(request.method, url, headers, request.body, redactor),
        )

    def pool(self, connection: Connection) -> IdPool:
        """The integration's ids (one pool per integration: two of a connector differ)."""
        if connection.integration_id not in self._pools:
            self._pools[connection.integration_id] = IdPool(
                self.contract,
                lambda r, key: self._send(connection, r, key),
                connection.integration_id,
            )
        return self._pools[connection.integration_id]

    # -- the run -------------------------------------------------------------------------

    def execute(
        self, connections: Sequence[Connection], operations: Sequence[Operation]
    ) -> Outcome:
        started = datetime.now(UTC)
        clock = time.perf_counter()
        outcome = Outcome(command="run", started_at=started.isoformat(timespec="seconds"))
        if self.settings.workers > 1 and len(connections) > 1:
            results, changes, stats = self._in_worker_processes(connections, operations)
        else:
            results = [self.run_connection(c, operations) for c in connections]
            changes, stats = changes_of(self.target), stats_of(self.target)
        total = OperationResult()
        for result in results:
            total.add(result)
        outcome.findings, outcome.cases = total.findings, total.cases
        outcome.duration_s = round(time.perf_counter() - clock, 3)
        outcome.meta.update(
            target=self.target.base_url,
            connectors={c.slug: c.integration_id for c in connections},
            operations=len(operations),
            requests=total.requests,
            seed=self.settings.seed,
            max_examples=self.settings.max_examples,
            workers=self.settings.workers,
            writes_allowed=self.settings.writes_allowed,
            changes=changes,
            politeness={"rate_limit": self.settings.requests_per_second, **stats},
            secrets=[self.target.api_key],
        )
        return outcome

    def run_connection(
        self, connection: Connection, operations: Sequence[Operation]
    ) -> OperationResult:
        """Every operation for one connector."""
        total = OperationResult()
        for done, operation in enumerate(operations, start=1):
            total.add(self.run_operation(connection, operation))
            if self.progress:
                self.progress(connection.slug, done, len(operations), operation.key)
        return total

    def _in_worker_processes(
        self, connections: Sequence[Connection], operations: Sequence[Operation]
    ) -> tuple[list[OperationResult], list[dict], dict[str, float]]:
        """One connector per task over ``workers`` processes (generation is CPU-bound, so
        threads do not help; processes do). Results keep the connectors' order; each
        worker has its own Target, and the rate limit is per integration, so it holds."""
        context = multiprocessing.get_context("spawn")
        keys = [op.key for op in operations]
        workers = min(self.settings.workers, len(connections))
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = [
                pool.submit(
                    _run_connection_in_worker,
                    self.settings,
                    self.target.base_url,
                    self.target.api_key,
                    c,
                    keys,
                )
                for c in connections
            ]
            results, changes, stats = [], [], {}
            for connection, future in zip(connections, futures, strict=True):
                result, made, counted = future.result()
                results.append(result)
                changes += made
                for name, value in counted.items():
                    stats[name] = round(stats.get(name, 0) + value, 3)
                if self.progress:
                    self.progress(connection.slug, len(keys), len(keys), "")
            return results, changes, stats

    def context(self, connection: Connection, operation: Operation) -> CheckContext:
        ctx = CheckContext(
            contract=self.contract,
            operation=operation,
            connector=connection.slug,
            profile=connection.profile,
            send=self.sender(connection, operation),
            strict=self.settings.strict,
            consistency_timeout=self.settings.consistency_timeout,
            data_url=self.settings.data_url,
            declaration=connection.declaration,
        )
        ctx.notes["secrets"] = [self.target.api_key]
        return ctx

    def run_operation(self, connection: Connection, operation: Operation) -> OperationResult:
        """Everything the suite does for one connector and operation.

        A declared operation gets generated requests (positive and negative) and every
        probe; an undeclared one gets one generated request, enough for the response checks
        (``availability`` among them) to tell whether it is really unavailable. Exchanges a
        probe makes on other operations (to find ids, to read after a write) are judged
        against the operation they hit. Every check gets a case with its verdict.
        """
        ctx = self.context(connection, operation)
        result = OperationResult()
        declared = connection.profile is None or connection.profile.supports(operation.key)
        generated = _Generated()
        if self.response_checks or self.schemathesis_checks:
            positive = self.settings.max_examples if declared else 1
            generated = self._generated(connection, operation, "positive", positive)
            if declared and generated.exchanges:
                negative = max(1, self.settings.max_examples // 2)
                generated.exchanges += self._generated(
                    connection, operation, "negative", negative
                ).exchanges
        exchanges: list[tuple[Exchange, SchemathesisCase | None]] = list(generated.exchanges)
        for name, probe in self.probes.items() if declared else ():
            outcome = self._probe(probe, ctx)
            result.findings += outcome.findings
            result.cases.append(
                Case(
                    connection.slug,
                    operation.key,
                    name,
                    outcome.verdict,
                    outcome.note,
                    outcome.bounded,
                )
            )
            exchanges += [(e, None) for e in outcome.exchanges]
        judged = 0
        for exchange, case in exchanges:
            judge = ctx if exchange.operation == operation.key else self._context_of(ctx, exchange)
            if judge is None:
                continue
            judged += exchange.operation == operation.key
            for check in self.response_checks.values():
                result.findings += check(judge, exchange)
            if case is not None:
                result.findings += self._schemathesis_checks(ctx, case, exchange)
        verdict: Verdict = "passed"
        note = ""
        if not judged:
            verdict, note = generated.verdict, generated.note
            if verdict == "passed":
                verdict, note = "not run", "no exchange with this operation was made"
        result.cases += [
            Case(connection.slug, operation.key, name, verdict, note)
            for name in self.response_checks
        ]
        made, why = generated.verdict, generated.note
        if not generated.exchanges and made == "passed":
            made, why = "not run", "no request could be generated"
        result.cases += [
            Case(connection.slug, operation.key, name, made, why)
            for name in self.schemathesis_checks
        ]
        result.requests = len(exchanges)
        result.findings = deduplicate([*result.findings, *self._drain_unreachable()])
        unreachable = {f.operation for f in result.findings if f.check == "reachability"}
        result.cases += [Case(connection.slug, key, "reachability") for key in sorted(unreachable)]
        return result

    def _drain_unreachable(self) -> list[Finding]:
        found, self._unreachable = self._unreachable, []
        return found

    def _probe(self, probe: kombo_checks.Probe, ctx: CheckContext) -> ProbeResult:
        """Run one probe; a stopped probe keeps what it found before it stopped."""
        try:
            return probe(ctx)
        except ProbeStopped as stopped:
            return stopped.result
        except OperationStopped as exc:
            return ProbeResult(verdict="not run", note=str(exc))
        except TargetError as exc:
            return ProbeResult(verdict="inconclusive", note=f"the target did not answer: {exc}")

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
            declaration=ctx.declaration,
        )
        other.notes["secrets"] = ctx.notes.get("secrets", [])
        return other

    def _generated(
        self, connection: Connection, operation: Operation, mode: Mode, count: int
    ) -> _Generated:
        """Send ``count`` generated cases; a write to a target that does not allow writes,
        an operation that stopped answering, or a rate limit that never lifts leaves the
        cases unsent with the reason."""
        out = _Generated()
        if operation.method != "GET" and not self.settings.writes_allowed:
            return _Generated(verdict="not run", note="writes not allowed (--allow-writes)")
        try:
            fixed = self.pool(connection).path_parameters(operation)
        except (TargetError, Inconclusive) as exc:
            return _Generated(verdict="inconclusive", note=f"no ids for the path: {exc}")
        cases = self.generator.cases(
            operation,
            mode=mode,
            count=count,
            integration_id=connection.integration_id,
            path_parameters=fixed if mode == "positive" else None,
        )
        reasons: list[str] = []
        for case in cases:
            kwargs = case.as_transport_kwargs(base_url=self.target.base_url)
            request = as_request(kwargs, self.target.base_url)
            try:
                out.exchanges.append((self._send(connection, request, operation.key), case))
            except (WriteNotAllowed, OperationStopped) as exc:
                return _Generated(out.exchanges, "not run", str(exc).removeprefix("not run: "))
            except (TargetError, Inconclusive) as exc:
                reasons.append(str(exc))
        if not out.exchanges and reasons:
            out.verdict, out.note = "inconclusive", reasons[0]
        return out

    def _schemathesis_checks(
        self, ctx: CheckContext, case: SchemathesisCase, exchange: Exchange
    ) -> list[Finding]:
        """The selected schemathesis checks' failures on one exchange; none selected, none
        run (schemathesis would run its whole default set for an empty list)."""
        if not self.schemathesis_checks:
            return []
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
    settings: Settings,
    base_url: str,
    api_key: str,
    connection: Connection,
    operation_keys: list[str],
) -> tuple[OperationResult, list[dict], dict[str, float]]:
    """Entry point of a worker process: load the contract again, run one connector (as
    planned and learned by the parent); returns its result, the records it changed and its
    politeness counters."""
    from kombo_conformance.contract import load_contract

    contract = load_contract(settings.contracts or None, validate=False)
    with open_settings_target(contract, settings, base_url, api_key) as target:
        engine = ConformanceRun(contract, settings, target)
        result = engine.run_connection(connection, [contract.operations[k] for k in operation_keys])
        return result, changes_of(target), stats_of(target)


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
        rule=rule_for(name),
    )


def _matches(template: str, path: str) -> bool:
    left, right = template.strip("/").split("/"), path.split("?")[0].strip("/").split("/")
    return len(left) == len(right) and all(
        a == b or (a.startswith("{") and a.endswith("}")) for a, b in zip(left, right, strict=True)
    )
