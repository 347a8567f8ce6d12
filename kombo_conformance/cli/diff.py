"""``kombo-conformance diff OLD NEW``: which changes between two spec versions break clients."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from kombo_conformance.atomic import write_text_atomic
from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.findings import Case, Finding
from kombo_conformance.spec import summary
from kombo_conformance.spec.diff import (
    BREAKING,
    IMPACTS,
    POTENTIAL,
    RULES,
    Change,
    diff_contracts,
    to_findings,
)
from kombo_conformance.spec.diff.changelog import changelog
from kombo_conformance.spec.suppressions import (
    SUPPRESSIONS_FILE,
    apply_suppressions,
    load_suppressions,
)

CHANGELOG = "changelog.md"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "diff",
        help="report breaking changes between two versions of an OpenAPI document",
        description=(
            "Compare OLD and NEW (each an OpenAPI file or a contract directory) operation by "
            "operation, with every $ref followed, and classify each change as breaking, "
            "potentially breaking or safe (rules: docs/spec-validation.md). Exit 1 if anything "
            "breaking is found and not suppressed (--fail-on potential: or potentially "
            "breaking), 2 if a document, the suppressions or a cassette does not load."
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
    parser.add_argument(
        "--suppressions", metavar="FILE",
        help=f"reviewed, accepted changes (default: {SUPPRESSIONS_FILE} in NEW's directory)",
    )  # fmt: skip
    parser.add_argument(
        "--cassettes", metavar="DIR",
        help="recorded cassettes: list the connectors and interactions each change affects",
    )  # fmt: skip
    parser.add_argument(
        "--changelog", metavar="FILE",
        help=f"also write the Markdown changelog here (always: {CHANGELOG} in the report dir)",
    )  # fmt: skip
    parser.set_defaults(handler=run)


def _suppressions_file(args: argparse.Namespace) -> Path | None:
    if args.suppressions:
        return Path(args.suppressions)
    default = Path(args.new) / SUPPRESSIONS_FILE
    return default if Path(args.new).is_dir() and default.is_file() else None


def _with_recorded(
    changes: list[Change], directory: str, old: Contract, new: Contract
) -> list[Change]:
    """The changes with the recorded interactions that exercise them (imported on demand)."""
    from kombo_conformance.spec.diff.traffic import read_recorded, with_recorded

    return with_recorded(changes, read_recorded(directory, old, new))


def _failing(findings: list[Finding], fail_on: str) -> bool:
    """Any unsuppressed change at or above the --fail-on level."""
    levels = {BREAKING, POTENTIAL} if fail_on == "potential" else {BREAKING}
    return any(
        f.details.get("impact") in levels and "suppressed" not in f.details for f in findings
    )


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    # Structure only: a draft with a stale example must still be comparable.
    old = load_contract([args.old], validate=False)
    new = load_contract([args.new], validate=False)
    suppressions = load_suppressions(_suppressions_file(args), RULES)
    changes = diff_contracts(old, new)
    if args.cassettes:
        changes = _with_recorded(changes, args.cassettes, old, new)
    findings, about = apply_suppressions(to_findings(changes, old, new), suppressions)
    code = int(_failing(findings, args.fail_on))
    counts = {impact: sum(c.impact == impact for c in changes) for impact in IMPACTS}
    meta = {
        "old": args.old,
        "new": args.new,
        "changes": counts,
        "fail_on": args.fail_on,
        "suppressions": str(suppressions.source) if suppressions.source else None,
        "suppressed": sum("suppressed" in f.details for f in findings),
        "cassettes": args.cassettes,
        "exit_code": code,
    }
    cases = [Case("", key, "diff") for key in new.operations]
    outcome = summary.outcome("diff", findings + about, cases, started, meta)
    directory = summary.write(outcome, args.report_dir)
    text = changelog(findings, args.old, args.new)
    for target in (directory / CHANGELOG, *([Path(args.changelog)] if args.changelog else [])):
        write_text_atomic(target, text)
    summary.print_summary(
        findings + about,
        f"{counts[BREAKING]} breaking, {counts[POTENTIAL]} potentially breaking, "
        f"{counts['safe']} safe changes; reports and {CHANGELOG} in {directory}; exit {code}",
    )
    return code
