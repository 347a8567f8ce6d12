"""What the benchmark scripts share: where results go, the project's venv, waiting for a
sandbox process to answer, and stopping a process group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
START_TIMEOUT_S = 60.0


def use_project_venv() -> None:
    """Re-run this script with the project's venv when the current Python lacks the project
    (call it from an ``except ImportError``; it returns only when there is no such venv)."""
    if VENV_PYTHON.exists() and Path(sys.executable).resolve() != VENV_PYTHON.resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])


def wait_until_serving(
    proc: subprocess.Popen, base: str, headers: dict[str, str], started: float
) -> float:
    """Poll ``GET {base}/ats/tags`` until the sandbox answers; the seconds since ``started``.
    Exits with a message when the process dies or does not answer within a minute."""
    import httpx  # here, so that a Python without the project can still re-run in its venv

    while True:
        try:
            httpx.get(f"{base}/ats/tags", headers=headers, timeout=5)
            return time.monotonic() - started
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() - started > START_TIMEOUT_S:
                raise SystemExit("the sandbox did not start") from None
            time.sleep(0.02)


def stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM the process group started with ``proc``, SIGKILL it after 15 s, then SIGKILL
    anything the leader left behind."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
