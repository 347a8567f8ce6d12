"""How long ``lint`` of all contracts and ``diff`` of two full copies take.

Run from the repository root: ``.venv/bin/python benchmarks/spec_speed.py`` (writes
benchmarks/results/spec_speed.json). Each phase is timed ``--repeat`` times in one process
(median reported), after imports; the cold CLI runs (a fresh interpreter each) are timed
once, because they include the interpreter and import start-up the in-process numbers leave
out. The target is < 2 s for lint and for diff.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / "contracts"
RESULTS = ROOT / "benchmarks" / "results" / "spec_speed.json"
CAPABILITY = ROOT / "tests" / "fixtures" / "seeds" / "003.txt"


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    runs, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        runs.append(time.perf_counter() - start)
    return round(statistics.median(runs), 4), value


def cli(*args: str) -> float:
    exe = Path(sys.executable).with_name("kombo-conformance")
    start = time.perf_counter()
    subprocess.run([str(exe), *args], cwd=ROOT, capture_output=True, check=False)
    return round(time.perf_counter() - start, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    start = time.perf_counter()
    from kombo_conformance.contract import load_contract
    from kombo_conformance.spec.capability import load_capability
    from kombo_conformance.spec.diff import diff_contracts
    from kombo_conformance.spec.lint import lint
    from kombo_conformance.spec.rules import RULE_NAMES
    from kombo_conformance.spec.suppressions import load_suppressions

    imports = round(time.perf_counter() - start, 3)

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "contracts-copy"
        shutil.copytree(CONTRACTS, copy)
        reports = Path(tmp) / "reports"
        load_validated, contract = timed(lambda: load_contract([CONTRACTS]), args.repeat)
        load_plain, _ = timed(lambda: load_contract([CONTRACTS], validate=False), args.repeat)
        suppressions = load_suppressions(CONTRACTS / "lint.yaml", RULE_NAMES)
        capability = load_capability(CAPABILITY)
        lint_engine, result = timed(
            lambda: lint(contract, capability=capability, suppressions=suppressions), args.repeat
        )
        old = load_contract([CONTRACTS], validate=False)
        new = load_contract([copy], validate=False)
        diff_engine, changes = timed(lambda: diff_contracts(old, new), args.repeat)
        cold_lint = cli("lint", "--capability", str(CAPABILITY), "--report-dir", str(reports / "l"))
        cold_diff = cli("diff", str(CONTRACTS), str(copy), "--report-dir", str(reports / "d"))

    record = {
        "command": f".venv/bin/python benchmarks/spec_speed.py --repeat {args.repeat}",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "contracts": {
            "operations": len(contract.operations),
            "lines": sum(len(p.read_text().splitlines()) for p in CONTRACTS.glob("*.yaml")),
        },
        "seconds": {
            "imports": imports,
            "load_contract_validated": load_validated,
            "load_contract_unvalidated": load_plain,
            "lint_rules": lint_engine,
            "lint_total_in_process": round(load_validated + lint_engine, 4),
            "diff_engine": diff_engine,
            "diff_total_in_process": round(2 * load_plain + diff_engine, 4),
            "cli_lint_cold": cold_lint,
            "cli_diff_cold": cold_diff,
        },
        "findings": {
            "lint": len(result.findings),
            "suppressed": result.suppressed,
            "diff_changes": len(changes),
        },
        "target_seconds": 2.0,
    }
    RESULTS.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(record["seconds"], indent=2))


if __name__ == "__main__":
    main()
