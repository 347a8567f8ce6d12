"""Record the committed cassettes: every connector profile against the bundled sandbox.

Run from the repository root::

    .venv/bin/python scripts/record_cassettes.py [--connector SLUG]... [--max-examples 2]

Personal data is faked and the sandbox key masked (the default for committed cassettes).
A connector's cassettes that this recording did not rewrite are removed, so its folder
matches the current contract. Equivalent, per connector:
``kombo-conformance run --record --connector SLUG --max-examples 2``.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def record(slug: str, directory: str, max_examples: int, seed: int) -> tuple[str, int, int]:
    """Record one connector in this process; (slug, exchanges recorded, cassettes)."""
    from kombo_conformance.cassettes.layout import discover
    from kombo_conformance.cassettes.record import CassetteRecorder
    from kombo_conformance.contract import load_contract
    from kombo_conformance.run import ConformanceRun, plan_connections, plan_operations
    from kombo_conformance.settings import SANDBOX_API_KEY, resolve_settings
    from kombo_conformance.targets import open_target

    settings = resolve_settings(
        {"connectors": [slug], "max_examples": max_examples, "seed": seed}, environ={}
    )
    contract = load_contract(validate=False)
    recorder = CassetteRecorder(directory, redact_pii=True, secrets=[SANDBOX_API_KEY])
    with open_target(contract, settings) as target:
        engine = ConformanceRun(contract, settings, target, recorder=recorder)
        engine.execute(plan_connections(contract, settings), plan_operations(contract, settings))
    written = set(recorder.save())
    for stale in set(discover(directory, [slug])) - written:
        stale.unlink()
    return slug, recorder.recorded, len(written)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connector", dest="connectors", action="append", metavar="SLUG")
    parser.add_argument("--cassette-dir", default=str(ROOT / "cassettes"), metavar="DIR")
    parser.add_argument("--max-examples", type=int, default=2, metavar="N")
    parser.add_argument("--seed", type=int, default=0, metavar="N")
    parser.add_argument("--workers", type=int, default=4, metavar="N")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from kombo_conformance.contract import load_contract

    slugs = args.connectors or sorted(load_contract(validate=False).profiles)
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        jobs = [
            pool.submit(record, s, args.cassette_dir, args.max_examples, args.seed) for s in slugs
        ]
        for job in jobs:
            slug, exchanges, files = job.result()
            print(f"{slug}: {exchanges} exchanges -> {files} cassettes", flush=True)
    print(f"recorded {len(slugs)} connectors in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
