"""``kombo-conformance run``: the conformance run (the main job)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kombo_conformance.errors import UsageError
from kombo_conformance.settings import (
    DEFAULT_RATE_LIMIT,
    SANDBOX_API_KEY,
    Settings,
    resolve_settings,
)

if TYPE_CHECKING:  # the engine (schemathesis, httpx) is imported when a run starts
    from kombo_conformance.contract import Contract
    from kombo_conformance.findings import Outcome
    from kombo_conformance.run import Recorder


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags shared by every command that talks to a target (run, certify)."""
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="target base URL, e.g. https://api.kombo.dev/v1 (env KOMBO_BASE_URL; default: "
        "start the bundled sandbox on a free loopback port)",
    )
    parser.add_argument(
        "--api-key", metavar="KEY", help="API key sent as a bearer token (env KOMBO_API_KEY)"
    )
    parser.add_argument(
        "--connector",
        dest="connectors",
        action="append",
        metavar="SLUG",
        help="connector profile to test; repeatable (env KOMBO_CONNECTORS, comma-separated; "
        "default: the connectors of --integration-id, else sandbox, homerun, workday, moodle)",
    )
    parser.add_argument(
        "--integration-id",
        dest="integration_ids",
        action="append",
        metavar="ID",
        help="integration to test, as <connector>:<id>, <connector>=<id> or a bare <id>; the "
        "target's GET /integrations/{id} names its connector and declared coverage, which "
        "drive the run; repeatable (env KOMBO_INTEGRATION_IDS; default against the sandbox: "
        "<connector>:conformance)",
    )
    parser.add_argument(
        "--contract",
        dest="contracts",
        action="append",
        metavar="PATH",
        help="contract file or directory; repeatable (default: the project's contracts/)",
    )
    parser.add_argument(
        "--max-examples",
        type=int,
        metavar="N",
        help="generated requests per operation and mode (env KOMBO_MAX_EXAMPLES; default 10)",
    )
    parser.add_argument(
        "--seed", type=int, metavar="N", help="generation seed (env KOMBO_SEED; default 0)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes testing connectors in parallel, one connector per task (default 1)",
    )
    parser.add_argument(
        "--allow-writes",
        action="store_true",
        default=None,
        help="let the run send writes (POST, PUT, PATCH, DELETE) to --base-url; without it only "
        "GET requests reach a real target and checks that need writes say 'not run' (env "
        "KOMBO_ALLOW_WRITES; always on for the bundled sandbox). Use a test integration",
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        metavar="N",
        help=f"requests per second per integration (env KOMBO_RATE_LIMIT; default "
        f"{DEFAULT_RATE_LIMIT:g} against --base-url, none for the bundled sandbox; 0: none). "
        "429/503 answers are retried after Retry-After, a bounded number of times",
    )
    parser.add_argument(
        "--consistency-timeout",
        type=float,
        metavar="SECONDS",
        help="how long read-after-write waits for a write to show in lists (Kombo serves "
        "lists from synced copies; env KOMBO_CONSISTENCY_TIMEOUT; default 10)",
    )
    parser.add_argument(
        "--data-url",
        metavar="URL",
        help="a file URL you own, used where a request body points at a file (data_url); "
        "without it generated bodies use an unresolvable .invalid host and the data_url "
        "edge case is skipped (env KOMBO_DATA_URL)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        help="per-request timeout (env KOMBO_TIMEOUT; default 10)",
    )
    parser.add_argument(
        "--report-dir",
        metavar="DIR",
        help="where reports go (env KOMBO_REPORT_DIR; default reports/<timestamp>/)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="fail, rather than observe, where the contract is ambiguous",
    )
    parser.add_argument(
        "--check",
        dest="checks",
        action="append",
        metavar="NAME",
        help="run only this check; repeatable (see docs/checks.md)",
    )
    parser.add_argument(
        "--operation",
        dest="operations",
        action="append",
        metavar="'METHOD /path'",
        help="test only this operation; repeatable",
    )
    parser.add_argument(
        "--fault",
        dest="faults",
        action="append",
        metavar="NAME",
        help="start the bundled sandbox with this fault (project self-tests); repeatable",
    )


def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--record",
        action="store_true",
        default=None,
        help="record every interaction as vcrpy cassettes, one per connector and operation",
    )
    parser.add_argument(
        "--cassette-dir", metavar="DIR", help="where --record writes (default: cassettes/)"
    )
    parser.add_argument(
        "--no-redact-pii",
        dest="redact_pii",
        action="store_false",
        default=None,
        help="with --record: keep names, emails, phone numbers, notes, attachment contents and "
        "file names as the target sent them (API keys and Authorization headers are always "
        "masked)",
    )


def add_compare_arguments(parser: argparse.ArgumentParser, show_observations: bool = True) -> None:
    """``--compare``, ``--fail-on`` (run, replay, certify) and ``--show-observations``."""
    parser.add_argument(
        "--compare",
        metavar="PREVIOUS_REPORT.json",
        help="mark each group of findings new, still failing or fixed against the report.json "
        "(or certification.json) of an earlier run",
    )
    parser.add_argument(
        "--fail-on",
        choices=("any", "new"),
        default="any",
        help="any: exit 1 on any error finding (default); new: only when a group marked new "
        "by --compare has an error finding",
    )
    if show_observations:
        parser.add_argument(
            "--show-observations",
            action="store_true",
            help="list observation groups one by one in the terminal, summary.md and "
            "report.html (default: folded into one section)",
        )


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "run",
        help="test a Kombo-compatible API against the contracts (the main job)",
        description=(
            "Generate requests from the contracts, send them to the target and report where "
            "it breaks the contract, per connector and operation. Settings come from flags, "
            "environment variables and [tool.kombo-conformance] in pyproject.toml or "
            "kombo-conformance.toml; flags win. Exit: 0 clean, 1 findings (with --fail-on new: "
            "new failing groups only), 2 usage, contract or connection errors."
        ),
    )
    add_target_arguments(parser)
    add_record_arguments(parser)
    add_compare_arguments(parser)
    parser.set_defaults(handler=run)


def execute(
    settings: Settings,
    contract: Contract,
    *,
    progress: bool = True,
    recorder: Recorder | None = None,
) -> Outcome:
    """Run the suite as configured; returns the Outcome (shared by run and certify)."""
    from kombo_conformance.learn import add_learned, learn_connections
    from kombo_conformance.progress import ProgressPrinter
    from kombo_conformance.run import ConformanceRun, plan_connections, plan_operations
    from kombo_conformance.targets import open_target, preflight_any

    connections = plan_connections(contract, settings)
    operations = plan_operations(contract, settings)
    with open_target(contract, settings) as target:
        checked = preflight_any(target, operations, connections[0].integration_id, contract)
        connections = learn_connections(contract, target, connections)
        engine = ConformanceRun(
            contract,
            settings,
            target,
            progress=ProgressPrinter() if progress else None,
            recorder=recorder,
        )
        outcome = engine.execute(connections, operations)
    outcome.meta["environment"] = checked.environment
    return add_learned(outcome, connections)


def cassette_recorder(settings: Settings):
    """The recorder --record asks for (PII redaction on unless --no-redact-pii)."""
    from kombo_conformance.cassettes.record import CassetteRecorder

    return CassetteRecorder(
        Path(settings.cassette_dir),
        redact_pii=settings.redact_pii is not False,
        secrets=[s for s in (settings.api_key, SANDBOX_API_KEY) if s],
    )


def run(args: argparse.Namespace) -> int:
    from kombo_conformance.contract import load_contract
    from kombo_conformance.report import default_report_dir, format_terminal_summary, write_reports
    from kombo_conformance.report.compare import comparison_meta
    from kombo_conformance.report.groups import exit_code

    settings = resolve_settings(vars(args))
    compared = comparison_meta(
        args.compare, fail_on=args.fail_on, show_observations=args.show_observations
    )
    contract = load_contract(settings.contracts or None)
    if settings.record and settings.workers > 1:
        raise UsageError("--record needs --workers 1 (recording happens in one process)")
    recorder = cassette_recorder(settings) if settings.record else None
    outcome = execute(settings, contract, recorder=recorder)
    outcome.meta.update(compared)
    if recorder is not None:
        saved = recorder.save()
        print(f"cassettes: {len(saved)} written under {settings.cassette_dir}", file=sys.stderr)
    report_dir = Path(settings.report_dir) if settings.report_dir else default_report_dir()
    written = write_reports(outcome, report_dir)
    print(format_terminal_summary(outcome, written))
    print(f"reports: {', '.join(str(p) for p in written.values())}", file=sys.stderr)
    return exit_code(outcome)
