"""The run's matrix: one cell per (connector, operation), coloured by its worst verdict.

A cell's verdict is the worst of its cases and findings, in :data:`CELL_VERDICTS` order:
``error`` (a failed case, i.e. an ``error`` finding), ``warning`` (a ``warning`` finding),
``inconclusive``, ``not run``, ``passed``. A cell whose cases are all ``not applicable``
has no verdict (``None``) and is shown neutral; a pair with no case at all has no cell.
Advisories and observations do not colour a cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from kombo_conformance.report.results import CaseResult, suite_name

CellVerdict = Literal["error", "warning", "inconclusive", "not run", "passed"]
CELL_VERDICTS: tuple[CellVerdict, ...] = ("error", "warning", "inconclusive", "not run", "passed")


@dataclass(frozen=True)
class MatrixCell:
    """``connector`` as reports name it (``contract`` for ``""``); ``verdict`` None when
    nothing here applied."""

    connector: str
    operation: str
    verdict: CellVerdict | None
    cases: int


@dataclass(frozen=True)
class Matrix:
    connectors: tuple[str, ...]
    operations: tuple[str, ...]
    cells: dict[tuple[str, str], MatrixCell]

    def cell(self, connector: str, operation: str) -> MatrixCell | None:
        return self.cells.get((connector, operation))


def cell_verdict(results: Iterable[CaseResult]) -> CellVerdict | None:
    """The worst verdict of one cell's case results (see the module docstring)."""
    found: set[str] = set()
    for result in results:
        found.add("error" if result.failed else result.verdict)
        if any(f.severity == "warning" for f in result.findings):
            found.add("warning")
    return next((v for v in CELL_VERDICTS if v in found), None)


def run_matrix(results: Sequence[CaseResult]) -> Matrix:
    """The matrix of a run's case results (from :func:`.results.case_results`): connectors
    and operations sorted, one cell per pair that has a case."""
    by_cell: dict[tuple[str, str], list[CaseResult]] = {}
    for result in results:
        key = (suite_name(result.case.connector), result.case.operation)
        by_cell.setdefault(key, []).append(result)
    cells = {
        key: MatrixCell(*key, verdict=cell_verdict(group), cases=len(group))
        for key, group in by_cell.items()
    }
    return Matrix(
        connectors=tuple(sorted({c for c, _ in cells})),
        operations=tuple(sorted({o for _, o in cells})),
        cells=cells,
    )
