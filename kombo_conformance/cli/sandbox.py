"""``kombo-conformance sandbox``: serve the reference Kombo server."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    from kombo_conformance.errors import ConformanceError
    from kombo_conformance.sandbox.faults import catalogue
    from kombo_conformance.sandbox.realistic import Realism

    defaults = Realism()
    try:
        faults = "; ".join(f"{f.name}: {f.description}" for f in catalogue().values())
    except ConformanceError as exc:  # `sandbox` itself then exits 2 with this paragraph
        faults = f"(the fault catalogue cannot be read: {exc})"
    parser = sub.add_parser(
        "sandbox",
        help="serve the reference Kombo server (every contract operation under /v1)",
        description=(
            "Serve every operation of the contracts under /v1 with deterministic, "
            "per-integration data. Requests need `Authorization: Bearer <api key>` and "
            "`X-Integration-Id: <connector>:<id>` (the connector `sandbox` supports "
            "everything; others come from contracts/connectors). Stop with Ctrl-C or SIGTERM."
        ),
        epilog=f"Faults (for testing the suite itself): {faults}",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 = any)")
    parser.add_argument(
        "--api-key", default=None, help="the API key clients must send (default: sandbox-key)"
    )
    parser.add_argument("--seed", type=int, default=0, help="data seed (default: 0)")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="switch on a documented misbehaviour (repeatable)",
    )
    realistic = parser.add_argument_group(
        "realistic personality",
        "behave as a production integration may, within the contract: many records, short "
        "pages, exclusive updated_after, write lag, a rate limit, undocumented extra "
        "fields, REMOTE.INPUT_INVALID for prose-rule violations (faults combine with it)",
    )
    realistic.add_argument(
        "--realistic", action="store_true", help="switch on the realistic personality"
    )
    realistic.add_argument(
        "--records",
        type=int,
        default=None,
        metavar="N",
        help=f"candidates per integration (default: {defaults.records}); applications, "
        "LMS users, course progressions and assessment orders scale with it",
    )
    realistic.add_argument(
        "--lag",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"how long writes take to reach list reads (default: {defaults.lag_s:g})",
    )
    realistic.add_argument(
        "--rate-limit",
        type=float,
        default=None,
        metavar="N",
        help=f"requests per second per integration, 0 for none (default: {defaults.rate_limit:g})",
    )
    parser.add_argument(
        "--contract",
        action="append",
        default=None,
        metavar="PATH",
        help="contract files or directories (default: the project's contracts/)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kombo_conformance.contract import load_contract
    from kombo_conformance.errors import UsageError
    from kombo_conformance.sandbox.app import DEFAULT_API_KEY
    from kombo_conformance.sandbox.faults import Faults
    from kombo_conformance.sandbox.server import serve

    Faults(args.fault)  # unknown names are a usage error before anything starts
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {args.port}")
    realism = realism_of(args)
    contract = load_contract(args.contract, validate=False) if args.contract else None
    return serve(
        host=args.host,
        port=args.port,
        api_key=args.api_key or DEFAULT_API_KEY,
        seed=args.seed,
        faults=args.fault,
        contract=contract,
        announce=lambda line: print(line, flush=True),
        realism=realism,
    )


def realism_of(args: argparse.Namespace):
    """The Realism the flags ask for (None without --realistic); UsageError on bad values."""
    from kombo_conformance.errors import UsageError
    from kombo_conformance.sandbox.realistic import Realism

    given = {
        "--records": args.records,
        "--lag": args.lag,
        "--rate-limit": args.rate_limit,
    }
    if not args.realistic:
        stray = [flag for flag, value in given.items() if value is not None]
        if stray:
            raise UsageError(f"{', '.join(stray)} only apply with --realistic")
        return None
    options = {}
    if args.records is not None:
        options["records"] = args.records
    if args.lag is not None:
        options["lag_s"] = args.lag
    if args.rate_limit is not None:
        options["rate_limit"] = args.rate_limit or None
    try:
        return Realism(**options)
    except ValueError as exc:
        raise UsageError(f"--realistic: {exc}") from None
