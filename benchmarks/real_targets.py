"""Benchmarks of ``kombo-conformance run`` against real-target-like servers (not part of the
test suite). Each subcommand writes one JSON file into benchmarks/results/ and prints a
table computed from that file.

- ``scale``: a realistic sandbox (``kombo-conformance sandbox --realistic --records 100000
  --lag 2 --rate-limit 0``) in a separate process; ``kombo-conformance run --base-url URL
  --api-key KEY --allow-writes --rate-limit 0`` as a subprocess, once with the four default
  connectors together (the target: under 3 minutes and under 500 MB for the run process)
  and once per connector (the breakdown), each run against a fresh sandbox. Writes
  real_targets_scale.json.
- ``rate-limit``: ``run --rate-limit 10 --connector sandbox`` and three operations against a
  realistic sandbox with 5,000 records and a server limit of 20 requests/s: wall time
  against the ideal (requests / 10), 429 answers seen, findings about a 429. Writes
  real_targets_rate_limit.json.
- ``workers``: the default run on the bundled sandbox (``run`` without ``--base-url``) with
  ``--workers 1`` and ``--workers 2``, alternated, ``--repeats`` times each: median wall time,
  speed-up, and whether exit codes and error counts agree. Writes
  real_targets_workers.json.
- ``report``: print the tables of the committed result files again.

    python benchmarks/real_targets.py scale [--records 100000] [--no-per-connector]
    python benchmarks/real_targets.py rate-limit
    python benchmarks/real_targets.py workers [--repeats 2]
    python benchmarks/real_targets.py all
    python benchmarks/real_targets.py report

Method, written into the results as well:

- Peak memory of a run is ``ru_maxrss`` of the ``kombo-conformance run`` process from
  ``os.wait4`` (on Linux the largest single process among it and the children it reaped, so
  with ``--workers 2`` the largest worker or the parent, not their sum). Cross-checks,
  sampled every 0.5 s from /proc: the run process's ``VmHWM`` and the sum of ``VmRSS``
  over its process group (workers included). The sandbox's peak is its ``VmHWM`` from
  /proc, read just before it is stopped.
- Wall time is from starting the run process to reaping it (``duration_s`` in report.json,
  the engine's own time without start-up and report writing, is recorded too).
- The machine is shared: for every run the 1-minute load average before and after is
  recorded, and ``other_cores`` = (all busy CPU time from /proc/stat during the run - the CPU
  time of the run and of its sandbox) / wall time, i.e. how many cores other processes
  used meanwhile.
- Everything listens on and talks to 127.0.0.1 only; every process gets a timeout and is
  stopped (its whole process group) at the end, also on errors.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import select
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import RESULTS, ROOT, stop_group, use_project_venv

try:
    from kombo_conformance.settings import DEFAULT_CONNECTORS
except ImportError:  # run with a python that lacks the project: use the project's venv
    use_project_venv()
    raise

BIN = Path(sys.executable).parent
KOMBO = str(BIN / "kombo-conformance")
KEY = "bench-key"
HOST = "127.0.0.1"
START_TIMEOUT_S = 60.0
TARGET_WALL_S = 180.0
TARGET_RSS_MB = 500.0
RATE_OPERATIONS = ("GET /ats/candidates", "GET /ats/jobs", "POST /ats/candidates")
FILES = {
    "scale": RESULTS / "real_targets_scale.json",
    "rate-limit": RESULTS / "real_targets_rate_limit.json",
    "workers": RESULTS / "real_targets_workers.json",
}
PROGRESS = re.compile(r"^(\S+): (\d+)/(\d+) operations$")
CLOCK_TICK = os.sysconf("SC_CLK_TCK")
SAMPLE_EVERY_S = 0.5  # memory samples of the run's process group


# -- processes ---------------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    """The environment without KOMBO_* settings (flags only), no colours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOMBO_")}
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a live process (all its threads)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICK  # utime, stime


def process_memory_mb(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": values["VmRSS"], "peak_rss_mb": values["VmHWM"]}


def machine_busy_s() -> float:
    """CPU seconds spent busy by all processes since boot (/proc/stat, all cores)."""
    first = Path("/proc/stat").read_text().splitlines()[0].split()
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, first[1:9])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICK


def load_1m() -> float:
    return round(os.getloadavg()[0], 2)


def group_rss_mb(pgid: int) -> tuple[float, float]:
    """(VmHWM of the group leader, sum of VmRSS over the process group) now, in MB; 0 for
    what cannot be read (a process that just ended)."""
    leader, total = 0.0, 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            if int(stat[stat.rindex(")") + 2 :].split()[2]) != pgid:
                continue
            for line in Path(entry.path, "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                elif line.startswith("VmHWM:") and int(entry.name) == pgid:
                    leader = int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue
    return leader, total / 1024


@dataclass
class Sandbox:
    """A ``kombo-conformance sandbox`` process; ``stats`` is filled when it stops."""

    command: list[str]
    url: str = ""
    pid: int = 0
    stats: dict[str, Any] = field(default_factory=dict)


@contextlib.contextmanager
def realistic_sandbox(records: int, lag: float, rate_limit: float, work: Path):
    """A realistic sandbox in its own process group on a free loopback port."""
    command = [
        sys.executable, "-m", "kombo_conformance", "sandbox", "--host", HOST, "--port", "0",
        "--api-key", KEY, "--realistic", "--records", str(records), "--lag", f"{lag:g}",
        "--rate-limit", f"{rate_limit:g}",
    ]  # fmt: skip
    sandbox = Sandbox(command=command)
    errors = work / "sandbox.stderr"
    with open(errors, "wb") as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, cwd=work,
            env=child_env(PYTHONUNBUFFERED="1"), start_new_session=True,
        )  # fmt: skip
        sandbox.pid = proc.pid
        try:
            seen = b""
            while not sandbox.url and time.monotonic() - started < START_TIMEOUT_S:
                ready, _, _ = select.select([proc.stdout], [], [], 0.5)
                if ready:
                    chunk = os.read(proc.stdout.fileno(), 4096)
                    if not chunk:
                        break
                    seen += chunk
                    found = re.search(rb"http://127\.0\.0\.1:\d+/v1", seen)
                    sandbox.url = found.group(0).decode() if found else ""
                elif proc.poll() is not None:
                    break
            if not sandbox.url:
                raise RuntimeError(f"the sandbox did not start: {shlex.join(command)}")
            sandbox.stats["start_to_url_s"] = round(time.monotonic() - started, 3)
            yield sandbox
        finally:
            if proc.poll() is None:
                sandbox.stats.update(process_memory_mb(proc.pid))
                sandbox.stats["cpu_s"] = round(process_cpu_s(proc.pid), 2)
            stop_group(proc)
            proc.stdout.close()
            sandbox.stats["exit_code_on_sigterm"] = proc.returncode
    sandbox.stats["traceback_on_stderr"] = "Traceback" in errors.read_text(errors="replace")


def run_suite(
    args: list[str], work: Path, timeout: float, sandbox_pid: int | None = None
) -> dict[str, Any]:
    """``kombo-conformance run ARGS --report-dir work/report`` as a measured subprocess."""
    report_dir = work / "report"
    command = [KOMBO, "run", *args, "--report-dir", str(report_dir)]
    lines: list[tuple[float, str]] = []
    load_start = load_1m()
    busy_start = machine_busy_s()
    sandbox_cpu_start = process_cpu_s(sandbox_pid) if sandbox_pid else 0.0
    timed_out = False
    sampled_peak = group_peak = 0.0
    with open(work / "run.stdout", "wb") as out:
        start = time.monotonic()
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.PIPE, cwd=work,
            env=child_env(), start_new_session=True,
        )  # fmt: skip

        def read_stderr() -> None:
            for raw in proc.stderr:
                lines.append((time.monotonic() - start, raw.decode(errors="replace").rstrip()))

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        next_sample = start
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.monotonic() >= next_sample:
                    leader, total = group_rss_mb(proc.pid)
                    sampled_peak, group_peak = max(sampled_peak, leader), max(group_peak, total)
                    next_sample = time.monotonic() + SAMPLE_EVERY_S
                if time.monotonic() - start > timeout:
                    timed_out = True
                    os.killpg(proc.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.02)
            wall = time.monotonic() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if proc.returncode is None:  # interrupted: do not leave the run behind
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):  # workers it may have left
                os.killpg(proc.pid, signal.SIGKILL)
        reader.join(timeout=10)
        proc.stderr.close()
    run_cpu = usage.ru_utime + usage.ru_stime
    sandbox_cpu = process_cpu_s(sandbox_pid) - sandbox_cpu_start if sandbox_pid else 0.0
    busy = machine_busy_s() - busy_start
    stderr = "\n".join(line for _, line in lines)
    (work / "run.stderr").write_text(stderr + "\n")
    finished: dict[str, float] = {}
    for at, line in lines:
        match = PROGRESS.match(line)
        if match and match.group(2) == match.group(3):
            finished[match.group(1)] = round(at, 2)
    result: dict[str, Any] = {
        "command": shlex.join(["kombo-conformance", *command[1:]]),
        "exit_code": proc.returncode,
        "timed_out": timed_out,
        "timeout_s": timeout,
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "peak_rss_mb_sampled": round(sampled_peak, 1),
        "group_rss_sum_peak_mb_sampled": round(group_peak, 1),
        "cpu_s": round(run_cpu, 2),
        "sandbox_cpu_s": round(sandbox_cpu, 2) if sandbox_pid else None,
        "other_cores": round(max(0.0, busy - run_cpu - sandbox_cpu) / wall, 2),
        "load_1m_start": load_start,
        "load_1m_end": load_1m(),
        "connector_finished_at_s": finished,
        "traceback_on_stderr": "Traceback" in stderr,
        "stderr_tail": [line for _, line in lines[-3:]],
        "report_dir": str(report_dir),
    }
    report = report_dir / "report.json"
    result["report"] = summarise_report(report) if report.exists() else None
    return result


# -- report.json -------------------------------------------------------------------------


def summarise_report(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text())
    meta, summary, findings = data.get("meta", {}), data["summary"], data.get("findings", [])
    by_connector: dict[str, dict[str, Any]] = {}
    for case in data.get("cases", []):
        entry = by_connector.setdefault(case["connector"], {"verdicts": Counter(), "bounded": 0})
        entry["verdicts"][case["verdict"]] += 1
        entry["bounded"] += bool(case.get("bounded"))
    severities: dict[str, Counter] = {}
    for finding in findings:
        severities.setdefault(finding.get("connector", ""), Counter())[finding["severity"]] += 1
    return {
        "engine_duration_s": data.get("duration_s"),
        "requests": meta.get("requests"),
        "politeness": meta.get("politeness"),
        "records_changed": len(meta.get("changes") or []),
        "findings_by_severity": summary["findings_by_severity"],
        "cases": summary["cases"],
        "cases_by_verdict": summary["cases_by_verdict"],
        "bounded_cases": summary["bounded_cases"],
        "exit_code": summary["exit_code"],
        "timeouts": sum("did not answer within" in f["message"] for f in findings)
        + sum(
            c["verdict"] == "inconclusive" and "did not answer within" in (c.get("note") or "")
            for c in data.get("cases", [])
        ),
        "findings_with_response_status_429": sum(
            1 for f in findings if (f.get("response") or {}).get("status") == 429
        ),
        "by_connector": {
            slug: {
                "cases_by_verdict": dict(entry["verdicts"]),
                "bounded_cases": entry["bounded"],
                "findings_by_severity": dict(severities.get(slug, {})),
            }
            for slug, entry in sorted(by_connector.items())
        },
        "errors": [
            {
                "connector": f.get("connector", ""),
                "operation": f.get("operation", ""),
                "check": f["check"],
                "message": f["message"][:400],
            }
            for f in findings
            if f["severity"] == "error"
        ],
        "inconclusive": [
            {k: c.get(k) for k in ("connector", "operation", "check", "note")}
            for c in data.get("cases", [])
            if c["verdict"] == "inconclusive"
        ],
    }


# -- the benchmarks ----------------------------------------------------------------------


def machine() -> dict[str, Any]:
    def output(cmd: list[str]) -> str:
        try:
            done = subprocess.run(
                cmd, capture_output=True, text=True, timeout=60, check=False, cwd=ROOT
            )
            return done.stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "unknown"

    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "kombo_conformance": output([KOMBO, "--version"]),
        "git_commit": output(["git", "rev-parse", "HEAD"]),
        "git_worktree_changed_files": len(output(["git", "status", "--porcelain"]).splitlines()),
    }


def work_dir(base: Path, name: str) -> Path:
    path = base / name
    path.mkdir(parents=True, exist_ok=False)
    return path


def scale_run(connectors: list[str] | None, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    with realistic_sandbox(args.records, args.lag, 0, work) as sandbox:
        run_args = ["--base-url", sandbox.url, "--api-key", KEY, "--allow-writes"]
        run_args += ["--rate-limit", "0"]
        for slug in connectors or []:
            run_args += ["--connector", slug]
        result = run_suite(run_args, work, args.timeout, sandbox_pid=sandbox.pid)
    result["sandbox_command"] = shlex.join(["kombo-conformance", *sandbox.command[3:]])
    result["sandbox"] = sandbox.stats
    return result


def target_verdict(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's target, judged on the median wall time and the highest peak memory of
    the runs of the four connectors together."""
    wall = round(statistics.median(r["wall_s"] for r in runs), 2)
    rss = max(r["peak_rss_mb"] for r in runs)
    clean = all(r["exit_code"] in (0, 1) and not r["timed_out"] for r in runs)
    out = {
        "judged_on": f"median wall time and highest peak memory of {len(runs)} run(s)",
        "wall_s_limit": TARGET_WALL_S,
        "peak_rss_mb_limit": TARGET_RSS_MB,
        "wall_s": wall,
        "best_wall_s": min(r["wall_s"] for r in runs),
        "peak_rss_mb": rss,
        "wall_met": clean and wall < TARGET_WALL_S,
        "memory_met": clean and rss < TARGET_RSS_MB,
        "wall_over_by_s": round(max(0.0, wall - TARGET_WALL_S), 2),
        "wall_over_by_pct": round(max(0.0, wall / TARGET_WALL_S - 1) * 100, 1),
        "memory_headroom_mb": round(TARGET_RSS_MB - rss, 1),
    }
    out["met"] = out["wall_met"] and out["memory_met"]
    return out


def bench_scale(args: argparse.Namespace, base: Path) -> dict[str, Any]:
    results: dict[str, Any] = {
        "benchmark": "scale",
        "command": "python benchmarks/real_targets.py scale "
        f"--records {args.records} --lag {args.lag:g} --repeats {args.repeats} "
        f"--timeout {args.timeout:g}" + ("" if args.per_connector else " --no-per-connector"),
        "machine": machine(),
        "load_1m_at_start": load_1m(),
        "records": args.records,
        "connectors": list(DEFAULT_CONNECTORS),
        "method": "one fresh realistic sandbox process per run (records scaled, write lag "
        f"{args.lag:g} s, no server rate limit); the run with its defaults (max-examples, seed, "
        "timeout 10 s), --allow-writes --rate-limit 0; 'all_runs' run the four default "
        "connectors in one process (--repeats times), 'per_connector' runs each alone once",
        "all_runs": [],
    }
    for i in range(args.repeats):
        print(f"scale: all four connectors, {args.records} records, run {i + 1}", file=sys.stderr)
        results["all_runs"].append(scale_run(None, args, work_dir(base, f"scale-all-{i + 1}")))
    results["target"] = target_verdict(results["all_runs"])
    if args.per_connector:
        results["per_connector"] = {}
        for slug in DEFAULT_CONNECTORS:
            print(f"scale: {slug} alone", file=sys.stderr)
            results["per_connector"][slug] = scale_run(
                [slug], args, work_dir(base, f"scale-{slug}")
            )
    results["load_1m_at_end"] = load_1m()
    return results


def bench_rate_limit(args: argparse.Namespace, base: Path) -> dict[str, Any]:
    work = work_dir(base, "rate-limit")
    results: dict[str, Any] = {
        "benchmark": "rate-limit",
        "command": f"python benchmarks/real_targets.py rate-limit --timeout {args.timeout:g}",
        "machine": machine(),
        "load_1m_at_start": load_1m(),
        "client_rate_limit_per_s": 10,
        "server_rate_limit_per_s": 20,
        "records": 5000,
        "operations": list(RATE_OPERATIONS),
    }
    with realistic_sandbox(5000, args.lag, 20, work) as sandbox:
        run_args = ["--base-url", sandbox.url, "--api-key", KEY, "--allow-writes"]
        run_args += ["--rate-limit", "10", "--connector", "sandbox"]
        for operation in RATE_OPERATIONS:
            run_args += ["--operation", operation]
        run = run_suite(run_args, work, args.timeout, sandbox_pid=sandbox.pid)
    run["sandbox_command"] = shlex.join(["kombo-conformance", *sandbox.command[3:]])
    run["sandbox"] = sandbox.stats
    results["run"] = run
    report = run["report"] or {}
    politeness = report.get("politeness") or {}
    sent = politeness.get("requests")
    if sent:
        ideal = sent / 10
        results["ideal_s"] = round(ideal, 2)
        results["wall_over_ideal"] = round(run["wall_s"] / ideal, 3)
        results["engine_over_ideal"] = round(report["engine_duration_s"] / ideal, 3)
    results["responses_429"] = politeness.get("responses_429")
    results["findings_with_response_status_429"] = report.get("findings_with_response_status_429")
    results["load_1m_at_end"] = load_1m()
    return results


def bench_workers(args: argparse.Namespace, base: Path) -> dict[str, Any]:
    results: dict[str, Any] = {
        "benchmark": "workers",
        "command": f"python benchmarks/real_targets.py workers --repeats {args.repeats} "
        f"--timeout {args.timeout:g}",
        "machine": machine(),
        "load_1m_at_start": load_1m(),
        "method": "kombo-conformance run (bundled sandbox, in-process; default connectors "
        "and settings) with --workers 1 and --workers 2, alternated; peak_rss_mb is the "
        "largest single process",
        "runs": {"1": [], "2": []},
    }
    for i in range(args.repeats):
        for workers in ("1", "2"):
            print(f"workers: --workers {workers}, run {i + 1}/{args.repeats}", file=sys.stderr)
            work = work_dir(base, f"workers-{workers}-{i + 1}")
            run = run_suite(["--workers", workers], work, args.timeout)
            results["runs"][workers].append(run)
    medians = {
        w: statistics.median(r["wall_s"] for r in runs) for w, runs in results["runs"].items()
    }
    results["median_wall_s"] = {w: round(m, 2) for w, m in medians.items()}
    results["speed_up"] = round(medians["1"] / medians["2"], 3)
    every = [r for runs in results["runs"].values() for r in runs]
    errors = {(r["report"] or {}).get("findings_by_severity", {}).get("error") for r in every}
    results["same_exit_code"] = len({r["exit_code"] for r in every}) == 1
    results["same_error_count"] = len(errors) == 1 and None not in errors
    results["load_1m_at_end"] = load_1m()
    return results


# -- tables ------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [["-" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [" | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def run_row(label: str, run: dict[str, Any]) -> dict[str, Any]:
    """One run's table cells by column name (see RUN_COLUMNS)."""
    report = run.get("report") or {}
    severity = report.get("findings_by_severity", {})
    verdicts = report.get("cases_by_verdict", {})
    sandbox = run.get("sandbox") or {}
    return {
        "run": label,
        "wall s": run["wall_s"],
        "engine s": report.get("engine_duration_s"),
        "requests": report.get("requests"),
        "run peak MB": run["peak_rss_mb"],
        "exit": run["exit_code"] if not run["timed_out"] else f"{run['exit_code']} (timeout)",
        "errors": severity.get("error"),
        "warnings": severity.get("warning"),
        "passed": verdicts.get("passed"),
        "bounded": report.get("bounded_cases"),
        "failed": verdicts.get("failed"),
        "inconcl.": verdicts.get("inconclusive"),
        "not run": verdicts.get("not run"),
        "n/a": verdicts.get("not applicable"),
        "run CPU s": run["cpu_s"],
        "sandbox CPU s": run.get("sandbox_cpu_s"),
        "sandbox peak MB": sandbox.get("peak_rss_mb"),
        "other cores": run["other_cores"],
        "load": run["load_1m_start"],
    }


RUN_COLUMNS = [
    "run", "wall s", "engine s", "requests", "run peak MB", "exit", "errors", "warnings",
    "passed", "bounded", "failed", "inconcl.", "not run", "n/a", "run CPU s", "sandbox CPU s",
    "sandbox peak MB", "other cores", "load",
]  # fmt: skip


def run_table(rows: list[dict[str, Any]], columns: list[str] = RUN_COLUMNS) -> str:
    return table(columns, [[row[c] for c in columns] for row in rows])


def errors_text(label: str, run: dict[str, Any]) -> list[str]:
    report = run.get("report") or {}
    lines = [
        f"  {label}: {e['connector']} {e['operation']} [{e['check']}] {e['message']}"
        for e in report.get("errors", [])
    ]
    if run["timed_out"] or run["exit_code"] not in (0, 1) or run["traceback_on_stderr"]:
        lines.append(f"  {label}: exit {run['exit_code']}, stderr: {run['stderr_tail']}")
    return lines


def show_scale(data: dict[str, Any]) -> str:
    labelled = [(f"all four #{i}", r) for i, r in enumerate(data["all_runs"], start=1)]
    labelled += [(f"{slug} alone", r) for slug, r in (data.get("per_connector") or {}).items()]
    rows = []
    for label, run in labelled:
        rows.append(run_row(label, run))
        rows[-1]["timeouts"] = (run.get("report") or {}).get("timeouts")
    out = [f"scale: {data['records']} records, {data['machine']['cpu_count']} CPUs"]
    out.append(run_table(rows, [*RUN_COLUMNS[:6], "timeouts", *RUN_COLUMNS[6:]]))
    for label, run in labelled[: len(data["all_runs"])]:
        previous, split = 0.0, []
        for slug, at in run["connector_finished_at_s"].items():
            split.append(f"{slug} {at - previous:.1f} s")
            previous = at
        out.append(f"time per connector inside '{label}': " + ", ".join(split))
    if data.get("per_connector"):
        total = sum(r["wall_s"] for r in data["per_connector"].values())
        out.append(f"sum of the four single-connector runs: {total:.1f} s")
    t = data["target"]
    wall = (
        f"wall {t['wall_s']} s < {t['wall_s_limit']:g} s: met"
        if t["wall_met"]
        else f"wall {t['wall_s']} s vs {t['wall_s_limit']:g} s: NOT met, over by "
        f"{t['wall_over_by_s']} s ({t['wall_over_by_pct']}%; best run {t['best_wall_s']} s)"
    )
    memory = (
        f"run peak {t['peak_rss_mb']} MB < {t['peak_rss_mb_limit']:g} MB: "
        + ("met" if t["memory_met"] else "NOT met")
        + f" (headroom {t['memory_headroom_mb']} MB)"
    )
    out.append(f"target, four connectors together ({t['judged_on']}): {wall}; {memory}")
    errors = [line for label, run in labelled for line in errors_text(label, run)]
    if errors:
        out.append("error findings / abnormal exits:")
        out += errors
    return "\n".join(out)


def show_rate_limit(data: dict[str, Any]) -> str:
    run = data["run"]
    report = run.get("report") or {}
    politeness = report.get("politeness") or {}
    rows = [
        [
            run["wall_s"],
            report.get("engine_duration_s"),
            report.get("requests"),
            politeness.get("requests"),
            data.get("ideal_s"),
            data.get("wall_over_ideal"),
            data.get("engine_over_ideal"),
            politeness.get("throttle_wait_s") and round(politeness["throttle_wait_s"], 1),
            data["responses_429"],
            politeness.get("retries"),
            data["findings_with_response_status_429"],
            run["exit_code"],
            (report.get("findings_by_severity") or {}).get("error"),
            run["other_cores"],
            run["load_1m_start"],
        ]
    ]
    headers = [
        "wall s", "engine s", "requests", "sent", "ideal s (sent/10)", "wall/ideal",
        "engine/ideal", "throttled s", "429s", "retries", "findings 429", "exit", "errors",
        "other cores", "load",
    ]  # fmt: skip
    out = [
        f"rate limit: client {data['client_rate_limit_per_s']}/s, server "
        f"{data['server_rate_limit_per_s']}/s, {data['records']} records, connector sandbox, "
        + ", ".join(data["operations"]),
        table(headers, rows),
    ]
    errors = errors_text("rate-limit", run)
    if errors:
        out.append("error findings / abnormal exits:")
        out += errors
    return "\n".join(out)


def show_workers(data: dict[str, Any]) -> str:
    rows = []
    for workers, runs in data["runs"].items():
        for i, run in enumerate(runs, start=1):
            rows.append(run_row(f"--workers {workers} #{i}", run))
            rows[-1]["group MB (sum)"] = run["group_rss_sum_peak_mb_sampled"]
    columns = [c for c in RUN_COLUMNS if not c.startswith("sandbox")]
    columns.insert(columns.index("run peak MB") + 1, "group MB (sum)")
    median = data["median_wall_s"]
    out = [
        "workers: bundled sandbox, default run",
        run_table(rows, columns),
        f"median wall: --workers 1 {median['1']} s, --workers 2 {median['2']} s; "
        f"speed-up {data['speed_up']}x; same exit code: {data['same_exit_code']}; "
        f"same number of errors: {data['same_error_count']}",
    ]
    errors = []
    for workers, runs in data["runs"].items():
        for i, run in enumerate(runs, start=1):
            errors += errors_text(f"--workers {workers} #{i}", run)
    if errors:
        out.append("error findings / abnormal exits:")
        out += errors
    return "\n".join(out)


SHOW = {"scale": show_scale, "rate-limit": show_rate_limit, "workers": show_workers}
BENCH = {"scale": bench_scale, "rate-limit": bench_rate_limit, "workers": bench_workers}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("benchmark", choices=[*BENCH, "all", "report"])
    parser.add_argument("--records", type=int, default=100_000, help="scale: candidates")
    parser.add_argument("--lag", type=float, default=2.0, help="the sandbox's write lag (s)")
    parser.add_argument(
        "--no-per-connector",
        dest="per_connector",
        action="store_false",
        help="scale: skip the four single-connector runs",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=2,
        help="scale: runs of the four connectors together; workers: runs per setting",
    )
    parser.add_argument("--timeout", type=float, default=1200.0, help="seconds per run")
    parser.add_argument(
        "--work-dir", type=Path, help="where runs keep their reports (default: a new temp dir)"
    )
    args = parser.parse_args(argv)
    names = list(BENCH) if args.benchmark == "all" else [args.benchmark]
    if args.benchmark == "report":
        for name in BENCH:
            if FILES[name].exists():
                print(SHOW[name](json.loads(FILES[name].read_text())) + "\n")
        return 0
    base = args.work_dir or Path(tempfile.mkdtemp(prefix="kombo-real-targets-"))
    base.mkdir(parents=True, exist_ok=True)
    print(f"reports are kept in {base}", file=sys.stderr)
    for name in names:
        started = time.monotonic()
        data = BENCH[name](args, base)
        data["benchmark_wall_s"] = round(time.monotonic() - started, 1)
        data["reports_kept_in"] = str(base)
        FILES[name].parent.mkdir(parents=True, exist_ok=True)
        FILES[name].write_text(json.dumps(data, indent=2) + "\n")
        print(SHOW[name](data) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
