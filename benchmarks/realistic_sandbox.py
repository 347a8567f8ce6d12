"""Benchmark of the realistic sandbox at scale (not part of the test suite).

Starts ``kombo-conformance sandbox --realistic --records N --rate-limit 0`` as a subprocess
on a free loopback port, then, with one client:

- **seed**: times the first ``GET /ats/candidates`` (seeds the candidates, and the
  applications, jobs and tags their records embed), then the first read of each other
  scaled list (applications, LMS users, course progressions, assessment orders);
- **latency**: p50/p99 of list requests once seeded: the first page (page_size 100), pages
  deep in the list (following ``next``), the ``ids`` filter, and ``updated_after``;
- **memory**: the server's resident memory (VmRSS) and its peak (VmHWM) from /proc.

Writes benchmarks/results/realistic_sandbox.json.

    python benchmarks/realistic_sandbox.py [--records 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from _common import wait_until_serving
from sandbox_load import free_port, pct  # the sibling benchmark (this script's directory)

RESULTS = Path(__file__).parent / "results" / "realistic_sandbox.json"
KEY = "bench-key"
SCALED = ("/ats/applications", "/lms/users", "/lms/course-progressions", "/assessment/orders")


def memory_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields["VmRSS"], "peak_rss_mb": fields["VmHWM"]}


def timed(client: httpx.Client, path: str, **params) -> tuple[float, dict]:
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{path} {params}: {response.status_code} {response.text[:300]}")
    return elapsed, response.json()


def stats(values: list[float]) -> dict[str, float]:
    return {"p50": pct(values, 0.5), "p99": pct(values, 0.99), "n": len(values)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}/v1"
    command = [
        sys.executable,
        "-m",
        "kombo_conformance",
        "sandbox",
        "--port",
        str(port),
        "--api-key",
        KEY,
        "--realistic",
        "--records",
        str(args.records),
        "--rate-limit",
        "0",
    ]
    load = os.getloadavg()[0]
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    headers = {"Authorization": f"Bearer {KEY}", "X-Integration-Id": "sandbox:bench"}
    start_s = wait_until_serving(proc, base, headers, started)
    n = args.requests
    with httpx.Client(base_url=base, headers=headers, timeout=600) as c:
        seed_s, first = timed(c, "/ats/candidates")
        memory_candidates = memory_mb(proc.pid)
        seed_others = {path: round(timed(c, path, page_size=1)[0], 3) for path in SCALED}
        memory_all = memory_mb(proc.pid)
        first_page = [timed(c, "/ats/candidates")[0] for _ in range(n)]
        deep, cursor = [], first["data"]["next"]
        for _ in range(n):  # pages 2 .. n+1, each from the previous page's cursor
            elapsed, body = timed(c, "/ats/candidates", cursor=cursor)
            deep.append(elapsed)
            cursor = body["data"]["next"]
        ids = ",".join(r["id"] for r in body["data"]["results"][:10])
        by_ids = [timed(c, "/ats/candidates", ids=ids)[0] for _ in range(n)]
        since = [
            timed(c, "/ats/candidates", updated_after="2024-06-01T00:00:00.000Z")[0]
            for _ in range(n)
        ]
        page_250 = [timed(c, "/ats/candidates", page_size=250)[0] for _ in range(n // 4)]
        memory_end = memory_mb(proc.pid)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    result = {
        "command": f"python benchmarks/realistic_sandbox.py --records {args.records} "
        f"--requests {args.requests}",
        "server": " ".join(["kombo-conformance", *command[3:]]),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, loopback, one client",
        "load_average_at_start": round(load, 2),
        "records": args.records,
        "start_to_first_answer_s": round(start_s, 3),
        "seed_first_GET_ats_candidates_s": round(seed_s, 3),
        "seed_first_read_s": seed_others,
        "memory_after_candidates": memory_candidates,
        "memory_all_scaled_lists_seeded": memory_all,
        "memory_end": memory_end,
        "latency_ms": {
            "first_page_100": stats(first_page),
            "deep_pages_100_by_cursor": stats(deep),
            "ids_filter_10": stats(by_ids),
            "updated_after": stats(since),
            "first_page_250": stats(page_250),
        },
        "exit_code_on_sigterm": proc.returncode,
        "traceback_on_stderr": "Traceback" in err,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
