"""How fast ``replay`` re-verifies the committed cassettes: interactions verified per second.

Run from the repository root: ``.venv/bin/python benchmarks/replay_speed.py`` (writes
benchmarks/results/replay_speed.json). The in-process replay (load every cassette, match,
judge) is timed ``--repeat`` times after imports and the contract load (median reported);
the cold CLI run (a fresh interpreter, contract load and reports included) is timed once.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASSETTES = ROOT / "cassettes"
RESULTS = ROOT / "benchmarks" / "results" / "replay_speed.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    from kombo_conformance.cassettes.replay import replay
    from kombo_conformance.contract import load_contract

    imports = round(time.perf_counter() - start, 3)
    start = time.perf_counter()
    contract = load_contract()
    load = round(time.perf_counter() - start, 3)

    runs, outcome = [], None
    for _ in range(args.repeat):
        start = time.perf_counter()
        outcome = replay(contract, CASSETTES)
        runs.append(time.perf_counter() - start)
    assert outcome is not None
    median = statistics.median(runs)

    exe = Path(sys.executable).with_name("kombo-conformance")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        cli = subprocess.run(
            [str(exe), "replay", str(CASSETTES), "--report-dir", tmp],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        cold = round(time.perf_counter() - start, 3)

    replayed = outcome.meta["replayed"]
    record = {
        "command": f".venv/bin/python benchmarks/replay_speed.py --repeat {args.repeat}",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "cassettes": {
            "connectors": len(outcome.meta["connectors"]),
            "files": outcome.meta["cassettes"],
            "interactions": outcome.meta["interactions"],
            "replayed": replayed,
            "bytes": sum(p.stat().st_size for p in CASSETTES.rglob("*.yaml")),
        },
        "seconds": {
            "imports": imports,
            "load_contract_validated": load,
            "replay_in_process_median": round(median, 4),
            "cli_replay_cold": cold,
        },
        "interactions_verified_per_second": round(replayed / median, 1),
        "cli_exit_code": cli.returncode,
        "findings": len(outcome.findings),
    }
    RESULTS.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
