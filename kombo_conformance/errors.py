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


class CassetteError(ConformanceError):
    """A cassette that is corrupt, truncated or not a vcrpy cassette."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cassette {self.path}: {reason}")
