"""``kombo-conformance lint``: load and validate contracts."""

from __future__ import annotations

import argparse

from kombo_conformance.contract import load_contract


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "lint",
        help="validate contracts (OpenAPI 3.1, examples, connector profiles)",
        description=(
            "Load the contracts (default: the project's contracts/), resolve every $ref, "
            "validate them as OpenAPI 3.1, validate every example against its schema and "
            "check every connector profile against the operations and fields that exist."
        ),
    )
    parser.add_argument(
        "contracts", nargs="*", metavar="CONTRACT",
        help="OpenAPI files or contract directories (default: the project's contracts/)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    contract = load_contract(args.contracts or None)
    print(
        f"{len(contract.operations)} operations, {len(contract.profiles)} connector profiles, "
        f"{len(contract.errata.entries)} declared errata: contracts are valid"
    )
    return 0
