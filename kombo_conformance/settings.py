"""Run settings from flags, environment variables and a config file (flags win).

Config file: ``[tool.kombo-conformance]`` in ``pyproject.toml`` or a top-level table in
``kombo-conformance.toml``, both looked up in the current directory. Keys use the flag names
with dashes or underscores (``base-url``, ``max_examples``, ...).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kombo_conformance.errors import UsageError

ENVIRONMENT = {
    "base_url": "KOMBO_BASE_URL",
    "api_key": "KOMBO_API_KEY",
    "connectors": "KOMBO_CONNECTORS",
    "integration_ids": "KOMBO_INTEGRATION_IDS",
    "max_examples": "KOMBO_MAX_EXAMPLES",
    "seed": "KOMBO_SEED",
    "timeout": "KOMBO_TIMEOUT",
    "report_dir": "KOMBO_REPORT_DIR",
    "allow_writes": "KOMBO_ALLOW_WRITES",
    "rate_limit": "KOMBO_RATE_LIMIT",
    "consistency_timeout": "KOMBO_CONSISTENCY_TIMEOUT",
    "data_url": "KOMBO_DATA_URL",
}
DEFAULT_CONNECTORS = ("sandbox", "homerun", "workday", "moodle")
SANDBOX_API_KEY = "sandbox-key"  # the embedded sandbox's key; never a real secret
DEFAULT_RATE_LIMIT = 10.0  # requests per second per integration against --base-url


@dataclass(frozen=True)
class Settings:
    """Everything a conformance run needs to know, already validated."""

    base_url: str | None = None
    api_key: str | None = None
    connectors: tuple[str, ...] = ()
    integration_ids: dict[str, str] = field(default_factory=dict)
    contracts: tuple[str, ...] = ()
    max_examples: int = 10
    seed: int = 0
    workers: int = 1
    timeout: float = 10.0
    report_dir: str | None = None
    strict: bool = False
    checks: tuple[str, ...] = ()
    operations: tuple[str, ...] = ()
    record: bool = False
    cassette_dir: str = "cassettes"
    redact_pii: bool | None = None
    faults: tuple[str, ...] = ()
    allow_writes: bool | None = None
    rate_limit: float | None = None
    consistency_timeout: float = 10.0
    data_url: str | None = None

    @property
    def uses_sandbox(self) -> bool:
        return self.base_url is None

    @property
    def writes_allowed(self) -> bool:
        """Writes go to the bundled sandbox; to a real target only with ``--allow-writes``."""
        return self.uses_sandbox if self.allow_writes is None else self.allow_writes

    @property
    def requests_per_second(self) -> float | None:
        """The rate limit per integration: ``--rate-limit`` (0 = none), else
        :data:`DEFAULT_RATE_LIMIT` against a real target and none against the sandbox."""
        if self.rate_limit is None:
            return None if self.uses_sandbox else DEFAULT_RATE_LIMIT
        return self.rate_limit or None


def _split(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(",") if v.strip())
    return tuple(str(v) for v in value)


def parse_integration_ids(values: Any) -> dict[str, str]:
    """``homerun:abc`` or ``homerun=homerun:abc`` entries -> {slug: integration id}; a bare
    id (``abc``) maps to itself: its connector is learned from the target's
    ``GET /integrations/{integration_id}`` (see :mod:`kombo_conformance.learn`)."""
    ids: dict[str, str] = {}
    for item in _split(values) if not isinstance(values, Mapping) else values.items():
        slug, integration = item if isinstance(item, tuple) else _pair(item)
        ids[slug] = integration
    return ids


def _pair(item: str) -> tuple[str, str]:
    if "=" in item:
        slug, _, integration = item.partition("=")
    elif ":" in item:
        slug, integration = item.split(":", 1)[0], item
    else:
        slug = integration = item.strip()
    if not slug or not integration:
        raise UsageError(
            f"integration id {item!r} is incomplete: use <connector>:<id> (e.g. homerun:4Xy...), "
            "<connector>=<connector>:<id>, or the id alone"
        )
    return slug, integration


_LISTS = {"connectors", "contracts", "checks", "operations", "faults"}
_INTS = {"max_examples", "seed", "workers"}
_FLOATS = {"timeout", "rate_limit", "consistency_timeout"}
_BOOLS = {"strict", "record", "redact_pii", "allow_writes"}


def _coerce(name: str, value: Any) -> Any:
    """A setting's value from a flag, an environment string or a config entry."""
    try:
        if name == "integration_ids":
            return parse_integration_ids(value)
        if name in _LISTS:
            return _split(value)
        if name in _INTS:
            return int(value)
        if name in _FLOATS:
            return float(value)
        if name in _BOOLS:
            if isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            return bool(value)
    except (TypeError, ValueError):
        raise UsageError(f"setting {name!r}: {value!r} is not a valid value") from None
    return value if value is None else str(value)


def read_config_file(directory: Path) -> tuple[dict[str, Any], Path | None]:
    """The config table and the file it came from (empty when there is none)."""
    for path, table in (
        (directory / "kombo-conformance.toml", None),
        (directory / "pyproject.toml", ("tool", "kombo-conformance")),
    ):
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"config file {path} cannot be read: {exc}") from None
        for key in table or ():
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if data:
            return data, path
    return {}, None


def resolve_settings(
    flags: Mapping[str, Any],
    environ: Mapping[str, str] | None = None,
    directory: Path | None = None,
) -> Settings:
    """Merge defaults < config file < environment < flags (``None`` flags are unset)."""
    environ = os.environ if environ is None else environ
    config, config_path = read_config_file(directory or Path.cwd())
    known = {f.name for f in fields(Settings)}
    merged: dict[str, Any] = {}
    for key, value in config.items():
        name = key.replace("-", "_")
        if name not in known:
            raise UsageError(
                f"unknown setting {key!r} in {config_path}; known settings: "
                + ", ".join(sorted(k.replace("_", "-") for k in known))
            )
        merged[name] = value
    for name, variable in ENVIRONMENT.items():
        if environ.get(variable):
            merged[name] = environ[variable]
    for name, value in flags.items():
        if name in known and value not in (None, (), []):
            merged[name] = value
    settings = replace(Settings(), **{k: _coerce(k, v) for k, v in merged.items()})
    _validate(settings)
    return replace(settings, integration_ids=_paired_ids(settings))


def _paired_ids(settings: Settings) -> dict[str, str]:
    """With ``--connector``, every ``--integration-id`` must belong to one of them: a lone bare
    id goes with a lone connector (the target's declaration then confirms or corrects the
    connector), and an id of another connector is a usage error, never silently dropped."""
    ids, connectors = dict(settings.integration_ids), list(dict.fromkeys(settings.connectors))
    stray = [key for key in ids if connectors and key not in connectors]
    if len(stray) == len(ids) == len(connectors) == 1 and ":" not in ids[stray[0]]:
        return {connectors[0]: ids[stray[0]]}
    if stray:
        raise UsageError(
            f"--integration-id {', '.join(ids[key] for key in stray)} belongs to no --connector "
            f"({', '.join(connectors)}): name its connector with --connector, write the id as "
            "<connector>:<id>, or leave --connector out (the target names the connector)"
        )
    return ids


def _validate(settings: Settings) -> None:
    if settings.max_examples < 1:
        raise UsageError("--max-examples must be at least 1")
    if settings.workers < 1:
        raise UsageError("--workers must be at least 1")
    if settings.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if settings.rate_limit is not None and settings.rate_limit < 0:
        raise UsageError("--rate-limit must be a number of requests per second (0: no limit)")
    if settings.consistency_timeout < 0:
        raise UsageError("--consistency-timeout must be zero or a positive number of seconds")
    if settings.data_url is not None and not settings.data_url.startswith(("http://", "https://")):
        raise UsageError(
            f"--data-url {settings.data_url!r} must be an http:// or https:// URL of a file "
            "you chose (request bodies that point at a file use it)"
        )
    if settings.base_url is not None:
        if not settings.base_url.startswith(("http://", "https://")):
            raise UsageError(
                f"--base-url {settings.base_url!r} must start with http:// or https:// "
                "(e.g. https://api.kombo.dev/v1)"
            )
        if not settings.api_key:
            raise UsageError(
                "an API key is needed to test a real target: pass --api-key or set KOMBO_API_KEY"
            )
        if settings.faults:
            raise UsageError("--fault only applies to the embedded sandbox (no --base-url)")
