"""``kombo-conformance diff OLD NEW``: which changes between two spec versions break clients."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from kombo_conformance.contract import load_contract
from kombo_conformance.findings import Case
from kombo_conformance.spec import summary
from kombo_conformance.spec.diff import BREAKING, IMPACTS, POTENTIAL, diff_contracts, to_findings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "diff",
        help="report breaking changes between two versions of an OpenAPI document",
        description=(
            "Compare OLD and NEW (each an OpenAPI file or a contract directory) operation by "
            "operation, with every $ref followed, and classify each change as breaking, "
            "potentially breaking or safe (rules: docs/spec-validation.md). Exit 1 if anything "
            "breaking is found (--fail-on potential: or potentially breaking), 2 if a document "
            "does not load."
        ),
    )
    parser.add_argument("old", metavar="OLD", help="the previous version (file or directory)")
    parser.add_argument("new", metavar="NEW", help="the new version (file or directory)")
    parser.add_argument("--report-dir", metavar="DIR", help="default: reports/<timestamp>")
    parser.add_argument(
        "--fail-on",
        choices=("breaking", "potential"),
        default="breaking",
        help="the lowest level that makes the exit code 1 (default: breaking)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    # Structure only: a draft with a stale example must still be comparable.
    old = load_contract([args.old], validate=False)
    new = load_contract([args.new], validate=False)
    changes = diff_contracts(old, new)
    findings = to_findings(changes, old, new)
    counts = {impact: sum(c.impact == impact for c in changes) for impact in IMPACTS}
    failing = counts[BREAKING] + (counts[POTENTIAL] if args.fail_on == "potential" else 0)
    code = int(failing > 0)
    cases = [Case("", key, "diff") for key in new.operations]
    meta = {"old": args.old, "new": args.new, "changes": counts, "fail_on": args.fail_on,
            "exit_code": code}  # fmt: skip
    outcome = summary.outcome("diff", findings, cases, started, meta)
    directory = summary.write(outcome, args.report_dir)
    summary.print_summary(
        findings,
        f"{counts[BREAKING]} breaking, {counts[POTENTIAL]} potentially breaking, "
        f"{counts['safe']} safe changes; reports in {directory}; exit {code}",
    )
    return code
