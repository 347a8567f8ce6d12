"""The Target against real misbehaving servers on 127.0.0.1: errors are clear and bounded."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kombo_conformance.errors import TargetError
from kombo_conformance.exchange import Request
from kombo_conformance.transport import Target, preflight


class _Echo(BaseHTTPRequestHandler):
    """Answers JSON describing the request it got; /garbage answers HTML."""

    def do_GET(self) -> None:
        if self.path.startswith("/v1/garbage"):
            body, kind = b"<html>not json</html>", "text/html"
        else:
            body = json.dumps({"path": self.path, "headers": dict(self.headers)}).encode()
            kind = "application/json"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/v1"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    sock.close()


def test_auth_and_integration_headers_are_added(echo_url: str) -> None:
    with Target(echo_url, "secret-key") as target:
        exchange = target.send(
            Request("GET", "/ats/jobs", {"page_size": "2"}), integration_id="x:1"
        )
    headers = exchange.json["headers"]
    assert headers["Authorization"] == "Bearer secret-key"
    assert headers["X-Integration-Id"] == "x:1"
    assert exchange.json["path"] == "/v1/ats/jobs?page_size=2"


def test_explicit_empty_header_omits_it_and_explicit_value_wins(echo_url: str) -> None:
    with Target(echo_url, "secret-key") as target:
        exchange = target.send(
            Request("GET", "/ats/jobs", headers={"Authorization": "", "x-integration-id": "y:2"}),
            integration_id="x:1",
        )
    headers = {k.lower(): v for k, v in exchange.json["headers"].items()}
    assert "authorization" not in headers
    assert headers["x-integration-id"] == "y:2"


def test_hanging_target_fails_within_the_timeout(silent_url: str) -> None:
    started = time.monotonic()
    with Target(silent_url, "k", timeout=0.5) as target, pytest.raises(TargetError) as info:
        target.send(Request("GET", "/ats/jobs"))
    assert time.monotonic() - started < 5
    assert "did not answer within 0.5 s" in str(info.value)


def test_unreachable_target_is_a_clear_error() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    with (
        Target(f"http://127.0.0.1:{port}/v1", "k", timeout=2) as target,
        pytest.raises(TargetError, match="Is the target running"),
    ):
        target.send(Request("GET", "/ats/jobs"))


def test_preflight_refuses_a_garbage_speaking_server(echo_url: str) -> None:
    with Target(echo_url, "k") as target, pytest.raises(TargetError) as info:
        preflight(target, "/garbage", "x:1")
    assert "non-JSON body" in str(info.value) and "text/html" in str(info.value)


def test_preflight_accepts_a_json_server(echo_url: str) -> None:
    with Target(echo_url, "k") as target:
        assert preflight(target, "/ats/jobs", "x:1").status == 200
