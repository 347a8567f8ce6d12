"""``certify --from-cassettes DIR``: the matrix from recorded exchanges, without network.

Each recorded exchange is judged by the response checks (see
:func:`kombo_conformance.cassettes.replay.judge`) and classified like a live one. Only
operations with recordings get a cell: an operation never recorded is not evidence of
anything, so it is left out of the connector's row (the reports show it as "not recorded").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from kombo_conformance.cassettes.match import OperationIndex
from kombo_conformance.cassettes.replay import FORMAT_CHECK, cassette_files, judge, read_tape
from kombo_conformance.certify.collect import connector_result
from kombo_conformance.certify.matrix import ConnectorResult
from kombo_conformance.contract import Contract, Operation
from kombo_conformance.errors import CassetteError
from kombo_conformance.redact import Redactor, env_secrets
from kombo_conformance.run import Connection


def recorded_connectors(directory: str | Path) -> list[str]:
    root = Path(directory)
    return sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


def certify_cassettes(
    contract: Contract,
    directory: str | Path,
    connections: Sequence[Connection],
    operations: Sequence[Operation],
) -> Iterator[ConnectorResult]:
    """One ConnectorResult per connection, from its cassettes under ``directory``."""
    files = cassette_files(directory, [c.slug for c in connections])
    tape = read_tape(files, OperationIndex(contract))
    broken = [f for f in tape.findings if f.check == FORMAT_CHECK and f.fails]
    if broken:
        raise CassetteError(broken[0].source or directory, broken[0].message)
    redactor = Redactor(env_secrets())
    for connection in connections:
        findings, exchanges, recorded = [], [], []
        for operation in operations:
            taped = tape.exchanges.get((connection.slug, operation.key), [])
            if not taped:
                continue
            recorded.append(operation.key)
            exchanges += taped
            findings += judge(contract, connection.slug, operation, taped)[0]
        yield connector_result(connection, recorded, findings, exchanges, redactor, contract)
