"""Benchmark: this suite (``kombo-conformance run``) against vanilla ``st run``.

For every fault of the sandbox's catalogue (kombo_conformance/sandbox/faults.py) and for
the correct sandbox, start one sandbox on a free loopback port, run both tools against it
with the same contract and the same time budget, one after the other, and stop it. Then
report side by side: faults detected, time to first detection, test cases per second and
false alarms on the correct sandbox. Writes benchmarks/results/run_vs_schemathesis.json and
benchmarks/results/run_vs_schemathesis.md.

    python benchmarks/run_vs_schemathesis.py [--budget SECONDS] [--faults a,b]

Method (also written into the results):

- Contract: both tools get the same document, the project's contracts bundled by
  ``load_contract().document`` (schemathesis needs one file; it is dumped to a temp JSON).
- Vanilla schemathesis is used the way a user would: ``st run --checks all --max-time
  BUDGET``; the bearer key through a ``schemathesis.toml`` ``[auth.openapi.ApiKey]`` entry
  (st 4.x's own bearer support for the contract's ``ApiKey`` security scheme; ``--auth`` is
  basic auth only, and a raw ``-H Authorization`` header makes ``ignored_auth`` misfire);
  ``-H X-Integration-Id: <connector>:bench`` (the integration under test, as the suite's
  ``--integration-id``); ``--request-timeout 10`` (the suite's default per-request
  timeout); seed 0; one worker. Nothing else: no hooks, no fault knowledge.
- The suite: ``kombo-conformance run --connector C --integration-id C:bench --max-examples
  N --seed 0`` where N is chosen so that a full run fits the budget; C is the connector
  where the fault shows (CAUGHT_BY), ``sandbox`` otherwise.
- Detection: a tool detects a fault if it reports, on the faulty target, at least one
  failure signature (operation, check) that it did not report on any correct-sandbox run
  of the same connector (so pre-existing false alarms never count). For the suite a
  failure is an ``error`` finding (what fails a run); for schemathesis any failed check or
  reported error. On the transport faults (slow, garbage) the suite stops with exit 2 by
  design; that counts as a detection (signature ``(target, exit 2)``).
- Time to first detection: seconds from starting the tool's process to the end of the
  unit in which the first new signature appeared. Schemathesis: the NDJSON event
  timestamp of that scenario. The suite: it has no per-finding timestamps, so its stderr
  is read through a pty, where the progress bar reports the end of every operation; the
  time is the end of the operation carrying the first new signature (an upper bound; the
  lower bound, the end of the previous operation, is recorded too).
- Cases per second: schemathesis's generated test cases over its running time; the suite
  counts HTTP requests (its ``meta.requests``) over its engine time. Requests per second
  are reported for both (schemathesis's from the NDJSON interactions).

The sandbox is the project's ``serve()`` in a child process, with one workaround: the
listening socket gets TCP_NODELAY (see ``NODELAY_NOTE``), without which every request on a
kept-alive connection waits ~40 ms for a delayed ACK; ``--sandbox-cli`` uses the plain
``kombo-conformance sandbox`` command instead.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from _common import RESULTS, stop_group, use_project_venv

try:
    from kombo_conformance.contract import load_contract
    from kombo_conformance.sandbox.faults import CATALOGUE, CAUGHT_BY, TRANSPORT_FAULTS
except ImportError:  # run with a python that lacks the project: use the project's venv
    use_project_venv()
    raise

BIN = Path(sys.executable).parent
KOMBO = str(BIN / "kombo-conformance")
ST = str(BIN / "st")
KEY = "bench-key"
SEED = 0
REQUEST_TIMEOUT_S = 10
START_TIMEOUT_S = 30.0
GRACE_S = 60.0  # past the budget before a tool's process is killed
KEY_ENV = "KOMBO_BENCH_API_KEY"
ST_CONFIG = '[auth.openapi.ApiKey]\nbearer = "${' + KEY_ENV + '}"\n'
NODELAY_NOTE = (
    "kombo_conformance/sandbox/server.py bind() creates its socket as socket(family, "
    "SOCK_STREAM) with proto 0, so asyncio's _set_nodelay (which requires proto == "
    "IPPROTO_TCP) never sets TCP_NODELAY on accepted connections: every request on a "
    "kept-alive connection (httpx in the suite, requests in schemathesis) waits ~40 ms "
    "(Nagle + delayed ACK); measured 44 ms/request vs 1.9 ms with TCP_NODELAY. The "
    "benchmark serves the sandbox with TCP_NODELAY set on the listening socket (inherited "
    "by accepted sockets on Linux) so that the budget buys test cases, not ACK waits."
)
PROGRESS = re.compile(rb"(\d+)/(\d+) ")
#: What the numbers mean, checked by hand against the tools' own output on the committed run
#: (2 CPUs, budget 20 s); re-check these after a re-run with other versions or budgets.
READING = """\
- **Faults**: the suite flags all 22 finding-type faults with the check meant to catch them
  (`targeted_check_hit` in the JSON) and stops on both transport faults with exit 2 and a
  one-paragraph reason (`slow`: the 10 s preflight timeout; `garbage`: "does not look like a
  Kombo-compatible API"). Vanilla `st run` detects the faults that break the response or
  request *schema* or HTTP rules: error envelopes, `missing-next`, `response-schema-violation`,
  `missing-warnings` (response_schema_conformance), `auth-not-enforced` (ignored_auth),
  `integration-header-not-enforced` (missing_required_header, the header is declared
  required), `server-error-on-invalid` and one 500 under `accept-invalid-body`
  (not_a_server_error), `garbage` (content_type_conformance) and `slow` (ReadTimeout, after
  spending the whole budget on one test case). It has no oracle for the semantic faults whose
  responses stay schema-valid: pagination loops and duplicates, ignored `page_size`/filters,
  deleted records leaking, read-after-write, connector availability, the order status lock,
  valid edge cases refused.
- **Loose-only rows are not detections**: on cursor-loop, duplicate-across-pages,
  refuse-supported, lost-write and stage-move-ignored st's "new" failures are
  unsupported_method / positive_data_acceptance on operations unrelated to the fault, the same
  checks that already vary between the two correct-sandbox runs. On serve-unsupported the
  change is fault-correlated (operations homerun does not support now serve data, so st's
  positive_data_acceptance starts failing on them) but the message ("schema-valid request
  rejected") does not point at availability.
- **Nothing st finds is missed by the suite on a faulty target.** On the correct sandbox,
  st's `unsupported_method` (ST204) is a true observation the suite does not check: the
  sandbox's 405 answers lack the `Allow` header that RFC 9110 requires. Its
  `positive_data_acceptance` (ST202) failures are false alarms: an arbitrary or empty
  `cursor` (typed as a free string) is rejected because a server can only accept cursors it
  issued, and bodies the contract leaves optional or constrains only in prose (documented in
  contracts/errata.yaml) are refused with 400.
- **Speed**: st reaches its first failure sooner (median 2.5 s vs 6.6 s) because its first
  phase touches every operation with one example each, while the suite finishes all checks
  of one operation before the next (contract order); on schema-level faults both find them
  within seconds. Throughput is comparable (suite ~50 requests/s including its probe
  requests, st ~46 test cases/s). The suite's wall time per target was 13-26 s (one run,
  response-schema-violation, took 35.6 s: many failing records to validate and report)
  against st's 22 s for `--max-time 20`.
"""


# -- the sandbox --------------------------------------------------------------------------


def serve_sandbox(faults: list[str]) -> int:
    """Child-process mode: the project's serve() with TCP_NODELAY on the listening socket."""
    import socket

    from kombo_conformance.sandbox import server

    original = server.bind

    def bind(host: str, port: int) -> socket.socket:
        sock = original(host, port)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    server.bind = bind
    return server.serve(
        host="127.0.0.1",
        port=0,
        api_key=KEY,
        seed=SEED,
        faults=faults,
        announce=lambda line: print(line, flush=True),
    )


@contextlib.contextmanager
def sandbox(fault: str | None, use_cli: bool):
    faults = [fault] if fault else []
    if use_cli:
        cmd = [KOMBO, "sandbox", "--port", "0", "--api-key", KEY, "--seed", str(SEED)]
        cmd += [a for f in faults for a in ("--fault", f)]
    else:
        cmd = [sys.executable, __file__, "--serve-sandbox", *faults]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = None
        deadline = time.monotonic() + START_TIMEOUT_S
        line = b""
        while url is None and time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    break
                line += chunk
                found = re.search(rb"http://127\.0\.0\.1:\d+/v1", line)
                url = found.group(0).decode() if found else None
            elif proc.poll() is not None:
                break
        if url is None:
            raise RuntimeError(f"sandbox did not start: {cmd}")
        yield url, cmd
    finally:
        stop_group(proc)


# -- one tool run ------------------------------------------------------------------------


@dataclass
class ToolRun:
    command: list[str]
    exit_code: int | None = None
    timed_out: bool = False
    wall_s: float = 0.0
    engine_s: float | None = None
    cases: int = 0
    requests: int = 0
    # signature "operation | check" -> seconds since process start of its first report
    signatures: dict[str, float] = field(default_factory=dict)
    # for the suite: signature -> (lower bound, upper bound) seconds
    bounds: dict[str, tuple[float, float]] = field(default_factory=dict)
    other: dict[str, float] = field(default_factory=dict)  # non-failing (suite) signatures
    note: str = ""


def scrubbed_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMBO_")}
    env[KEY_ENV] = KEY
    env["NO_COLOR"] = "1"
    return env


def run_suite(url: str, connector: str, max_examples: int, budget: float, work: Path) -> ToolRun:
    report_dir = work / "suite-report"
    command = [
        KOMBO, "run", "--base-url", url, "--api-key", KEY, "--connector", connector,
        "--integration-id", f"{connector}:bench", "--max-examples", str(max_examples),
        "--seed", str(SEED), "--report-dir", str(report_dir),
    ]  # fmt: skip
    run = ToolRun(command=command)
    master, slave = os.openpty()
    ticks: dict[int, float] = {}
    with open(work / "suite.stdout", "wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=slave, cwd=work,
            env=scrubbed_env(), start_new_session=True,
        )  # fmt: skip
        os.close(slave)
        deadline = start + budget + GRACE_S
        stderr = b""
        try:
            while True:
                if time.monotonic() > deadline:
                    run.timed_out = True
                    break
                ready, _, _ = select.select([master], [], [], 0.5)
                if ready:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:  # EIO: the child closed its side
                        chunk = b""
                    if not chunk:
                        break
                    now = time.monotonic() - start
                    stderr += chunk
                    for done, _total in PROGRESS.findall(chunk):
                        ticks.setdefault(int(done), now)
                elif proc.poll() is not None:
                    break
        finally:
            os.close(master)
            stop_group(proc)
        run.wall_s = round(time.monotonic() - start, 3)
    run.exit_code = proc.returncode
    (work / "suite.stderr").write_bytes(stderr)
    order = list(load_contract_cached().operations)
    report = report_dir / "report.json"
    if run.exit_code == 2 or not report.exists():
        tail = stderr.decode(errors="replace").strip().splitlines()
        run.note = (tail[-1] if tail else "no output")[:300]
        if run.exit_code == 2:
            run.signatures["(target) | exit 2"] = run.wall_s
            run.bounds["(target) | exit 2"] = (0.0, run.wall_s)
        return run
    data = json.loads(report.read_text())
    run.engine_s = data.get("duration_s")
    run.requests = run.cases = int(data.get("meta", {}).get("requests", 0))
    for finding in data.get("findings", []):
        sig = f"{finding.get('operation') or '(run)'} | {finding['check']}"
        op = finding.get("operation")
        index = order.index(op) + 1 if op in order else len(order)
        upper = ticks.get(index, run.wall_s)
        lower = ticks.get(index - 1, 0.0)
        target = run.signatures if finding.get("severity") == "error" else run.other
        if sig not in target or upper < target[sig]:
            target[sig] = round(upper, 3)
            if target is run.signatures:
                run.bounds[sig] = (round(lower, 3), round(upper, 3))
    return run


def run_schemathesis(
    url: str, connector: str, budget: float, contract_file: Path, config: Path, work: Path
) -> ToolRun:
    report_dir = work / "st-report"
    command = [
        ST, "--config-file", str(config), "run", str(contract_file), "--url", url,
        "-H", f"X-Integration-Id: {connector}:bench", "--checks", "all",
        "--max-time", str(int(budget)), "--request-timeout", str(REQUEST_TIMEOUT_S),
        "--seed", str(SEED), "-w", "1", "--report", "json,ndjson",
        "--report-dir", str(report_dir), "--no-color",
    ]  # fmt: skip
    run = ToolRun(command=command)
    with open(work / "st.stdout", "wb") as out:
        start_epoch = time.time()
        start = time.monotonic()
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=work,
            env=scrubbed_env(), start_new_session=True,
        )  # fmt: skip
        try:
            proc.wait(timeout=budget + GRACE_S)
        except subprocess.TimeoutExpired:
            run.timed_out = True
        finally:
            stop_group(proc)
        run.wall_s = round(time.monotonic() - start, 3)
    run.exit_code = proc.returncode
    reports = sorted(report_dir.glob("json-*.json"))
    if reports:
        data = json.loads(reports[-1].read_text())
        run.engine_s = round(data.get("running_time") or 0.0, 3)
        run.cases = int(data.get("test_cases", {}).get("generated", 0))
        run.note = f"stop_reason={data.get('stop_reason')}"
    for path in sorted(report_dir.glob("ndjson-*.ndjson")):
        with open(path) as lines:
            for line in lines:
                if "ScenarioFinished" not in line[:40] and "Error" not in line[:40]:
                    continue
                event = json.loads(line)
                for sig, ts in st_signatures(event, run):
                    at = round(ts - start_epoch, 3)
                    if sig not in run.signatures or at < run.signatures[sig]:
                        run.signatures[sig] = at
    if not reports:
        tail = (work / "st.stdout").read_text(errors="replace").strip().splitlines()
        run.note = (tail[-1] if tail else "no output")[:300]
    return run


def st_signatures(event: dict, run: ToolRun):
    """(signature, timestamp) pairs of one NDJSON event; counts requests on the way."""
    name, body = next(iter(event.items()))
    ts = body.get("timestamp", 0.0)
    if name == "ScenarioFinished":
        recorder = body.get("recorder") or {}
        run.requests += len(recorder.get("interactions") or {})
        for checks in (recorder.get("checks") or {}).values():
            for check in checks:
                if check.get("status") in ("success", "skip", "skipped"):
                    continue
                failure = (check.get("failure_info") or {}).get("failure") or {}
                op = failure.get("operation") or recorder.get("label") or "(run)"
                yield f"{op} | {check.get('name')}", ts
    elif name.endswith("Error"):
        value = body.get("value") or {}
        title = value.get("type") if isinstance(value, dict) else None
        yield f"{body.get('label') or '(run)'} | error: {title or name}", ts


# -- the benchmark -----------------------------------------------------------------------

_CONTRACT = []


def load_contract_cached():
    if not _CONTRACT:
        _CONTRACT.append(load_contract())
    return _CONTRACT[0]


def connector_of(fault: str) -> str:
    return CAUGHT_BY[fault].connector if fault in CAUGHT_BY else "sandbox"


def suite_max_examples(budget: float) -> int:
    """Measured on this 2-core machine (sandbox connector, the heaviest): max-examples 1 /
    5 / 10 take 13 / 15 / 26 s of wall time."""
    return 10 if budget >= 30 else 5 if budget >= 16 else 1


def check_of(signature: str) -> str:
    return signature.rsplit(" | ", 1)[-1]


def flaky_checks(runs: list[ToolRun]) -> set[str]:
    """Checks whose failures on the correct sandbox differ from one run to the next (with a
    single run: every check that failed there)."""
    sets = [set(r.signatures) for r in runs]
    varying = set().union(*sets) - set.intersection(*sets) if len(sets) > 1 else sets[0]
    return {check_of(s) for s in varying}


def summarise(run: ToolRun, baseline: set[str], fault: str | None, noisy: set[str]) -> dict:
    """Loose: any (operation, check) not seen on the correct sandbox. Strict: and its check
    is not flaky there (see flaky_checks), so that run-to-run variation of a check that
    already misfires on the correct sandbox is not counted as a detection."""
    new = {s: t for s, t in run.signatures.items() if s not in baseline}
    strict = {s: t for s, t in new.items() if check_of(s) not in noisy}
    first_sig = min(strict, key=strict.get) if strict else None
    loose_sig = min(new, key=new.get) if new else None
    out = {
        "detected": bool(strict),
        "first_detection_s": strict[first_sig] if strict else None,
        "first_detection_signature": first_sig,
        "detected_loose": bool(new),
        "first_detection_loose_s": new[loose_sig] if new else None,
        "cases": run.cases,
        "requests": run.requests,
        "engine_s": run.engine_s,
        "wall_s": run.wall_s,
        "cases_per_s": round(run.cases / run.engine_s, 1) if run.engine_s else None,
        "requests_per_s": round(run.requests / run.engine_s, 1) if run.engine_s else None,
        "exit_code": run.exit_code,
        "timed_out": run.timed_out,
        "new_failure_signatures": sorted(strict),
        "new_failure_signatures_of_noisy_checks": sorted(set(new) - set(strict)),
        "failure_signature_first_seen_s": dict(sorted(run.signatures.items())),
        "command": run.command,
        "note": run.note,
    }
    if first_sig in run.bounds:
        out["first_detection_bounds_s"] = list(run.bounds[first_sig])
    if fault in CAUGHT_BY and run.command[0] == KOMBO:
        checks = CAUGHT_BY[fault].checks
        out["targeted_check_hit"] = any(check_of(s) in checks for s in strict)
    return out


def machine() -> dict:
    def version(cmd: list[str]) -> str:
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
            return (done.stdout or done.stderr).strip().splitlines()[-1]
        except (OSError, subprocess.TimeoutExpired, IndexError):
            return "unknown"

    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "schemathesis": version([ST, "--version"]),
        "kombo_conformance": version([KOMBO, "--version"]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per tool and target")
    parser.add_argument("--faults", help="comma-separated fault names (default: all)")
    parser.add_argument("--baseline-runs", type=int, default=2, help="correct-sandbox runs")
    parser.add_argument("--suite-max-examples", type=int, help="default: chosen from budget")
    parser.add_argument("--sandbox-cli", action="store_true", help="plain `sandbox` command")
    parser.add_argument("--out", default=str(RESULTS / "run_vs_schemathesis"), help="stem")
    parser.add_argument("--render", action="store_true", help="only rewrite the .md from .json")
    parser.add_argument("--serve-sandbox", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_sandbox is not None:
        return serve_sandbox(args.serve_sandbox)
    if args.render:
        out = Path(args.out)
        out.with_suffix(".md").write_text(
            markdown(json.loads(out.with_suffix(".json").read_text()))
        )
        return 0
    faults = args.faults.split(",") if args.faults else list(CATALOGUE)
    unknown = [f for f in faults if f not in CATALOGUE]
    if unknown:
        parser.error(f"unknown faults: {', '.join(unknown)}")
    max_examples = args.suite_max_examples or suite_max_examples(args.budget)
    budget = max(1.0, args.budget)
    started = time.monotonic()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="kombo-bench-") as tmp:
        tmp = Path(tmp)
        contract_file = tmp / "contract.json"
        contract_file.write_text(json.dumps(load_contract_cached().document))
        config = tmp / "schemathesis.toml"
        config.write_text(ST_CONFIG)
        results: dict = {
            "benchmark": "kombo-conformance run vs vanilla schemathesis st run",
            "invocation": "python benchmarks/run_vs_schemathesis.py "
            + " ".join(sys.argv[1:] if argv is None else argv),
            "machine": machine(),
            "budget_s": budget,
            "suite_max_examples": max_examples,
            "seed": SEED,
            "schemathesis_config_file": ST_CONFIG,
            "sandbox": "kombo-conformance sandbox (plain CLI)"
            if args.sandbox_cli
            else "project serve() with TCP_NODELAY on the listening socket",
            "sandbox_note": None if args.sandbox_cli else NODELAY_NOTE,
            "method": __doc__.split("Method (also written into the results):")[1]
            .split("The sandbox is")[0]
            .strip(),
            "correct_sandbox": {},
            "faults": [],
        }

        def target(fault: str | None, connector: str, label: str) -> tuple[ToolRun, ToolRun]:
            work = tmp / label
            work.mkdir()
            with sandbox(fault, args.sandbox_cli) as (url, _cmd):
                suite = run_suite(url, connector, max_examples, budget, work)
            with sandbox(fault, args.sandbox_cli) as (url, _cmd):
                st = run_schemathesis(url, connector, budget, contract_file, config, work)
            elapsed = round(time.monotonic() - started)
            print(
                f"[{elapsed:>5}s] {label:<34} suite {len(suite.signatures):>3} sigs "
                f"{suite.wall_s:>6.1f}s | st {len(st.signatures):>3} sigs {st.wall_s:>6.1f}s",
                flush=True,
            )
            return suite, st

        connectors = sorted({connector_of(f) for f in faults})
        baselines: dict[str, dict] = {}
        for connector in connectors:
            runs = [
                target(None, connector, f"correct-{connector}-{i}")
                for i in range(1, max(1, args.baseline_runs) + 1)
            ]
            base = {
                "suite": set().union(*(s.signatures for s, _ in runs)),
                "schemathesis": set().union(*(t.signatures for _, t in runs)),
            }
            base["flaky"] = {
                "suite": flaky_checks([s for s, _ in runs]),
                "schemathesis": flaky_checks([t for _, t in runs]),
            }
            baselines[connector] = base
            results["correct_sandbox"][connector] = {
                tool: {
                    "false_alarms": len(base[tool]),
                    "per_run": [len((s if tool == "suite" else t).signatures) for s, t in runs],
                    "signatures": sorted(base[tool]),
                    "flaky_checks": sorted(base["flaky"][tool]),
                    "runs": [
                        summarise(s if tool == "suite" else t, set(), None, set()) for s, t in runs
                    ],
                }
                for tool in ("suite", "schemathesis")
            }

        def base_flaky(connector: str, tool: str) -> set[str]:
            return baselines[connector]["flaky"][tool]

        for fault in faults:
            connector = connector_of(fault)
            suite, st = target(fault, connector, fault)
            demo = CAUGHT_BY.get(fault)
            results["faults"].append(
                {
                    "fault": fault,
                    "description": CATALOGUE[fault].description,
                    "targeted_check": list(demo.checks) if demo else CATALOGUE[fault].trips,
                    "shows_at": f"{demo.connector} {demo.operation}" if demo else "every request",
                    "connector": connector,
                    "transport_fault": fault in TRANSPORT_FAULTS,
                    "suite": summarise(
                        suite, baselines[connector]["suite"], fault, base_flaky(connector, "suite")
                    ),
                    "schemathesis": summarise(
                        st,
                        baselines[connector]["schemathesis"],
                        fault,
                        base_flaky(connector, "schemathesis"),
                    ),
                }
            )
            write(results, out, started)
        write(results, out, started)
    return 0


def totals(results: dict) -> dict:
    rows = results["faults"]
    out = {"faults": len(rows)}
    for tool in ("suite", "schemathesis"):
        hits = [r for r in rows if r[tool]["detected"]]
        loose = [r for r in rows if r[tool]["detected_loose"]]
        times = [r[tool]["first_detection_s"] for r in hits]
        rates = [r[tool]["cases_per_s"] for r in rows if r[tool]["cases_per_s"]]
        req = [r[tool]["requests_per_s"] for r in rows if r[tool]["requests_per_s"]]
        out[tool] = {
            "detected": len(hits),
            "detected_loose": len(loose),
            "median_first_detection_s": median(times),
            "median_cases_per_s": median(rates),
            "median_requests_per_s": median(req),
            "false_alarm_signatures": sum(
                c[tool]["false_alarms"] for c in results["correct_sandbox"].values()
            ),
        }
    out["only_suite"] = [r["fault"] for r in rows if r["suite"]["detected"]
                         and not r["schemathesis"]["detected"]]  # fmt: skip
    out["only_schemathesis"] = [r["fault"] for r in rows if r["schemathesis"]["detected"]
                                and not r["suite"]["detected"]]  # fmt: skip
    out["neither"] = [r["fault"] for r in rows if not r["suite"]["detected"]
                      and not r["schemathesis"]["detected"]]  # fmt: skip
    return out


def median(values: list[float]) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else round((values[mid - 1] + values[mid]) / 2, 3)


def write(results: dict, out: Path, started: float) -> None:
    results["totals"] = totals(results)
    results["benchmark_wall_s"] = round(time.monotonic() - started, 1)
    out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    out.with_suffix(".md").write_text(markdown(results))


def cell(tool: dict) -> str:
    if not tool["detected"]:
        return "no"
    at = tool["first_detection_s"]
    bounds = tool.get("first_detection_bounds_s")
    when = f"{bounds[0]:.1f}-{bounds[1]:.1f} s" if bounds else f"{at:.1f} s"
    return f"**yes** ({when})"


def loose(tool: dict) -> str:
    at = tool["first_detection_loose_s"]
    return "no" if at is None else f"yes ({at:.1f} s)"


def rate(tool: dict) -> str:
    if tool["cases_per_s"] is None:
        return "-"
    return f"{tool['cases_per_s']:.0f} / {tool['requests_per_s']:.0f}"


def markdown(results: dict) -> str:
    t = results["totals"]
    m = results["machine"]
    lines = [
        "# kombo-conformance vs vanilla schemathesis",
        "",
        f"Generated by `{results['invocation'].strip()}` in {results['benchmark_wall_s']} s on "
        f"{m['cpu_count']} CPUs, Python {m['python']}, {m['schemathesis']}, "
        f"{m['kombo_conformance']}. Budget: **{results['budget_s']:.0f} s per tool and target** "
        f"(st `--max-time`; the suite with `--max-examples {results['suite_max_examples']}`, "
        "chosen to take about the same wall time; per-target `wall_s` in the JSON). Raw "
        "data, exact commands and every failure signature: "
        "`run_vs_schemathesis.json`.",
        "",
        "**Detected** (strict) = at least one failure (operation, check) not reported on any "
        "correct-sandbox run of the same connector, from a check that is not flaky there "
        "(its failures on the correct sandbox did not change between runs). **Loose** = "
        "the first condition only (the issue's literal definition); it credits st with "
        "run-to-run variation of checks that already misfire on the correct sandbox "
        "(listed below as flaky). "
        "Time = seconds from process start to the first such failure (suite: the interval of "
        "the operation that reported it). Rates: test cases/s / HTTP requests/s over engine "
        "time (the suite's test cases are its requests).",
        "",
        "| fault | connector | targeted check | suite | st run (strict) | st run (loose) "
        "| suite rate | st rate | st's new failures (strict) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results["faults"]:
        targeted = r["targeted_check"]
        targeted = ", ".join(targeted) if isinstance(targeted, list) else targeted
        st_new = r["schemathesis"]["new_failure_signatures"]
        shown = "; ".join(st_new[:3]) + (f"; +{len(st_new) - 3} more" if len(st_new) > 3 else "")
        lines.append(
            f"| {r['fault']} | {r['connector']} | {targeted} | {cell(r['suite'])} "
            f"| {cell(r['schemathesis'])} | {loose(r['schemathesis'])} "
            f"| {rate(r['suite'])} | {rate(r['schemathesis'])} "
            f"| {shown.replace('|', '/') or '-'} |"
        )
    s, st = t["suite"], t["schemathesis"]
    lines += [
        f"| **total** | | | **{s['detected']}/{t['faults']}** | **{st['detected']}/{t['faults']}**"
        f" | {st['detected_loose']}/{t['faults']} | median {fmt(s['median_cases_per_s'])} "
        f"| median {fmt(st['median_cases_per_s'])} | |",
        "",
        f"Median time to first detection (detected faults only): suite "
        f"{fmt(s['median_first_detection_s'])} s, st run {fmt(st['median_first_detection_s'])} s.",
        "",
        f"- Detected by the suite only: {', '.join(t['only_suite']) or 'none'}",
        f"- Detected by st run only: {', '.join(t['only_schemathesis']) or 'none'}",
        f"- Detected by neither: {', '.join(t['neither']) or 'none'}",
        "",
        "## False alarms on the correct sandbox",
        "",
        "Failure signatures reported against the sandbox with no fault (union over "
        f"{len(next(iter(results['correct_sandbox'].values()))['suite']['per_run'])} runs "
        "per connector; per-run counts in brackets).",
        "",
    ]
    for connector, tools in results["correct_sandbox"].items():
        for tool in ("suite", "schemathesis"):
            c = tools[tool]
            name = "suite" if tool == "suite" else "st run"
            flaky = ", ".join(c["flaky_checks"]) or "none"
            lines.append(
                f"- **{name}, connector {connector}: {c['false_alarms']}** {c['per_run']}, "
                f"flaky checks: {flaky}"
                + (": " + "; ".join(f"`{x}`" for x in c["signatures"]) if c["signatures"] else "")
            )
    lines += ["", "## Reading", "", READING.rstrip(), "", "## Notes", ""]
    if results.get("sandbox_note"):
        lines.append(f"- Sandbox: {results['sandbox_note']}")
    lines += [
        "- Schemathesis gets the bearer key through `schemathesis.toml` "
        "(`[auth.openapi.ApiKey] bearer = ...`), its own OpenAPI-aware bearer auth; `--auth` "
        "is basic auth only and a raw `-H Authorization` header makes `ignored_auth` misfire.",
        "- A fault detected by st run only through failures unrelated to the fault's symptom "
        "would be noise from run-to-run variation (st's fuzzing depends on the time budget); "
        "check the listed signatures before reading such a row as a miss of the suite.",
        "",
    ]
    return "\n".join(lines)


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


if __name__ == "__main__":
    sys.exit(main())
