"""Which contract operation a recorded request exercised: method + path template."""

from __future__ import annotations

from functools import cache
from urllib.parse import unquote, urlsplit

from kombo_conformance.contract import Contract, Operation


def _segments(path: str) -> tuple[str, ...]:
    return tuple(s for s in path.strip("/").split("/") if s)


def _literal_matches(template: tuple[str, ...], path: tuple[str, ...]) -> int | None:
    """How many literal segments match, or None when the path does not fit the template."""
    if len(template) != len(path):
        return None
    literal = 0
    for want, got in zip(template, path, strict=True):
        if want.startswith("{") and want.endswith("}"):
            continue
        if want != got:
            return None
        literal += 1
    return literal


class OperationIndex:
    """Matches recorded URIs to operations. The base URL (``https://host/v1``) is unknown,
    so the longest path suffix that fits a template wins; among templates that fit, the
    one with most literal segments (``/jobs/search`` before ``/jobs/{id}``)."""

    def __init__(self, contract: Contract) -> None:
        self._templates: dict[str, list[tuple[tuple[str, ...], Operation]]] = {}
        for op in contract.operations.values():
            self._templates.setdefault(op.method, []).append((_segments(op.path), op))
        self._cached = cache(self._match)

    def match_uri(self, method: str, uri: str) -> tuple[Operation | None, str]:
        """(operation, path relative to the base URL); (None, full path) when none fits."""
        return self._cached(method.upper(), unquote(urlsplit(uri).path))

    def _match(self, method: str, path: str) -> tuple[Operation | None, str]:
        segments = _segments(path)
        candidates = self._templates.get(method, [])
        for start in range(len(segments)):
            tail = segments[start:]
            fits = [
                (literal, op)
                for template, op in candidates
                if (literal := _literal_matches(template, tail)) is not None
            ]
            if fits:
                best = max(fits, key=lambda fit: fit[0])[1]
                return best, "/" + "/".join(tail)
        return None, path
