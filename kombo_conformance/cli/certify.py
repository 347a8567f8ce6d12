"""``kombo-conformance certify``: the connector x operation certification matrix and CI gate.

See docs/certification.md. Exit: 0 every connector certified or every failure baselined,
1 otherwise, 2 usage, contract, cassette or connection errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from kombo_conformance.certify.baseline import load_baseline, save_baseline, updated
from kombo_conformance.certify.collect import certify_parallel, certify_target, labelled
from kombo_conformance.certify.from_cassettes import certify_cassettes, recorded_connectors
from kombo_conformance.certify.merge import merge
from kombo_conformance.certify.result import Certification, apply_baseline
from kombo_conformance.certify.shard import parse_shard, shard
from kombo_conformance.certify.write import write_certification
from kombo_conformance.cli.run import add_compare_arguments, add_target_arguments
from kombo_conformance.contract import load_contract
from kombo_conformance.errors import UsageError
from kombo_conformance.findings import Case, Outcome
from kombo_conformance.redact import mask_url
from kombo_conformance.report import default_report_dir
from kombo_conformance.report.compare import comparison_meta
from kombo_conformance.report.groups import (
    ANY_CHECK,
    COMPARE_KEY,
    Grouped,
    comparison_dict,
    group_summary,
    grouped,
)
from kombo_conformance.report.text import group_lines, plain_table
from kombo_conformance.run import plan_connections, plan_operations
from kombo_conformance.settings import ENVIRONMENT, Settings, read_config_file, resolve_settings

CERTIFY_MAX_EXAMPLES = 3  # certification covers every connector: keep each operation quick
MAX_DEFAULT_WORKERS = 4  # processes, each with its own sandbox; default min(4, CPUs)
RUN_ONLY_FLAGS = ("from_cassettes", "shard", "base_url", "faults", "connectors", "operations")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "certify",
        help="certify connectors: a connector x operation matrix, field coverage, CI gate",
        description=(
            "Run the suite for every connector profile (or each --connector) against the "
            "bundled sandbox, a --base-url or recorded --from-cassettes, and classify each "
            "connector x operation cell as certified, failed, unsupported, "
            "declared-not-working or undeclared-working; measure the field coverage of the "
            "models each profile declares. With --baseline, only findings not in the "
            "baseline fail. Writes certification.html/.md/.json and junit.xml. Exit: 0 all "
            "certified or every failure baselined, 1 otherwise, 2 usage, contract or "
            "connection errors."
        ),
    )
    add_target_arguments(parser)
    parser.add_argument(
        "--from-cassettes",
        metavar="DIR",
        help="certify from recorded cassettes (offline, no credentials) instead of live",
    )
    parser.add_argument(
        "--baseline", metavar="FILE", help="YAML file of accepted findings (see docs)"
    )
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="rewrite --baseline FILE to accept the current findings (keeps who/why/when)",
    )
    parser.add_argument(
        "--shard",
        metavar="I/N",
        help="certify only shard I of N of the connectors (sorted, round-robin)",
    )
    parser.add_argument(
        "--merge",
        nargs="+",
        metavar="DIR",
        help="combine the certification.json of shard report directories; runs nothing",
    )
    # certify keeps failing findings only: there are no observations to show
    add_compare_arguments(parser, show_observations=False)
    parser.set_defaults(handler=run)


def _check_flags(args: argparse.Namespace) -> None:
    if args.update_baseline and not args.baseline:
        raise UsageError("--update-baseline needs --baseline FILE (the file to write)")
    if args.merge:
        given = [f"--{f.replace('_', '-')}" for f in RUN_ONLY_FLAGS if getattr(args, f, None)]
        if given:
            raise UsageError(
                f"--merge combines finished shards and runs nothing: drop {', '.join(given)}"
            )
    if args.from_cassettes and (args.base_url or args.faults):
        raise UsageError(
            "--from-cassettes replays recordings offline: it cannot be combined with "
            "--base-url or --fault"
        )


def _is_set(args: argparse.Namespace, name: str) -> bool:
    """Whether the user chose ``name`` (flag, environment or config file)."""
    config, _ = read_config_file(Path.cwd())
    return (
        getattr(args, name, None) is not None
        or bool(name in ENVIRONMENT and os.environ.get(ENVIRONMENT[name]))
        or any(k.replace("-", "_") == name for k in config)
    )


def certify_settings(args: argparse.Namespace) -> Settings:
    """The run settings, with certify's own defaults where the user chose nothing."""
    settings = resolve_settings(vars(args))
    if not _is_set(args, "max_examples"):
        settings = replace(settings, max_examples=CERTIFY_MAX_EXAMPLES)
    if not _is_set(args, "workers"):
        settings = replace(settings, workers=min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))
    return settings


def _run(args: argparse.Namespace, settings: Settings) -> Certification:
    contract = load_contract(settings.contracts or None)
    slugs = list(settings.connectors) or list(settings.integration_ids)  # ids: see learn.py
    if not slugs:
        slugs = sorted(contract.profiles)
        if args.from_cassettes:
            slugs = [s for s in slugs if s in recorded_connectors(args.from_cassettes)]
    if args.shard:
        slugs = shard(slugs, *parse_shard(args.shard))
    connections = plan_connections(contract, replace(settings, connectors=tuple(slugs)))
    connections = [c for c in connections if c.slug in slugs]  # [] stays [] (empty shard)
    operations = plan_operations(contract, settings)
    clock = time.perf_counter()
    meta = {
        "mode": "cassettes" if args.from_cassettes else "live",
        "shard": args.shard,
        "seed": settings.seed,
        "max_examples": settings.max_examples,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    if args.from_cassettes:
        meta["target"] = str(args.from_cassettes)
        rows = list(certify_cassettes(contract, args.from_cassettes, connections, operations))
    elif not connections:
        rows = []
    else:
        meta["target"] = "sandbox" if settings.uses_sandbox else mask_url(settings.base_url or "")
        meta["faults"] = list(settings.faults)
        workers = min(settings.workers, len(connections))
        meta["workers"] = workers
        if workers > 1:
            rows, meta["environment"] = certify_parallel(settings, connections, operations, workers)
        else:
            rows, meta["environment"] = certify_target(contract, settings, connections, operations)
    meta["duration_s"] = round(time.perf_counter() - clock, 3)
    return Certification(labelled(rows, connections), [op.key for op in operations], meta)


def _compared(certification: Certification, compared: dict) -> Grouped:
    """The certification's findings grouped and marked against ``--compare``'s error groups
    (certify keeps failing findings only): a cell that was run rechecks every group of its
    connector and operation."""
    cases = [
        Case(c.connector, c.operation, ANY_CHECK, "not run" if c.status == "not run" else "passed")
        for c in certification.cells
    ]
    previous = compared[COMPARE_KEY]
    errors = [g for g in previous["groups"] if g["severity"] == "error"]
    meta = {COMPARE_KEY: previous | {"groups": errors}}
    return grouped(Outcome("certify", certification.findings, cases, meta=meta))


def _comparison(groups: Grouped, fail_on: str) -> dict:
    new = [group_summary(g) for g in groups.groups if g.change == "new"]
    return comparison_dict(groups, fail_on) | {"new": new}


def _print_summary(certification: Certification, report_dir: Path) -> None:
    rows = [
        (c.slug, c.verdict, c.count("certified"), sum(not x.passed for x in c.cells), c.reason)
        for c in certification.connectors
    ]
    print(plain_table(("connector", "verdict", "certified", "not certified", "reason"), rows))
    for entry in certification.stale:
        print(f"stale baseline entry (no longer occurs): {entry.fingerprint}")
    for entry in certification.expired:
        print(f"expired baseline entry (no longer counts): {entry.fingerprint}")
    print(certification.headline())
    print(f"reports: {report_dir}/certification.html (and .md, .json, junit.xml)", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    _check_flags(args)
    compared = comparison_meta(args.compare, fail_on=args.fail_on)
    today = dt.date.today()
    baseline = (
        load_baseline(args.baseline, missing_ok=args.update_baseline) if args.baseline else None
    )
    if args.merge:
        settings = None
        certification = merge(args.merge)
    else:
        settings = certify_settings(args)
        certification = _run(args, settings)
    if baseline is not None and args.update_baseline:
        baseline = updated(baseline, certification.findings, certification.scope, today)
        save_baseline(baseline, args.baseline)
        print(f"baseline written: {args.baseline} ({len(baseline.entries)} entries)")
    if baseline is not None or not args.merge:
        certification = apply_baseline(certification, baseline, today)
    groups = _compared(certification, compared) if COMPARE_KEY in compared else None
    if groups is not None:
        certification.meta["comparison"] = _comparison(groups, args.fail_on)
        if args.fail_on == "new":  # the exit code, and the headline that states it
            certification.new_groups = frozenset(g.id for g in groups.groups if g.change == "new")
    report_dir = Path(args.report_dir) if args.report_dir else default_report_dir()
    secrets = [settings.api_key] if settings else []
    write_certification(certification, report_dir, secrets)
    if groups is not None:
        print("\n".join(group_lines(groups)))
    _print_summary(certification, report_dir)
    return certification.exit_code
