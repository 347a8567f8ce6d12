"""Report writers: every command hands one Outcome to :func:`write_reports`.

Formats: ``json`` (report.json), ``junit`` (junit.xml), ``md`` (summary.md) and ``html``
(report.html). The outcome is redacted once (see :mod:`.safe`), each format is rendered
from the redacted copy, the rendered text is masked once more as a last defence, and each
file is written atomically. Every format groups the findings the same way
(:func:`.groups.grouped`: one group per check, rule, connector and operation), marked
against an earlier report when ``--compare`` put one in the outcome's meta
(:func:`.compare.with_comparison`). See docs/report-format.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from kombo_conformance.atomic import write_text_atomic
from kombo_conformance.errors import UsageError
from kombo_conformance.findings import Outcome
from kombo_conformance.report import html, json_report, junit, markdown
from kombo_conformance.report.results import case_results
from kombo_conformance.report.safe import redact_outcome
from kombo_conformance.report.text import terminal_summary

FORMATS: dict[str, tuple[str, Callable[[Outcome], str]]] = {
    "json": (json_report.FILENAME, json_report.render),
    "junit": (junit.FILENAME, junit.render),
    "md": (markdown.FILENAME, markdown.render),
    "html": (html.FILENAME, html.render),
}
DEFAULT_FORMATS = tuple(FORMATS)

__all__ = [
    "DEFAULT_FORMATS",
    "FORMATS",
    "default_report_dir",
    "format_terminal_summary",
    "write_reports",
]


def write_reports(
    outcome: Outcome, directory: str | Path, formats: Iterable[str] = DEFAULT_FORMATS
) -> dict[str, Path]:
    """Write the requested formats into ``directory`` (created if needed); returns
    ``{format: path}``. Raises :class:`UsageError` for an unknown format."""
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(
            f"unknown report format {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(FORMATS)}"
        )
    safe, redactor = redact_outcome(outcome)
    written: dict[str, Path] = {}
    for fmt in formats:
        filename, render = FORMATS[fmt]
        written[fmt] = write_text_atomic(Path(directory) / filename, redactor.text(render(safe)))
    return written


def default_report_dir(root: str | Path = "reports", now: datetime | None = None) -> Path:
    """``<root>/<UTC YYYYmmdd-HHMMSS>``; a ``-2``, ``-3``... suffix if that already exists.

    The directory is not created here: :func:`write_reports` does that.
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    candidate, n = Path(root) / stamp, 1
    while candidate.exists():
        n += 1
        candidate = Path(root) / f"{stamp}-{n}"
    return candidate


def format_terminal_summary(outcome: Outcome, written: Mapping[str, Path] | None = None) -> str:
    """What changed since ``--compare`` and the groups, one line each; then a plain-text
    table (connector | operations | cases | verdict counts | findings), the headline, one
    line per reason cases were not judged, the count of records the run created or changed
    and, given what :func:`write_reports` wrote, the path of the full report (report.html,
    else the first file); secrets masked."""
    safe, redactor = redact_outcome(outcome)
    full = None
    if written:
        full = str(written.get("html") or next(iter(written.values())))
    return redactor.text(terminal_summary(safe, case_results(safe), full))
