"""``kombo-conformance replay``: re-verify recorded cassettes against the current contracts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kombo_conformance.cassettes.layout import DEFAULT_DIRECTORY
from kombo_conformance.cassettes.replay import cassette_files
from kombo_conformance.cassettes.replay import replay as replay_cassettes
from kombo_conformance.cli.run import add_compare_arguments
from kombo_conformance.contract import load_contract
from kombo_conformance.report import default_report_dir, format_terminal_summary, write_reports
from kombo_conformance.report.compare import comparison_meta
from kombo_conformance.report.groups import exit_code


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "replay",
        help="re-verify recorded cassettes against the current contracts, offline",
        description=(
            "Load every vcrpy cassette under DIR (one folder per connector, one file per "
            "operation, as written by `run --record`) and judge each recorded response "
            "against the current contracts with the suite's response checks (media types "
            "included), the recorded-request check, the list-page checks on every recorded "
            "page chain and the connector's profile, without any network. Answers: does this "
            "spec still accept what the connectors really returned? Malformed cassettes are "
            "reported (check cassette_format) and the others still replayed; the summary "
            "says how many interactions and chains were judged and what was not, and why. "
            "Exit: 0 clean, 1 findings (with --fail-on new: new failing groups only), 2 usage, "
            "contract or missing-cassette errors."
        ),
    )
    parser.add_argument(
        "directory",
        nargs="?",
        default=str(DEFAULT_DIRECTORY),
        metavar="DIR",
        help=f"cassette directory (default: {DEFAULT_DIRECTORY}/)",
    )
    parser.add_argument(
        "--contract",
        dest="contracts",
        action="append",
        metavar="PATH",
        help="contract file or directory to judge against; repeatable (default: the "
        "project's contracts/)",
    )
    parser.add_argument(
        "--connector",
        dest="connectors",
        action="append",
        metavar="SLUG",
        help="replay only this connector's cassettes; repeatable (default: all)",
    )
    parser.add_argument(
        "--report-dir",
        metavar="DIR",
        help="where reports go (default reports/<timestamp>/)",
    )
    add_compare_arguments(parser)
    parser.set_defaults(handler=run)


SHOWN = 5  # not-judged items listed on the terminal; the report lists them all


def judged_summary(judged: dict) -> str:
    """``judged N interactions and M page chains; not judged: K`` and the first few, why."""
    missed = judged["not_judged"]
    lines = [
        f"judged {judged['interactions']} interactions and {judged['chains']} page chains; "
        f"not judged: {len(missed)}"
        + (" (all listed in the report's meta.judged)" if missed else "")
    ]
    lines += [f"  - {item['source']}: {item['reason']}" for item in missed[:SHOWN]]
    if len(missed) > SHOWN:
        lines.append(f"  ... and {len(missed) - SHOWN} more")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    cassette_files(args.directory, args.connectors or ())  # a missing dir fails fast
    compared = comparison_meta(
        args.compare, fail_on=args.fail_on, show_observations=args.show_observations
    )
    contract = load_contract(args.contracts or None)
    outcome = replay_cassettes(contract, args.directory, args.connectors or ())
    outcome.meta.update(compared)
    report_dir = Path(args.report_dir) if args.report_dir else default_report_dir()
    written = write_reports(outcome, report_dir)
    print(format_terminal_summary(outcome, written))
    print(
        f"replayed {outcome.meta['replayed']} of {outcome.meta['interactions']} interactions "
        f"from {outcome.meta['cassettes']} cassettes in {outcome.duration_s:g} s",
        file=sys.stderr,
    )
    print(judged_summary(outcome.meta["judged"]), file=sys.stderr)
    print(f"reports: {', '.join(str(p) for p in written.values())}", file=sys.stderr)
    return exit_code(outcome)
