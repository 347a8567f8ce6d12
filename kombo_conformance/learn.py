"""A run learns its connectors from the target.

Before anything is tested, each integration is looked up with ``GET
/integrations/{integration_id}`` (when the contract has that operation): the answer names
the connector (``tool.id``) and declares its coverage, and the profile that declaration
makes drives the run (:func:`kombo_conformance.contract.pull.declared_profile`). So
``--integration-id homerun:4Xy`` or a bare ``--integration-id 4Xy`` is enough: no
``--connector``. A hand profile (``contracts/connectors/<slug>.yaml``) is kept beside it, to
be compared (:mod:`kombo_conformance.drift`), never preferred. A target that gives no
declaration leaves the hand profile in charge, with a warning saying why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kombo_conformance.certify.matrix import DECLARED_CHECK as CHECK
from kombo_conformance.contract import Contract
from kombo_conformance.contract.declaration import (
    INTEGRATION_OPERATION,
    DeclarationError,
    integration_path,
    parse_declaration,
)
from kombo_conformance.contract.pull import declared_profile
from kombo_conformance.drift import CHECK as DRIFT
from kombo_conformance.drift import profile_drift
from kombo_conformance.errors import ContractError, Inconclusive, TargetError
from kombo_conformance.exchange import Request
from kombo_conformance.findings import Case, Finding, Outcome
from kombo_conformance.run import Connection
from kombo_conformance.transport import Target


def learn_connections(
    contract: Contract, target: Target, connections: Sequence[Connection]
) -> list[Connection]:
    """Each connection as its declaration describes it; unchanged when the contract has no
    ``GET /integrations/{integration_id}``."""
    if INTEGRATION_OPERATION not in contract.operations:
        return list(connections)
    return [learn_connection(contract, target, c) for c in connections]


def _is_bare(connection: Connection) -> bool:
    """An integration id given alone: nothing but the target can name its connector."""
    return connection.slug == connection.integration_id and connection.profile is None


def learn_connection(contract: Contract, target: Target, connection: Connection) -> Connection:
    """The connection with the declared connector, declaration and profile, or (no
    declaration) unchanged with ``note`` saying why. A bare id whose connector cannot be
    learned is a :class:`TargetError` (exit 2)."""
    request = Request("GET", integration_path(connection.integration_id))
    try:
        exchange = target.send(request, operation=INTEGRATION_OPERATION, connector=connection.slug)
    except (TargetError, Inconclusive) as exc:
        return _unlearned(connection, f"{request.method} {request.path} did not answer: {exc}")
    if not 200 <= exchange.status < 300:
        answer = " ".join(str(p) for p in (exchange.status, exchange.error_code) if p)
        return _unlearned(connection, f"{request.method} {request.path} answered {answer}")
    try:
        declaration = parse_declaration(exchange.json, contract)
        hand = contract.profiles.get(declaration.tool)
        profile = declared_profile(declaration, contract, hand)
    except DeclarationError as exc:
        return _unlearned(connection, f"{request.method} {request.path}: {exc}")
    except ContractError as exc:
        why = f"its declaration makes no valid profile ({exc.pointer}: {exc.reason})"
        return _unlearned(connection, f"{request.method} {request.path}: {why}")
    return Connection(
        slug=declaration.tool,
        integration_id=connection.integration_id,
        profile=profile,
        declaration=declaration,
        hand_profile=hand,
        named=""
        if connection.slug in (declaration.tool, connection.integration_id)
        else connection.slug,
    )


def _unlearned(connection: Connection, reason: str) -> Connection:
    if _is_bare(connection):
        raise TargetError(
            f"cannot learn the connector of integration {connection.integration_id!r}: "
            f"{reason}. Name it: --integration-id <connector>:<id>, or --connector with "
            "--integration-id <connector>=<id>"
        )
    return replace(connection, note=reason)


def learning_findings(connection: Connection) -> list[Finding]:
    """Warnings about what was learned: no declaration (the hand profile drives the run), or
    a declared connector other than the one the settings named."""
    rule = f"the target's {INTEGRATION_OPERATION} (Kombo: Get integration details)"
    found = []
    if connection.note:
        driver = "the hand profile" if connection.hand_profile else "no profile (every operation)"
        found.append(
            Finding(
                check=CHECK,
                message=f"no declaration for {connection.integration_id}: {connection.note}; "
                f"{driver} drives the run",
                severity="warning",
                connector=connection.slug,
                operation=INTEGRATION_OPERATION,
                pointer="declaration",
                rule=rule,
            )
        )
    if connection.named:
        found.append(
            Finding(
                check=CHECK,
                message=f"--integration-id named connector {connection.named!r}, but the "
                f"target declares {connection.integration_id} a {connection.slug!r} "
                "integration: tested as declared",
                severity="warning",
                connector=connection.slug,
                operation=INTEGRATION_OPERATION,
                pointer="tool",
                rule=rule,
            )
        )
    return found


def add_learned(outcome: Outcome, connections: Sequence[Connection]) -> Outcome:
    """Add to a run's outcome what learning found: per connection the warnings of
    :func:`learning_findings` and the :func:`~kombo_conformance.drift.profile_drift` between
    its hand profile and its declaration, with a case per check and operation they concern
    (one passed case on ``GET /integrations/{integration_id}`` when a comparison found
    nothing), and in ``meta["declarations"]`` (by integration id) where each connection's profile
    came from."""
    declarations: dict[str, str | None] = {}
    for connection in connections:
        declaration = connection.declaration
        declarations[connection.integration_id] = declaration.source if declaration else None
        found = learning_findings(connection)
        checks = [CHECK] if found else []
        if declaration is not None and connection.hand_profile is not None:
            found += profile_drift(declaration, connection.hand_profile)
            checks.append(DRIFT)
        for check in checks:
            where = {f.operation for f in found if f.check == check} or {INTEGRATION_OPERATION}
            outcome.cases += [Case(connection.slug, op, check) for op in sorted(where)]
        outcome.findings += found
    outcome.meta["declarations"] = declarations
    return outcome
