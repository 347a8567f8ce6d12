"""Load benchmark of the sandbox (not part of the test suite).

Starts ``kombo-conformance sandbox`` as a subprocess on a free loopback port (measuring
the time until it first answers), then runs N concurrent clients for D seconds, each
alternating a list call (GET /ats/candidates, page_size 100) and an action (POST
/ats/candidates), and finally checks that every successful create is readable.
Writes benchmarks/results/sandbox_load.json.

    python benchmarks/sandbox_load.py [--clients 8] [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from _common import wait_until_serving

RESULTS = Path(__file__).parent / "results" / "sandbox_load.json"
KEY = "bench-key"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))] * 1000, 2) if values else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kombo_conformance",
            "sandbox",
            "--port",
            str(port),
            "--api-key",
            KEY,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    headers = {"Authorization": f"Bearer {KEY}", "X-Integration-Id": "sandbox:bench"}
    start_s = wait_until_serving(proc, base, headers, started)
    job = httpx.get(f"{base}/ats/jobs", params={"page_size": 1}, headers=headers).json()["data"][
        "results"
    ][0]["id"]
    lock = threading.Lock()
    lat = {"list": [], "action": []}
    statuses: dict[int, int] = {}
    created: list[str] = []
    stop_at = time.monotonic() + args.seconds

    def worker(n: int) -> None:
        with httpx.Client(base_url=base, headers=headers, timeout=30) as c:
            i = 0
            while time.monotonic() < stop_at:
                i += 1
                t = time.perf_counter()
                r = c.get("/ats/candidates", params={"page_size": 100})
                dl = time.perf_counter() - t
                t = time.perf_counter()
                w = c.post(
                    "/ats/candidates",
                    json={
                        "candidate": {
                            "first_name": "Load",
                            "last_name": f"T{n}-{i}",
                            "email_address": f"load{n}.{i}@example.com",
                        },
                        "application": {"job_id": job},
                    },
                )
                da = time.perf_counter() - t
                with lock:
                    lat["list"].append(dl)
                    lat["action"].append(da)
                    for s in (r.status_code, w.status_code):
                        statuses[s] = statuses.get(s, 0) + 1
                    if w.status_code == 200:
                        created.append(w.json()["data"]["id"])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(args.clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    lost = []
    with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
        for i in range(0, len(created), 100):
            chunk = created[i : i + 100]
            found = {
                r["id"]
                for r in c.get(
                    "/ats/candidates", params={"ids": ",".join(chunk), "page_size": 250}
                ).json()["data"]["results"]
            }
            lost += [x for x in chunk if x not in found]
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    total = sum(statuses.values())
    result = {
        "command": f"python benchmarks/sandbox_load.py --clients {args.clients} "
        f"--seconds {args.seconds:g}",
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, loopback",
        "clients": args.clients,
        "seconds": round(elapsed, 2),
        "start_to_first_answer_s": round(start_s, 3),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
        "status_counts": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "creates": len(created),
        "lost_writes": len(lost),
        "list_GET_ats_candidates_ms": {
            "p50": pct(lat["list"], 0.5),
            "p99": pct(lat["list"], 0.99),
            "mean": round(statistics.fmean(lat["list"]) * 1000, 2),
        },
        "action_POST_ats_candidates_ms": {
            "p50": pct(lat["action"], 0.5),
            "p99": pct(lat["action"], 0.99),
            "mean": round(statistics.fmean(lat["action"]) * 1000, 2),
        },
        "exit_code_on_sigterm": proc.returncode,
        "traceback_on_stderr": "Traceback" in err,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result["server_errors_5xx"] == 0 and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
