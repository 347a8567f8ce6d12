"""Running the sandbox: in a background thread (tests, ``run``) or in the foreground (CLI)."""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Iterable, Iterator
from functools import cache

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.errors import UsageError
from kombo_conformance.sandbox.app import DEFAULT_API_KEY, PREFIX, create_app
from kombo_conformance.sandbox.faults import Faults
from kombo_conformance.sandbox.realistic import Realism

START_TIMEOUT_S = 20.0


@cache
def default_contract() -> Contract:
    """The project's contracts, loaded once per process (without re-validating them:
    ``lint`` and the contract tests do that)."""
    return load_contract(validate=False)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a UsageError naming the problem in one paragraph."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"cannot listen on host {host!r}: {exc}") from None
    family, _, _, _, address = infos[0]
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only for
    # sockets that say they are TCP; without it every kept-alive request waits ~40 ms
    # (Nagle + delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(512)
    except OSError as exc:
        sock.close()
        reason = "the port is already in use" if exc.errno in (98, 48) else exc.strerror
        raise UsageError(f"cannot listen on {host}:{port}: {reason}") from None
    return sock


def _server(app, sock: socket.socket, log_level: str = "warning"):
    import uvicorn

    config = uvicorn.Config(
        app, log_level=log_level, access_log=False, lifespan="off", timeout_graceful_shutdown=2
    )
    return uvicorn.Server(config)


@contextlib.contextmanager
def running_sandbox(
    contract: Contract | None = None,
    *,
    api_key: str = DEFAULT_API_KEY,
    seed: int = 0,
    faults: Iterable[str] = (),
    host: str = "127.0.0.1",
    realism: Realism | None = None,
) -> Iterator[str]:
    """Serve the sandbox from a background thread on a free port; yield its base URL
    (``http://127.0.0.1:<port>/v1``) and shut it down on exit. ``realism`` switches on
    the realistic personality."""
    app = create_app(
        contract or default_contract(),
        api_key=api_key,
        seed=seed,
        faults=Faults(faults),
        realism=realism,
    )
    sock = bind(host, 0)
    port = sock.getsockname()[1]
    # Embedded in a run or a test: the run reports what matters; uvicorn's own logs (e.g. a
    # request cancelled at shutdown under the `slow` fault) would only be noise on stderr.
    server = _server(app, sock, log_level="critical")
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name=f"kombo-sandbox-{port}"
    )
    thread.start()
    try:
        for _ in range(int(START_TIMEOUT_S * 100)):
            if server.started or not thread.is_alive():
                break
            threading.Event().wait(0.01)
        if not server.started:
            raise RuntimeError("the sandbox did not start")
        yield f"http://{host}:{port}{PREFIX}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def describe(realism: Realism) -> str:
    """One phrase for the announcement line."""
    limit = f"{realism.rate_limit:g} requests/s" if realism.rate_limit else "no rate limit"
    return f"realistic: {realism.records} candidates, write lag {realism.lag_s:g} s, {limit}"


def serve(
    *,
    host: str,
    port: int,
    api_key: str,
    seed: int,
    faults: Iterable[str],
    contract: Contract | None = None,
    announce=print,
    realism: Realism | None = None,
) -> int:
    """Serve in the foreground until SIGINT/SIGTERM; return the exit code (0)."""
    faults = Faults(faults)
    sock = bind(host, port)
    app = create_app(
        contract or default_contract(), api_key=api_key, seed=seed, faults=faults, realism=realism
    )
    server = _server(app, sock)
    bound = sock.getsockname()
    shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
    announce(
        f"Kombo sandbox listening on http://{shown}:{bound[1]}{PREFIX} "
        f"(api key {api_key!r}, seed {seed}"
        + (f", faults: {', '.join(sorted(faults.names))}" if faults else "")
        + (f", {describe(realism)}" if realism else "")
        + "); "
        "send X-Integration-Id: sandbox:<any id> (or <connector>:<id>). Ctrl-C stops it."
    )
    stopped = []

    def note(signum, _frame):  # uvicorn re-raises the signal it caught once it has stopped
        stopped.append(signum)

    previous = {s: signal.signal(s, note) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run(sockets=[sock])
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        sock.close()
    return 0
