"""Recording: buffer a run's exchanges per (connector, operation), then write cassettes.

Every exchange is sanitised the moment it is recorded (secrets always, personal data when
``redact_pii``), so nothing unredacted is kept, let alone written. :meth:`save` writes one
vcrpy cassette per operation atomically: an interrupted save leaves each previous cassette
whole. Identical interactions are kept once; above :data:`MAX_INTERACTIONS` the first of
each (status, error code) is kept before filling up in recorded order, so error paths
survive the cap.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from kombo_conformance.atomic import write_text_atomic
from kombo_conformance.cassettes.layout import MAX_INTERACTIONS, cassette_path
from kombo_conformance.cassettes.sanitize import Sanitizer
from kombo_conformance.cassettes.serialize import Interaction, to_interaction
from kombo_conformance.exchange import Exchange

CASSETTE_VERSION = 1
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _signature(interaction: Interaction) -> tuple[int, str]:
    """Status and the start of the body: one representative per kind of answer."""
    response = interaction["response"]
    return response["status"]["code"], str(response["body"]["string"])[:120]


def select(interactions: list[Interaction], cap: int = MAX_INTERACTIONS) -> list[Interaction]:
    """Distinct interactions, at most ``cap``, in recorded order, each kind of answer kept."""
    unique = list({json.dumps(i, sort_keys=True, default=str): i for i in interactions}.values())
    if len(unique) <= cap:
        return unique
    chosen: dict[int, None] = {}
    kinds: set[tuple[int, str]] = set()
    for index, item in enumerate(unique):
        kind = _signature(item)
        if kind[0] >= 300 and kind not in kinds and len(chosen) < cap:
            kinds.add(kind)
            chosen[index] = None
    for index in range(len(unique)):
        if len(chosen) >= cap:
            break
        chosen.setdefault(index, None)
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
    ) -> None:
        self.directory = Path(directory)
        self.cap = cap
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
            written.append(write_text_atomic(path, render(select(items, self.cap))))
        return written
