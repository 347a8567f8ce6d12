"""``kombo-conformance lint``: validate contracts, then lint them for defects a reviewer
would miss (see docs/spec-validation.md)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from kombo_conformance.contract import default_contract_dir, load_contract
from kombo_conformance.spec import summary
from kombo_conformance.spec.capability import load_capability
from kombo_conformance.spec.lint import lint
from kombo_conformance.spec.rules import RULE_NAMES
from kombo_conformance.spec.suppressions import SUPPRESSIONS_FILE, load_suppressions


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "lint",
        help="validate and lint contracts (OpenAPI 3.1, examples, profiles, Kombo conventions)",
        description=(
            "Load the contracts (default: the project's contracts/), resolve every $ref, "
            "validate them as OpenAPI 3.1, validate every example and connector profile, then "
            "lint them: pattern/format disagreements, vacuous bounds and statuses, error "
            "envelopes, pagination, shared parameters, prose-only rules, declared errata. "
            "Exit 1 for an unsuppressed error (or warning with --strict), 2 if a contract "
            "does not load."
        ),
    )
    parser.add_argument(
        "contracts", nargs="*", metavar="CONTRACT",
        help="OpenAPI files or contract directories (default: the project's contracts/)",
    )  # fmt: skip
    parser.add_argument(
        "--capability", metavar="FILE",
        help="a naftiko capability listing to compare operations and query parameters with",
    )  # fmt: skip
    parser.add_argument(
        "--suppressions", metavar="FILE",
        help=f"reviewed suppressions (default: {SUPPRESSIONS_FILE} in the contract directory)",
    )  # fmt: skip
    parser.add_argument("--report-dir", metavar="DIR", help="default: reports/<timestamp>")
    parser.add_argument(
        "--strict", action="store_true",
        help="also fail on warnings (declared errata excepted)",
    )  # fmt: skip
    parser.add_argument(
        "-v", "--verbose", action="store_true",
        help="also print suppressed findings (the reports always list them)",
    )  # fmt: skip
    parser.set_defaults(handler=run)


def _suppressions_file(args: argparse.Namespace) -> Path | None:
    if args.suppressions:
        return Path(args.suppressions)
    dirs = [Path(c) for c in args.contracts if Path(c).is_dir()]
    if not args.contracts:
        dirs = [default_contract_dir()]
    found = [d / SUPPRESSIONS_FILE for d in dirs if (d / SUPPRESSIONS_FILE).is_file()]
    return found[0] if found else None


def run(args: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    contract = load_contract(args.contracts or None)
    capability = load_capability(args.capability) if args.capability else None
    suppressions = load_suppressions(_suppressions_file(args), RULE_NAMES)
    result = lint(contract, capability=capability, suppressions=suppressions)
    code = result.exit_code(strict=args.strict)
    meta = {
        "contracts": [str(p) for p in contract.sources],
        "operations": len(contract.operations),
        "suppressions": str(suppressions.source) if suppressions.source else None,
        "suppressed": result.suppressed,
        "capability": str(capability.source) if capability else None,
        "strict": args.strict,
        "exit_code": code,
    }
    outcome = summary.outcome("lint", result.findings, result.cases, started, meta)
    directory = summary.write(outcome, args.report_dir)
    summary.print_summary(
        result.findings,
        f"{len(contract.operations)} operations linted; reports in {directory}; exit {code}",
        verbose=args.verbose,
    )
    return code
