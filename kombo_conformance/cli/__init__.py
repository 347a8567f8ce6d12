"""Command line: argument parsing and exit codes only; the work happens in the engine.

Each subcommand lives in its own module here and exposes ``register(subparsers)``, which
adds its parser and sets ``handler`` to a function ``(args) -> int`` (the exit code).

Exit codes: 0 nothing found, 1 findings, 2 usage, contract, cassette or connection errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kombo_conformance import __version__
from kombo_conformance.errors import ConformanceError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
COMMANDS = ("run", "sandbox", "lint", "diff", "replay", "certify", "profiles")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors exit 2 with one clear paragraph (as argparse does)."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that command is registered (its imports alone paid)."""
    parser = _Parser(
        prog="kombo-conformance",
        description=(
            "Contract testing and spec conformance for the Kombo unified API: a CI regression "
            "gate, connector certification and pre-release spec validation."
        ),
        epilog="Exit codes: 0 no findings, 1 findings, 2 usage/contract/connection errors.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in (only,) if only in COMMANDS else COMMANDS:
        try:
            module = importlib.import_module(f"kombo_conformance.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"kombo_conformance.cli.{name}":
                raise
            continue  # a command not built yet
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kombo-conformance`` console script."""
    words = list(sys.argv[1:] if argv is None else argv)
    command = next((w for w in words if not w.startswith("-")), None)
    try:
        parser = build_parser(command)
    except ConformanceError as exc:  # e.g. a broken data file the command reads at import
        print(f"kombo-conformance: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    args = parser.parse_args(words)
    try:
        return int(args.handler(args))
    except ConformanceError as exc:
        print(f"kombo-conformance {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(f"kombo-conformance {args.command}: interrupted", file=sys.stderr)
        return 130


def entry() -> None:
    sys.exit(main())
