"""``--compare PREVIOUS`` and ``--fail-on``: what changed since an earlier report.

:func:`load_previous` reads the groups of an earlier report: a ``report.json`` of this
version (schema 3, its ``groups``), of an earlier one (schema 1 or 2: its findings, grouped
here), or a ``certify`` run's ``certification.json`` of schema 1 or 2 (its findings,
grouped here; another version is refused); a directory stands for the ``report.json``
(else ``certification.json``) inside it. Anything else (missing, unreadable, not JSON,
another kind of file) is a :class:`UsageError`.
:func:`comparison_meta` is what :func:`.groups.grouped` needs in the outcome's meta.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from kombo_conformance.certify.certification_json import READABLE_VERSIONS, finding_from_dict
from kombo_conformance.errors import UsageError
from kombo_conformance.findings import SEVERITIES, Finding
from kombo_conformance.report.groups import (
    COMPARE_KEY,
    SHOW_OBSERVATIONS_KEY,
    group_findings,
    group_summary,
)

FailOn = Literal["any", "new"]
FAIL_ON: tuple[FailOn, ...] = ("any", "new")
REPORT_NAMES = ("report.json", "certification.json")
GROUP_FIELDS = ("check", "rule", "connector", "operation", "severity", "count")


def _file(path: Path) -> Path:
    if path.is_dir():
        found = [path / name for name in REPORT_NAMES if (path / name).is_file()]
        if not found:
            raise UsageError(
                f"--compare {path}: the directory holds no {' or '.join(REPORT_NAMES)}; pass "
                "the report.json of the earlier run"
            )
        return found[0]
    return path


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(
            f"--compare {path}: no such file; pass the report.json an earlier run wrote"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"--compare {path}: not a readable JSON report ({exc})") from None


def _finding(data: Any) -> Finding:
    """A finding as ``Finding.to_dict()`` wrote it (report.json, certification.json)."""
    if not isinstance(data, Mapping):
        raise TypeError("a finding is not an object")
    missing = [k for k in ("check", "message", "severity") if k not in data]
    if missing:
        raise KeyError(missing[0])
    if data["severity"] not in SEVERITIES:
        raise ValueError(f"unknown severity {data['severity']!r}")
    return finding_from_dict(data)


def _certification_findings(data: Mapping[str, Any]) -> list[Any]:
    version = data["schema_version"]
    if version not in READABLE_VERSIONS:
        readable = " or ".join(map(str, READABLE_VERSIONS))
        raise ValueError(f"a certification.json of schema_version {version}; this reads {readable}")
    return [f for c in data["connectors"] for cell in c["cells"] for f in cell["findings"]]


def _group_summaries(data: Any) -> list[dict[str, Any]]:
    """The previous report's groups as :func:`.groups.group_summary` dicts."""
    if not isinstance(data, Mapping) or not isinstance(data.get("schema_version"), int):
        raise ValueError("it has no schema_version: not a kombo-conformance report")
    if isinstance(data.get("groups"), list):
        groups = data["groups"]
        for group in groups:
            if not isinstance(group, Mapping) or any(k not in group for k in GROUP_FIELDS):
                raise ValueError(f"a group lacks one of {', '.join(GROUP_FIELDS)}")
        return [dict(g) for g in groups]
    if isinstance(data.get("findings"), list):
        raw = data["findings"]
    elif isinstance(data.get("connectors"), list):
        raw = _certification_findings(data)
    else:
        raise ValueError("it has neither groups nor findings: not a report.json")
    return [group_summary(g) for g in group_findings(_finding(f) for f in raw)]


def load_previous(path: str | Path) -> dict[str, Any]:
    """``{"with": "<path>", "groups": [...]}`` for ``meta["compare"]``."""
    file = _file(Path(path))
    try:
        groups = _group_summaries(_read(file))
    except UsageError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        detail = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise UsageError(
            f"--compare {file}: not a report.json or certification.json of kombo-conformance "
            f"({detail})"
        ) from None
    return {"with": str(file), "groups": groups}


def comparison_meta(
    previous: str | Path | None, *, fail_on: str = "any", show_observations: bool = False
) -> dict[str, Any]:
    """The meta entries for ``--compare``, ``--fail-on`` and ``--show-observations`` (see
    :mod:`.groups`), checked and loaded before a run starts so a bad file fails fast; add
    them to the outcome's meta, and its exit code is then :func:`.groups.exit_code`."""
    check_fail_on(fail_on, previous)
    meta: dict[str, Any] = {}
    if previous is not None:
        meta[COMPARE_KEY] = load_previous(previous) | {"fail_on": fail_on}
    if show_observations:
        meta[SHOW_OBSERVATIONS_KEY] = True
    return meta


def check_fail_on(fail_on: str, previous: str | Path | None) -> None:
    if fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on {fail_on!r}: choose from {', '.join(FAIL_ON)}")
    if fail_on == "new" and previous is None:
        raise UsageError(
            "--fail-on new needs --compare PREVIOUS_REPORT.json: without an earlier report "
            "there is nothing to call new"
        )
