"""Replay: re-judge recorded responses against the current contracts, without network.

Each interaction becomes an :class:`Exchange` (``source`` = ``<cassette>#<index>``, the
connector = the cassette's folder, the operation matched by method + path template) and is
judged by every response check (status, envelopes, schema, availability against the
connector's profile); recorded list pages are judged by ``judge_pages``. ``send`` is None:
checks that would need a follow-up request judge only what was recorded.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kombo_conformance import checks
from kombo_conformance.cassettes.layout import connector_of, discover
from kombo_conformance.cassettes.load import load_cassette
from kombo_conformance.cassettes.match import OperationIndex
from kombo_conformance.cassettes.serialize import to_exchange
from kombo_conformance.contract import Contract, Operation
from kombo_conformance.errors import CassetteError, UsageError
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Case, Finding, Outcome, deduplicate

FORMAT_CHECK = "cassette_format"
MATCH_CHECK = "cassette_operation"
PAGE_CHECKS = ("pagination", "page_size")


@dataclass
class Tape:
    """The replayable exchanges of a directory and what could not be replayed."""

    exchanges: dict[tuple[str, str], list[Exchange]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    cassettes: int = 0
    interactions: int = 0


def cassette_files(directory: str | Path, connectors: Sequence[str] = ()) -> list[Path]:
    """The cassettes to replay, or a UsageError saying why there are none."""
    root = Path(directory)
    if not root.is_dir():
        raise UsageError(
            f"no cassette directory at {root}: record cassettes first with "
            "`kombo-conformance run --record --cassette-dir DIR` or pass the directory that "
            "holds them (`kombo-conformance replay DIR`)"
        )
    known = sorted(p.name for p in root.iterdir() if p.is_dir())
    missing = [c for c in connectors if c not in known]
    if missing:
        raise UsageError(
            f"no cassettes for connector(s) {', '.join(missing)} in {root} "
            f"(recorded: {', '.join(known) or 'none'})"
        )
    files = discover(root, connectors)
    if not files:
        raise UsageError(
            f"no cassettes in {root}: expected <connector>/<METHOD>_<path>.yaml files; record "
            "them with `kombo-conformance run --record --cassette-dir DIR`"
        )
    return files


def _format_finding(connector: str, source: str, reason: str) -> Finding:
    return Finding(
        check=FORMAT_CHECK, message=reason, severity="error", connector=connector, source=source
    )


def read_tape(files: Iterable[Path], index: OperationIndex) -> Tape:
    """Load every cassette; malformed ones and unmatched requests become findings."""
    tape = Tape()
    for path in files:
        connector = connector_of(path)
        tape.cassettes += 1
        try:
            cassette = load_cassette(path)
        except CassetteError as exc:
            tape.findings.append(_format_finding(connector, str(path), f"cassette {exc.reason}"))
            continue
        for bad in cassette.problems:
            tape.findings.append(_format_finding(connector, f"{path}#{bad.index}", bad.reason))
        for position, interaction in cassette.interactions:
            tape.interactions += 1
            request = interaction["request"]
            source = f"{path}#{position}"
            operation, relative = index.match_uri(request["method"], request["uri"])
            if operation is None:
                tape.findings.append(_unmatched(connector, source, request))
                continue
            exchange = to_exchange(
                interaction,
                path=relative,
                operation=operation.key,
                connector=connector,
                source=source,
            )
            tape.exchanges.setdefault((connector, operation.key), []).append(exchange)
    return tape


def _unmatched(connector: str, source: str, request: dict) -> Finding:
    return Finding(
        check=MATCH_CHECK,
        message=(
            f"recorded {request['method']} {request['uri']} matches no operation of the "
            "contract (removed or renamed?); not judged"
        ),
        severity="warning",
        connector=connector,
        source=source,
    )


def judge(
    contract: Contract, connector: str, operation: Operation, exchanges: list[Exchange]
) -> tuple[list[Finding], list[Case]]:
    """Every response check on every exchange, then the recorded list pages."""
    ctx = checks.CheckContext(
        contract=contract,
        operation=operation,
        connector=connector,
        profile=contract.profiles.get(connector),
        send=None,
    )
    found: list[Finding] = []
    for exchange in exchanges:
        for check in checks.RESPONSE_CHECKS.values():
            found += check(ctx, exchange)
    names = list(checks.RESPONSE_CHECKS)
    if operation.conventions.is_list:
        for pages in _queries(exchanges).values():
            found += checks.judge_pages(ctx, pages)
        names += PAGE_CHECKS
    return found, [Case(connector, operation.key, name) for name in names]


def _queries(exchanges: list[Exchange]) -> dict[tuple[tuple[str, str], ...], list[Exchange]]:
    """List pages grouped by their query without the cursor: one chain per query."""
    groups: dict[tuple[tuple[str, str], ...], list[Exchange]] = {}
    for exchange in exchanges:
        if exchange.request.method == "GET" and exchange.status == 200:
            key = tuple(sorted((k, v) for k, v in exchange.request.query.items() if k != "cursor"))
            groups.setdefault(key, []).append(exchange)
    return groups


def replay(contract: Contract, directory: str | Path, connectors: Sequence[str] = ()) -> Outcome:
    """Replay every cassette under ``directory`` (only ``connectors`` when given)."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    files = cassette_files(directory, connectors)
    tape = read_tape(files, OperationIndex(contract))
    outcome = Outcome(command="replay", started_at=started.isoformat(timespec="seconds"))
    outcome.findings += tape.findings
    for (connector, key), exchanges in sorted(tape.exchanges.items()):
        found, cases = judge(contract, connector, contract.operations[key], exchanges)
        outcome.findings += found
        outcome.cases += cases
    outcome.findings = deduplicate(outcome.findings)
    outcome.duration_s = round(time.perf_counter() - clock, 3)
    outcome.meta.update(
        directory=str(directory),
        connectors=sorted({connector_of(p) for p in files}),
        cassettes=tape.cassettes,
        interactions=tape.interactions,
        replayed=sum(len(e) for e in tape.exchanges.values()),
    )
    return outcome
