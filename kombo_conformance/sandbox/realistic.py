"""The realistic personality: the sandbox as a production Kombo integration may behave,
strictly within the contract (``kombo-conformance sandbox --realistic``).

The default sandbox was written on the same assumptions as the checks, so agreeing with
it proves little. A :class:`Realism` switches on behaviour the contract allows but does
not promise:

- **scale**: ``records`` candidates (and proportionally many records of the other
  ``scaled`` collections), most derived cheaply from a pool of ``templates`` generated
  records;
- **short pages**: about one page in ``short_page_every`` (5) holds one record fewer than
  ``page_size`` while ``next`` is set (no record is skipped or repeated: the cursor follows
  the page);
- **exclusive** ``updated_after``: a record whose ``changed_at`` equals the instant is not
  returned ("updated since" does not say inclusive);
- **write lag**: a write reaches list reads ``lag_s`` seconds later (the write's own
  answer is immediate and correct);
- **rate limit**: a token bucket of ``rate_limit`` requests/s (``burst`` deep) per
  ``X-Integration-Id``; over it, 429 with ``Retry-After`` and
  ``PLATFORM.RATE_LIMIT_EXCEEDED``;
- **extra fields**: records carry properties the schemas do not list (legal: no record
  schema forbids additional properties; one that did would get none);
- **remote prose errors**: a body that breaks only a rule stated in prose is refused by
  "the remote tool": 400 ``REMOTE.INPUT_INVALID`` where the operation documents that code.

The defaults, the scaled collections, the extra fields and the prose-error code are data
(``personalities.yaml``, ``realistic``). The app stays generic: it asks a ``Realism`` at a
few hook points. Faults combine with it.
"""

from __future__ import annotations

import math
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kombo_conformance.contract import Errata, Operation
from kombo_conformance.sandbox.datafiles import personality_data
from kombo_conformance.sandbox.store import SEED_COUNTS, Dataset
from kombo_conformance.sandbox.validation import INPUT_INVALID

_DATA = personality_data()["realistic"]
REMOTE_INPUT_INVALID: str = _DATA["prose_error_code"]
#: the collection ``records`` counts, and those that grow with it in their default proportion
MAIN: str = _DATA["scale_with"]
SCALED: tuple[str, ...] = tuple(_DATA["scaled"])
SHORT_PAGE_EVERY: int = _DATA["short_page_every"]
EXTRA_FIELDS: dict[str, Any] = _DATA["extra_fields"]


@dataclass(frozen=True)
class Realism:
    """What the realistic sandbox does differently (every switch is within the contract)."""

    records: int = _DATA["records"]
    lag_s: float = _DATA["lag_s"]
    rate_limit: float | None = _DATA["rate_limit"]
    burst: float | None = None  # bucket depth; default: rate_limit
    short_pages: bool = True
    exclusive_updated_after: bool = True
    extra_fields: bool = True
    remote_prose_errors: bool = True
    templates: int = _DATA["templates"]  # records generated per collection; the rest derived

    def __post_init__(self) -> None:
        if self.records < 1 or self.templates < 1:
            raise ValueError("records and templates must be at least 1")
        if self.lag_s < 0:
            raise ValueError("lag_s must not be negative")
        if self.rate_limit is not None and self.rate_limit <= 0:
            raise ValueError("rate_limit must be positive (or None for no limit)")

    def seed_counts(self) -> dict[str, int]:
        """:data:`SEED_COUNTS` with the big collections scaled to ``records``."""
        scale = self.records / SEED_COUNTS[MAIN]
        return {**SEED_COUNTS, **{n: max(1, round(SEED_COUNTS[n] * scale)) for n in SCALED}}

    def dataset(self, collections: dict[str, Any], seed: int, integration: str) -> Dataset:
        return Dataset(
            collections,
            seed,
            integration,
            counts=self.seed_counts(),
            templates=self.templates,
            lag_s=self.lag_s,
        )

    def limiter(self) -> RateLimiter | None:
        if self.rate_limit is None:
            return None
        return RateLimiter(self.rate_limit, self.burst or self.rate_limit)

    def exclusive(self, filter_name: str) -> bool:
        return self.exclusive_updated_after and filter_name == "updated_after"

    def short_page(self, scope: str, after: int, page_size: int) -> bool:
        """Whether this page (deterministically, ~1 in 5) is cut one record short."""
        if not self.short_pages or page_size < 2:
            return False
        return zlib.crc32(f"{scope}|{after}|{page_size}".encode()) % SHORT_PAGE_EVERY == 0

    def add_extra_fields(self, record: Any, schema: Any) -> Any:
        """record with undocumented properties, unless its schema forbids them."""
        if not self.extra_fields or not isinstance(record, dict) or "id" not in record:
            return record
        schema = schema if isinstance(schema, dict) else {}
        if False in (schema.get("additionalProperties"), schema.get("unevaluatedProperties")):
            return record
        picks = _Picks(zlib.crc32(str(record["id"]).encode()))
        record.update({key: picks.fill(value) for key, value in EXTRA_FIELDS.items()})
        return record

    def prose_code(self, operation: Operation, errata: Errata) -> str:
        """The code for a body that breaks only a prose rule: REMOTE.INPUT_INVALID where
        the operation documents it, else PLATFORM.INPUT_INVALID."""
        envelope = operation.conventions.error_envelope
        if not self.remote_prose_errors or envelope is None:
            return INPUT_INVALID
        codes = envelope.codes | errata.extra_codes(operation.error_response_ref)
        return REMOTE_INPUT_INVALID if REMOTE_INPUT_INVALID in codes else INPUT_INVALID


class _Picks:
    """Fills an ``extra_fields`` template for one record: ``{one_of: [...]}`` takes one of
    the values, chosen by successive 4-bit slices of the record's id hash."""

    def __init__(self, digest: int) -> None:
        self.digest = digest
        self.shift = 0

    def fill(self, template: Any) -> Any:
        if isinstance(template, dict) and set(template) == {"one_of"}:
            options = template["one_of"]
            picked = options[(self.digest >> self.shift) % len(options)]
            self.shift = (self.shift + 4) % 28
            return picked
        if isinstance(template, dict):
            return {key: self.fill(value) for key, value in template.items()}
        return template


class RateLimiter:
    """Token buckets per key: ``rate`` tokens a second, at most ``burst`` saved."""

    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> int | None:
        """None when a request for key may go ahead (and take a token), else the whole
        seconds (at least 1) until one may."""
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                return None
            self._buckets[key] = (tokens, now)
            return max(1, math.ceil((1 - tokens) / self.rate))


def written_entities(
    dataset: Dataset, use_case: str, targets: Iterable[dict[str, Any]], body: Any
) -> list[dict[str, Any]]:
    """The records an action may change: its path targets, the records they reference
    (an application's candidate) and the records its body names (``interview_id``)."""
    found = list(targets)
    for record in [*found, body]:
        if not isinstance(record, dict):
            continue
        for key, value in record.items():
            if not (key.endswith("_id") and key != "remote_id" and isinstance(value, str)):
                continue
            collection = dataset.collection_for(use_case, key[:-3])
            entity = dataset.get(collection, value) if collection else None
            if entity is not None:
                found.append(entity)
    return found
