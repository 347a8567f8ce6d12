"""``kombo-conformance profiles pull``: refresh connector profiles from a deployment's
``GET /tools/{category}`` (the work is in :mod:`kombo_conformance.contract.pull`)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import yaml

from kombo_conformance.atomic import write_text_atomic
from kombo_conformance.contract import Contract, default_contract_dir, load_contract
from kombo_conformance.contract.loader import PROFILES_DIR, profile_context
from kombo_conformance.contract.profiles import profile_from_raw, profile_schema
from kombo_conformance.contract.pull import PulledTool, changes, combine, kept, merge, read_tools
from kombo_conformance.contract.source import read_document
from kombo_conformance.contract.validate import first_error
from kombo_conformance.errors import ContractError, TargetError, UsageError
from kombo_conformance.redact import mask_url
from kombo_conformance.settings import resolve_settings
from kombo_conformance.targets import open_target
from kombo_conformance.transport import Target, preflight

TOOLS = "GET /tools/{category}"
SLUG = re.compile(profile_schema()["properties"]["slug"]["pattern"])  # anchored
CATEGORIES = tuple(profile_schema()["properties"]["use_cases"]["items"]["enum"])  # a profile's


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "profiles",
        help="maintain connector profiles (pull them from a deployment)",
        description="Maintain the connector profiles in contracts/connectors.",
    )
    actions = parser.add_subparsers(dest="profiles_command", metavar="ACTION", required=True)
    pull = actions.add_parser(
        "pull",
        help="write connector profiles from a deployment's GET /tools/{category}",
        description=(
            "Read the coverage grid of every tool of a category from a Kombo deployment "
            "(GET /tools/{category}) and write one connector profile per tool, in the existing "
            "format (validated against the contract), atomically. Only what the grids list "
            "(their datapoints' operations, models and actions) is replaced; quirks, notes, "
            "sources, the file's header comment and operations no listed datapoint names are "
            "kept. Prints "
            "what changed per profile; an unchanged profile is not rewritten. Exit 0 done, 2 "
            "bad flags, contract or unreachable/malformed target."
        ),
    )
    pull.add_argument("--base-url", metavar="URL", help="the deployment (env KOMBO_BASE_URL)")
    pull.add_argument("--api-key", metavar="KEY", help="bearer API key (env KOMBO_API_KEY)")
    pull.add_argument(
        "--category", choices=(*CATEGORIES, "all"), default="all",
        help="which tools to pull (default: all)",
    )  # fmt: skip
    pull.add_argument(
        "--out", metavar="DIR",
        help=f"profile directory (default: the contract's {PROFILES_DIR}/)",
    )  # fmt: skip
    pull.add_argument(
        "--contract", action="append", metavar="PATH",
        help="contract file or directory; repeatable (default: the project's contracts/)",
    )  # fmt: skip
    pull.add_argument(
        "--rate-limit", type=float, metavar="N",
        help="requests per second (env KOMBO_RATE_LIMIT; default 10; 0: none)",
    )  # fmt: skip
    pull.add_argument(
        "--timeout", type=float, metavar="SECONDS",
        help="per-request timeout (env KOMBO_TIMEOUT; default 10)",
    )  # fmt: skip
    pull.add_argument(
        "--dry-run", action="store_true", help="print what would change; write nothing"
    )
    pull.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = resolve_settings(
        {
            "base_url": args.base_url,
            "api_key": args.api_key,
            "contracts": tuple(args.contract or ()),
            "rate_limit": args.rate_limit,
            "timeout": args.timeout,
        }
    )
    if settings.base_url is None:
        raise UsageError(
            "profiles pull needs the deployment to read: pass --base-url (or set "
            "KOMBO_BASE_URL) and --api-key"
        )
    contract = load_contract(settings.contracts or None, validate=False)  # like `diff`
    if TOOLS not in contract.operations:
        raise UsageError(f"the contract has no {TOOLS}: pass a --contract that has it")
    out = Path(args.out) if args.out else _profiles_dir(settings.contracts)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is not a directory")
    categories = CATEGORIES if args.category == "all" else (args.category,)
    with open_target(contract, settings) as target:
        grids = [read_tools(contract, c, _fetch(contract, target, c)) for c in categories]
    base = mask_url(settings.base_url.rstrip("/"), [settings.api_key or ""])
    _write_all(contract, combine(t for grid in grids for t in grid), out, base, args.dry_run)
    return 0


def _profiles_dir(contracts: tuple[str, ...]) -> Path:
    """The profiles next to the contracts in use; never a place the user did not choose."""
    dirs = [Path(c) for c in contracts if Path(c).is_dir()]
    if contracts and not dirs:
        raise UsageError(
            "--contract names files, not a contract directory, so there is no profile "
            "directory to update: pass --out DIR"
        )
    base = dirs[0] if dirs else default_contract_dir()
    if base.name == "_contracts":  # the installed package's own copy
        raise UsageError(
            f"the contracts in use are the installed package's copy ({base}): pass --out DIR "
            "(or --contract DIR) for the pulled profiles"
        )
    return base / PROFILES_DIR


def _fetch(contract: Contract, target: Target, category: str) -> dict[str, Any]:
    """One category's grid, checked against the contract."""
    exchange = preflight(target, f"/tools/{category}", None)
    if exchange.status != 200:
        raise TargetError(
            f"GET {exchange.url} answered HTTP {exchange.status} "
            f"{exchange.error_code or ''}: {exchange.excerpt(200)!r}"
        )
    body = exchange.json
    error = first_error(contract.operations[TOOLS].conventions.success_schema, body)
    if error is not None:
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        raise TargetError(
            f"GET {exchange.url} answered a body that does not match the contract's "
            f"{TOOLS} response at {where}: {error.message}"
        )
    return body


def _write_all(
    contract: Contract, tools: dict[str, PulledTool], out: Path, base: str, dry_run: bool
) -> None:
    """Validate every pulled profile first (nothing is written if one is refused), then
    print what changed and write the changed ones."""
    ctx = profile_context(contract)
    planned = []
    for slug in sorted(tools):
        tool, path = tools[slug], out / f"{slug}.yaml"
        if not SLUG.search(slug):
            print(f"{slug}: not a profile slug ({SLUG.pattern}); skipped")
            continue
        old = read_document(path) if path.is_file() else None
        if old is not None and not isinstance(old, dict):
            raise ContractError(path, "/", "a connector profile must be a mapping")
        sources = [
            f"GET {base}/tools/{c} (kombo-conformance profiles pull)"
            for c in sorted(tool.categories)
        ]
        new = merge(contract, tool, old, sources)
        profile_from_raw(new, path, ctx)  # the format and the contract accept it
        planned.append((tool, path, old, new))
    for tool, path, old, new in planned:
        changed = changes(old, new, contract)
        print(f"{tool.slug}: {'; '.join(changed) if changed else 'unchanged'}")
        if changed and kept(old):
            print(f"  kept from the existing file: {', '.join(kept(old))}")
        if tool.unknown:
            print(f"  not in the contract's datapoints (left out): {', '.join(tool.unknown)}")
        if tool.features:
            print(
                f"  features declared (profiles have no field for them): {', '.join(tool.features)}"
            )
        if changed and not dry_run:
            write_text_atomic(path, _dump(new, path))
    for path in sorted(out.glob("*.yaml")) if out.is_dir() else ():
        if path.stem not in tools:
            print(f"{path.stem}: not declared by the target in these categories (kept as is)")


def _dump(raw: dict[str, Any], path: Path) -> str:
    """The profile as YAML under the existing file's header comment (other comments are
    not kept: the parsed data is the profile)."""
    header = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            header.append(line)
    body = yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=100)
    return "\n".join([*header, body]) if header else body
