"""Replay: re-judge recorded responses against the current contracts, without network.

Each interaction becomes an :class:`Exchange` (``source`` = ``<cassette>#<index>``, the
connector = the cassette's folder, the operation matched by method + path template) and is
judged by every response check (status, media type, envelopes, schema, availability
against the connector's profile) and the recorded-request checks; every chain of recorded
list pages (:mod:`.chains`) is judged by ``judge_pages``. ``send`` is None: checks that
would need a follow-up request judge only what was recorded.

Findings are kept per exchange (one per distinct problem and ``source``); the outcome's
``meta["judged"]`` counts the interactions and chains judged and lists what was not judged,
and why.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kombo_conformance import checks
from kombo_conformance.cassettes.chains import NotJudged, gaps, recorded_chains
from kombo_conformance.cassettes.layout import connector_of, discover
from kombo_conformance.cassettes.load import load_cassette
from kombo_conformance.cassettes.match import OperationIndex
from kombo_conformance.cassettes.serialize import to_exchange
from kombo_conformance.contract import Contract, Operation
from kombo_conformance.errors import CassetteError, UsageError
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Case, Finding, Outcome

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


@dataclass
class Judged:
    """What replay judged and what it could not judge, for the summary."""

    interactions: int = 0
    chains: int = 0
    not_judged: list[NotJudged] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "interactions": self.interactions,
            "chains": self.chains,
            "not_judged": [item.to_dict() for item in self.not_judged],
        }


def judge(
    contract: Contract,
    connector: str,
    operation: Operation,
    exchanges: list[Exchange],
    judged: Judged | None = None,
) -> tuple[list[Finding], list[Case]]:
    """Every response and request check on every exchange, then every recorded page chain;
    ``judged`` (when given) counts what was judged and collects what was not."""
    judged = judged if judged is not None else Judged()
    ctx = checks.CheckContext(
        contract=contract,
        operation=operation,
        connector=connector,
        profile=contract.profiles.get(connector),
        send=None,
    )
    exchange_checks = {**checks.RESPONSE_CHECKS, **checks.REQUEST_CHECKS}
    found: list[Finding] = []
    for exchange in exchanges:
        for check in exchange_checks.values():
            found += check(ctx, exchange)
    judged.interactions += len(exchanges)
    names = list(exchange_checks)
    if operation.conventions.is_list:
        chains, orphans = recorded_chains(exchanges)
        for chain in chains:
            found += checks.judge_pages(ctx, chain.pages)
        judged.chains += len(chains)
        judged.not_judged += [*gaps(chains), *orphans]
        names += PAGE_CHECKS
    return found, [Case(connector, operation.key, name) for name in names]


def distinct(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per problem and exchange: the same problem of two recorded exchanges is
    two findings (reports may group them), in first-seen order."""
    seen: dict[tuple[str, str, str | None], Finding] = {}
    for item in findings:
        seen.setdefault((item.fingerprint, item.message, item.source), item)
    return list(seen.values())


def _not_replayed(findings: Iterable[Finding]) -> list[NotJudged]:
    """The cassettes and interactions that could not be replayed, from their findings."""
    return [
        NotJudged(f.source or "", f.message)
        for f in findings
        if f.check in (FORMAT_CHECK, MATCH_CHECK)
    ]


def replay(contract: Contract, directory: str | Path, connectors: Sequence[str] = ()) -> Outcome:
    """Replay every cassette under ``directory`` (only ``connectors`` when given)."""
    started = datetime.now(UTC)
    clock = time.perf_counter()
    files = cassette_files(directory, connectors)
    tape = read_tape(files, OperationIndex(contract))
    outcome = Outcome(command="replay", started_at=started.isoformat(timespec="seconds"))
    outcome.findings += tape.findings
    judged = Judged(not_judged=_not_replayed(tape.findings))
    for (connector, key), exchanges in sorted(tape.exchanges.items()):
        found, cases = judge(contract, connector, contract.operations[key], exchanges, judged)
        outcome.findings += found
        outcome.cases += cases
    outcome.findings = distinct(outcome.findings)
    outcome.duration_s = round(time.perf_counter() - clock, 3)
    outcome.meta.update(
        directory=str(directory),
        connectors=sorted({connector_of(p) for p in files}),
        cassettes=tape.cassettes,
        interactions=tape.interactions,
        replayed=sum(len(e) for e in tape.exchanges.values()),
        judged=judged.to_dict(),
    )
    return outcome
