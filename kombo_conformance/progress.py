"""Progress on the terminal: a bar per connector on a TTY, plain lines otherwise."""

from __future__ import annotations

import sys
from typing import TextIO


class ProgressPrinter:
    """Callable as ``(connector, done, total, operation)`` after each operation."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_plain: dict[str, int] = {}

    def __call__(self, connector: str, done: int, total: int, operation: str) -> None:
        if self.tty:
            filled = self.width * done // max(total, 1)
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"\r{connector:<14} [{bar}] {done:>3}/{total} {operation[:40]:<40}"
            self.stream.write(line + ("\n" if done == total else ""))
        else:
            quarter = 4 * done // max(total, 1)
            if quarter > self._last_plain.get(connector, 0) or done == total:
                self._last_plain[connector] = quarter
                self.stream.write(f"{connector}: {done}/{total} operations\n")
        self.stream.flush()
