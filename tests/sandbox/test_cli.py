"""The `kombo-conformance sandbox` command as a subprocess."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*args):
    return subprocess.Popen(
        [sys.executable, "-m", "kombo_conformance", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_starts_answers_and_stops_cleanly(sig):
    port = free_port()
    proc = start("--port", str(port), "--api-key", "k", "--seed", "3")
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                r = httpx.get(
                    f"http://127.0.0.1:{port}/v1/ats/tags",
                    timeout=2,
                    headers={"Authorization": "Bearer k", "X-Integration-Id": "sandbox:cli"},
                )
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the sandbox never answered"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["data"]["results"]
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert f"127.0.0.1:{port}/v1" in out


@pytest.mark.parametrize(
    "args", [["--fault", "no-such-fault"], ["--host", "no such host!"], ["--port", "70000"]]
)
def test_bad_flags_exit_2(args):
    proc = start("--port", "0", *args)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, (out, err)
    assert "Traceback" not in err and err.strip()


def test_port_in_use_exits_2():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        proc = start("--port", str(s.getsockname()[1]))
        _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2 and "already in use" in err
