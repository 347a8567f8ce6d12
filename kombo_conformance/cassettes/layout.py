"""Where cassettes live: ``<directory>/<connector>/<METHOD>_<path>.yaml``, one per operation."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

DEFAULT_DIRECTORY = Path("cassettes")
SUFFIXES = (".yaml", ".yml")
UNMATCHED = "UNMATCHED"  # exchanges whose request matched no operation of the contract
MAX_INTERACTIONS = 40  # per cassette: keeps cassettes small and replay fast
MAX_BYTES = 5_000  # per cassette, about: beyond it only must-keep interactions are added

_UNSAFE = re.compile(r"[^A-Za-z0-9_{}.-]+")


def cassette_name(operation: str) -> str:
    """``"GET /ats/jobs"`` -> ``GET_ats_jobs.yaml``; ``""`` -> ``UNMATCHED.yaml``.

    >>> cassette_name("PUT /assessment/orders/{assessment_order_id}/result")
    'PUT_assessment_orders_{assessment_order_id}_result.yaml'
    """
    method, _, path = operation.partition(" ")
    if not method or not path:
        return f"{UNMATCHED}.yaml"
    stem = "_".join([method.upper(), *(s for s in path.strip("/").split("/") if s)])
    return _UNSAFE.sub("-", stem) + ".yaml"


def cassette_path(directory: str | Path, connector: str, operation: str) -> Path:
    return Path(directory) / connector / cassette_name(operation)


def discover(directory: str | Path, connectors: Iterable[str] = ()) -> list[Path]:
    """Every cassette file under ``directory`` (one level of connector folders), sorted;
    only the named connectors when given."""
    wanted = set(connectors)
    root = Path(directory)
    return sorted(
        path
        for folder in root.iterdir()
        if folder.is_dir() and (not wanted or folder.name in wanted)
        for path in folder.iterdir()
        if path.is_file() and path.suffix in SUFFIXES and not path.name.startswith(".")
    )


def connector_of(path: Path) -> str:
    """The connector a cassette belongs to: the name of its folder."""
    return path.parent.name
