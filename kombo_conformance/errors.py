"""User-facing errors: each carries one paragraph that the CLI prints before exiting 2."""

from __future__ import annotations

from pathlib import Path


class ConformanceError(Exception):
    """Base class for errors caused by the user's input, not by a bug in the suite.

    The CLI prints ``str(error)`` as a single paragraph and exits with code 2.
    """


class UsageError(ConformanceError):
    """Bad command-line flags, settings or combinations of them."""


class ContractError(ConformanceError):
    """A contract or connector profile that cannot be loaded or is invalid."""

    def __init__(self, source: str | Path, pointer: str, reason: str) -> None:
        self.source = str(source)
        self.pointer = pointer or "/"
        self.reason = reason
        super().__init__(f"contract error in {self.source} at {self.pointer}: {reason}")


class TargetError(ConformanceError):
    """The target server is unreachable, hangs, or does not speak HTTP/JSON."""


class TargetRefused(TargetError):
    """The target answered, but not as a Kombo-compatible API that accepts the key."""


class CassetteError(ConformanceError):
    """A cassette that is corrupt, truncated or not a vcrpy cassette."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cassette {self.path}: {reason}")


class WriteNotAllowed(Exception):
    """A request that would change the target (any method but GET) was not sent: the user
    did not allow writes (``--allow-writes``). The engine turns it into a ``not run``
    verdict for the check or case that wanted to write."""

    def __init__(self, method: str, path: str) -> None:
        self.method = method
        self.path = path
        super().__init__(f"not run: writes not allowed ({method} {path} was not sent)")


class Inconclusive(Exception):
    """The target's answers do not allow a verdict, e.g. a rate limit (429/503) still in force
    after the bounded retries. ``exchange`` is the last answer, when there was one."""

    def __init__(self, message: str, exchange: object | None = None) -> None:
        self.exchange = exchange
        super().__init__(message)
