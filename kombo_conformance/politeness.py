"""Being polite to a real target: pacing requests per integration, and bounded retries.

- :class:`RateLimiter` spaces requests of one integration ``1 / rate`` seconds apart
  (a spacing limiter: no bursts) and can be told to hold an integration back for a while,
  e.g. for the ``Retry-After`` of a 429, so every thread sharing the target slows down.
- :class:`RetryPolicy` says how long to wait before retrying an answer that means "try
  again later" (HTTP 429 or 503, or an ``error.code`` the contract declares transient),
  and when to give up.
- :class:`TargetStats` counts what the target sent and how long it waited.

All waiting goes through an injected ``sleep`` and ``clock`` so tests run on a fake clock.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from email.utils import parsedate_to_datetime

RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries of "try again later" answers.

    - ``max_retries`` (4): retries after the first attempt, so at most 5 requests.
    - ``base_delay`` (0.5 s): exponential backoff when there is no ``Retry-After``: the n-th
      retry (from 0) waits between half and all of ``base_delay * 2**n`` (0.25-0.5 s,
      0.5-1 s, 1-2 s, 2-4 s: at most 7.5 s for all four).
    - ``max_delay`` (30 s): no single wait is longer; a larger ``Retry-After`` gives up at once.
    - ``max_total_wait`` (60 s): the waits of one request add up to no more; a
      ``Retry-After`` beyond what is left gives up at once, backoff is cut to what is left.
    """

    max_retries: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_total_wait: float = 60.0

    def __post_init__(self) -> None:
        if self.max_retries < 0 or min(self.base_delay, self.max_delay, self.max_total_wait) < 0:
            raise ValueError(f"retry policy values must not be negative: {self!r}")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The jittered exponential delay before retry number ``retry`` (from 0)."""
        ceiling = min(self.max_delay, self.base_delay * 2**retry)
        return ceiling / 2 + rng.random() * ceiling / 2

    def next_wait(
        self, retries: int, waited: float, retry_after: float | None, rng: random.Random
    ) -> float | None:
        """Seconds to wait before the next retry, or None to give up.

        ``retries`` were made so far and ``waited`` seconds spent waiting for them.
        """
        left = self.max_total_wait - waited
        if retries >= self.max_retries or left <= 0:
            return None
        if retry_after is not None:
            return retry_after if retry_after <= min(self.max_delay, left) else None
        return min(self.backoff(retries, rng), left)


def retry_after_seconds(headers: Mapping[str, str], now: float) -> float | None:
    """The ``Retry-After`` of a response in seconds (delta-seconds or an HTTP-date), or None.

    An HTTP-date is measured from the response's own ``Date`` header when it has a valid one
    (the server's clock, so clock skew does not matter), otherwise from ``now`` (Unix time).
    A date in the past means 0; a missing or unreadable header means None.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    value = (lowered.get("retry-after") or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        when = _http_date(value)
        if when is None:
            return None
        seconds = when - (_http_date(lowered.get("date", "")) or now)
    return max(0.0, seconds) if seconds == seconds else None  # NaN is unreadable


def _http_date(value: str) -> float | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.timestamp() if parsed.tzinfo is not None else None


class RateLimiter:
    """Spaces requests ``1 / rate`` seconds apart per key (an integration); thread-safe.

    ``rate`` None means no pacing; :meth:`hold` still works. A caller reserves its slot
    under the lock and sleeps outside it, so concurrent callers queue up in order.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError(f"rate_limit must be positive requests per second, not {rate!r}")
        self.interval = 1.0 / rate if rate else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def acquire(self, key: str) -> float:
        """Wait for the next slot of ``key``; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(key, now))
            self._next[key] = slot + self.interval
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return max(wait, 0.0)

    def hold(self, key: str, seconds: float) -> None:
        """Send nothing for ``key`` during the next ``seconds`` (e.g. a 429's Retry-After)."""
        with self._lock:
            until = self._clock() + seconds
            self._next[key] = max(self._next.get(key, until), until)


@dataclass
class TargetStats:
    """What a target did, for the report; thread-safe (update only through :meth:`add`).

    The lock is not a dataclass field, so ``dataclasses.asdict(stats)`` gives the counters.
    """

    requests: int = 0  # requests sent, retries included
    retries: int = 0
    responses_429: int = 0
    waited_s: float = 0.0  # all waiting: retry_wait_s + throttle_wait_s
    retry_wait_s: float = 0.0  # slept before retries
    throttle_wait_s: float = 0.0  # slept to keep to the rate limit (or a held integration)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(
        self,
        *,
        requests: int = 0,
        retries: int = 0,
        responses_429: int = 0,
        retry_wait_s: float = 0.0,
        throttle_wait_s: float = 0.0,
    ) -> None:
        with self._lock:
            self.requests += requests
            self.retries += retries
            self.responses_429 += responses_429
            self.retry_wait_s += retry_wait_s
            self.throttle_wait_s += throttle_wait_s
            self.waited_s += retry_wait_s + throttle_wait_s

    def as_dict(self) -> dict[str, float]:
        """A consistent snapshot of the counters."""
        with self._lock:
            return {f.name: getattr(self, f.name) for f in fields(self)}
