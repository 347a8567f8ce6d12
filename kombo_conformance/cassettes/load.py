"""Reading cassette files: YAML in vcrpy's format, validated before anything is replayed.

A file that cannot be read, is not YAML or is not a vcrpy cassette raises
:class:`CassetteError`; in a readable cassette, each malformed interaction is reported on
its own (:class:`BadInteraction`) and the others are still replayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from kombo_conformance.cassettes.serialize import Interaction
from kombo_conformance.errors import CassetteError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class BadInteraction:
    index: int
    reason: str


@dataclass(frozen=True)
class Cassette:
    path: Path
    interactions: list[tuple[int, Interaction]]  # (index in the file, interaction)
    problems: list[BadInteraction]


def _parse(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CassetteError(path, "is not a text file (not UTF-8)") from None
    except OSError as exc:
        raise CassetteError(path, f"cannot be read: {exc.strerror or exc}") from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CassetteError(path, f"is not valid YAML{where}: {problem}") from None


def interaction_problem(item: Any) -> str | None:
    """Why ``item`` is not a replayable vcrpy interaction, or None."""
    if not isinstance(item, dict):
        return "is not a mapping"
    request, response = item.get("request"), item.get("response")
    if not isinstance(request, dict):
        return "has no request"
    if not isinstance(response, dict):
        return "has no response"
    if not isinstance(request.get("method"), str) or not isinstance(request.get("uri"), str):
        return "request lacks method or uri"
    status = response.get("status")
    code = status.get("code") if isinstance(status, dict) else None
    if not isinstance(code, int) or isinstance(code, bool) or not 100 <= code <= 599:
        return "response lacks status.code (an HTTP status)"
    body = response.get("body")
    if not isinstance(body, dict) or not isinstance(body.get("string"), str | bytes | None):
        return "response lacks body.string"
    for part, name in ((request, "request"), (response, "response")):
        if not isinstance(part.get("headers") or {}, dict):
            return f"{name} headers are not a mapping"
    return None


def load_cassette(path: str | Path) -> Cassette:
    """The cassette at ``path``; :class:`CassetteError` when it is not one at all."""
    path = Path(path)
    data = _parse(path)
    if data is None:
        raise CassetteError(path, "is empty (expected a vcrpy cassette)")
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise CassetteError(
            path, "is not a vcrpy cassette: expected a mapping with an 'interactions' list"
        )
    if data.get("version", 1) != 1:
        raise CassetteError(path, f"has cassette version {data.get('version')!r}, expected 1")
    good: list[tuple[int, Interaction]] = []
    bad: list[BadInteraction] = []
    for index, item in enumerate(data["interactions"]):
        problem = interaction_problem(item)
        if problem is None:
            good.append((index, item))
        else:
            bad.append(BadInteraction(index, f"interaction {index} {problem}"))
    return Cassette(path, good, bad)
