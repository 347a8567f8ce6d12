"""Opening the target a run talks to, as the settings say, and checking it answers.

The user's ``--base-url`` (writes only with ``--allow-writes``, a rate limit per
integration, retries on 429/503), or the bundled sandbox started on a free loopback port
for the duration of the run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from kombo_conformance.contract import Contract, Operation
from kombo_conformance.errors import TargetError, TargetRefused
from kombo_conformance.exchange import Exchange
from kombo_conformance.settings import SANDBOX_API_KEY, Settings
from kombo_conformance.transport import Target, preflight

PREFLIGHT_TRIES = 3  # list operations tried before the target is declared unreachable
CHECK_API_KEY = "GET /check-api-key"


@contextlib.contextmanager
def open_settings_target(
    contract: Contract, settings: Settings, base_url: str, api_key: str
) -> Iterator[Target]:
    """A Target for ``base_url`` with the settings' timeout, write permission and politeness."""
    with Target(
        base_url,
        api_key,
        timeout=settings.timeout,
        allow_writes=settings.writes_allowed,
        rate_limit=settings.requests_per_second,
        transient_codes=contract.transient_codes,
    ) as target:
        yield target


@contextlib.contextmanager
def open_target(contract: Contract, settings: Settings) -> Iterator[Target]:
    """The user's base URL, or the bundled sandbox started for the duration of the run."""
    if settings.base_url is not None:
        with open_settings_target(
            contract, settings, settings.base_url, settings.api_key or ""
        ) as target:
            yield target
        return
    from kombo_conformance.sandbox.server import running_sandbox

    with (
        running_sandbox(
            contract, api_key=SANDBOX_API_KEY, seed=settings.seed, faults=settings.faults
        ) as base_url,
        open_settings_target(contract, settings, base_url, SANDBOX_API_KEY) as target,
    ):
        yield target


@dataclass(frozen=True)
class Preflight:
    """The answer that proved the target usable, and the environment behind the key (the
    ``data.environment_id`` of ``GET /check-api-key``; None when it was not asked)."""

    exchange: Exchange
    environment: str | None = None


def _environment(exchange: Exchange) -> str | None:
    body = exchange.json
    data = body.get("data") if isinstance(body, dict) else None
    value = data.get("environment_id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def preflight_any(
    target: Target,
    operations: Sequence[Operation],
    integration_id: str | None,
    contract: Contract | None = None,
) -> Preflight:
    """Prove the target is a reachable, Kombo-shaped API that accepts the key: with
    ``GET /check-api-key`` when the contract has it (Kombo's own key check, which names the
    environment), else (or when that answers an error) on the first of up to
    :data:`PREFLIGHT_TRIES` list operations that answers: one hanging operation is that
    operation's finding, not a reason to stop the run."""
    first: TargetError | None = None
    if contract is not None and CHECK_API_KEY in contract.operations:
        try:
            checked = preflight(target, contract.operations[CHECK_API_KEY].path, None)
            if 200 <= checked.status < 300:
                return Preflight(checked, _environment(checked))
        except TargetRefused:
            raise
        except TargetError as exc:
            first = exc
    lists = [o for o in operations if o.conventions.is_list] or list(operations[:1])
    for operation in lists[:PREFLIGHT_TRIES]:
        try:
            return Preflight(preflight(target, operation.path, integration_id))
        except TargetRefused:
            raise
        except TargetError as exc:
            first = first or exc
    assert first is not None
    raise first


def changes_of(target: Target) -> list[dict[str, Any]]:
    """The records the run created or changed on the target, as report rows."""
    return [asdict(change) for change in target.changes]


def stats_of(target: Target) -> dict[str, float]:
    """The target's politeness counters (requests, retries, seconds waited, 429s)."""
    stats = target.stats
    return dict(asdict(stats)) if not isinstance(stats, dict) else dict(stats)
