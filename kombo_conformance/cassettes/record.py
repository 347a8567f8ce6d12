"""Recording: buffer a run's exchanges per (connector, operation), then write cassettes.

Every exchange is sanitised the moment it is recorded (secrets always, personal data when
``redact_pii``), so nothing unredacted is kept, let alone written. :meth:`save` writes one
vcrpy cassette per operation atomically: an interrupted save leaves each previous cassette
whole. Identical interactions are kept once, and a cassette keeps at most
:data:`MAX_INTERACTIONS` interactions of about :data:`MAX_BYTES`: the smallest success
showing data and the first answer of each (status, error code) first, so error paths
survive the cap.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from kombo_conformance.atomic import write_text_atomic
from kombo_conformance.cassettes.layout import MAX_BYTES, MAX_INTERACTIONS, cassette_path
from kombo_conformance.cassettes.sanitize import Sanitizer
from kombo_conformance.cassettes.serialize import Interaction, to_interaction
from kombo_conformance.exchange import Exchange

CASSETTE_VERSION = 1
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _body(interaction: Interaction) -> object:
    try:
        return json.loads(interaction["response"]["body"]["string"] or "null")
    except (ValueError, TypeError):
        return None


def _kind(interaction: Interaction) -> tuple[int, str | None]:
    """(status, error.code): one representative of each kind of answer is always kept."""
    body = _body(interaction)
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return interaction["response"]["status"]["code"], code if isinstance(code, str) else None


def _has_records(interaction: Interaction) -> bool:
    """A success that shows data: not an empty list page."""
    body = _body(interaction)
    data = body.get("data") if isinstance(body, dict) else None
    return bool(data.get("results", True)) if isinstance(data, dict) else data is not None


def select(
    interactions: list[Interaction], cap: int = MAX_INTERACTIONS, budget: int = MAX_BYTES
) -> list[Interaction]:
    """Distinct interactions in recorded order, at most ``cap`` and about ``budget`` bytes.

    Always kept (up to ``cap``): the smallest success showing data (else the smallest
    success) and the first answer of each (status, error code); then more successes, then
    more errors, in recorded order while they fit the budget.
    """
    keyed = {json.dumps(i, sort_keys=True, default=str): i for i in interactions}
    unique, sizes = list(keyed.values()), [len(k) for k in keyed]
    kinds = [_kind(item) for item in unique]
    successes = [i for i, kind in enumerate(kinds) if kind[0] < 300]
    errors = [i for i, kind in enumerate(kinds) if kind[0] >= 300]
    showing = [i for i in successes if _has_records(unique[i])] or successes
    must = [min(showing, key=lambda i: sizes[i])] if showing else []
    must += list({kinds[i]: i for i in reversed(errors)}.values())
    chosen = dict.fromkeys(sorted(must)[:cap])
    used = sum(sizes[i] for i in chosen)
    for index in [*successes, *errors]:
        if len(chosen) >= cap:
            break
        if index not in chosen and used + sizes[index] <= budget:
            chosen[index] = None
            used += sizes[index]
    return [unique[i] for i in sorted(chosen)]


def render(interactions: Iterable[Interaction]) -> Iterator[str]:
    """The cassette as YAML text chunks (vcrpy format, version 1)."""
    items = list(interactions)
    if not items:
        yield yaml.dump({"interactions": [], "version": CASSETTE_VERSION}, Dumper=_Dumper)
        return
    yield "interactions:\n"
    for item in items:
        yield yaml.dump([item], Dumper=_Dumper, allow_unicode=True, width=4096, sort_keys=True)
    yield f"version: {CASSETTE_VERSION}\n"


class CassetteRecorder:
    """A ``recorder`` for :class:`kombo_conformance.run.ConformanceRun`.

    >>> recorder = CassetteRecorder("cassettes", redact_pii=True, secrets=[api_key])
    >>> engine = ConformanceRun(contract, settings, target, recorder=recorder)
    >>> engine.execute(...); recorder.save()
    """

    def __init__(
        self,
        directory: str | Path,
        *,
        redact_pii: bool = True,
        secrets: list[str] | tuple[str, ...] = (),
        cap: int = MAX_INTERACTIONS,
        budget: int = MAX_BYTES,
    ) -> None:
        self.directory = Path(directory)
        self.cap, self.budget = cap, budget
        self.sanitizer = Sanitizer(secrets, redact_pii=redact_pii)
        self._buffer: dict[tuple[str, str], list[Interaction]] = {}

    def __call__(self, connector: str, exchange: Exchange) -> None:
        """Sanitise and buffer one exchange (nothing touches disk here)."""
        key = (connector, exchange.operation)
        self._buffer.setdefault(key, []).append(to_interaction(exchange, self.sanitizer))

    @property
    def recorded(self) -> int:
        return sum(len(items) for items in self._buffer.values())

    def save(self) -> list[Path]:
        """Write every cassette (atomically, one file at a time); the paths written."""
        written = []
        for (connector, operation), items in sorted(self._buffer.items()):
            path = cassette_path(self.directory, connector, operation)
            written.append(write_text_atomic(path, render(select(items, self.cap, self.budget))))
        return written
