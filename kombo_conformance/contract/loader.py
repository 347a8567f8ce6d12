"""Loading contracts from files and directories into one validated Contract."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from kombo_conformance.contract.bundle import bundle_files
from kombo_conformance.contract.datapoints import datapoints
from kombo_conformance.contract.errata import Errata, load_errata
from kombo_conformance.contract.model import Contract
from kombo_conformance.contract.profiles import ConnectorProfile, _Context, load_profile
from kombo_conformance.contract.validate import validate_examples, validate_openapi
from kombo_conformance.errors import ContractError

CONTRACT_SUFFIXES = (".yaml", ".yml", ".json")
ERRATA_FILE = "errata.yaml"
LINT_FILE = "lint.yaml"  # lint suppressions (kombo_conformance.spec), not an OpenAPI document
PROFILES_DIR = "connectors"
ENV_CONTRACTS = "KOMBO_CONFORMANCE_CONTRACTS"


def default_contract_dir() -> Path:
    """``$KOMBO_CONFORMANCE_CONTRACTS``, else the project contracts (or their packaged copy)."""
    if os.environ.get(ENV_CONTRACTS):
        return Path(os.environ[ENV_CONTRACTS])
    package = Path(__file__).resolve().parents[1]
    for candidate in (package.parent / "contracts", package / "_contracts"):
        if candidate.is_dir():
            return candidate
    raise ContractError(package, "/", "no contracts directory found; pass --contract PATH")


def _default_errata() -> Path | None:
    try:
        candidate = default_contract_dir() / ERRATA_FILE
    except ContractError:
        return None
    return candidate if candidate.is_file() else None


def _expand(paths: Sequence[Path]) -> tuple[list[Path], list[Path], Path | None]:
    """Split inputs into OpenAPI files, profile files and an errata file."""
    documents: list[Path] = []
    profiles: list[Path] = []
    errata: Path | None = None
    for path in paths:
        if path.is_dir():
            documents += sorted(
                p
                for p in path.iterdir()
                if p.suffix in CONTRACT_SUFFIXES
                and p.name not in (ERRATA_FILE, LINT_FILE)
                and p.is_file()
            )
            profiles += sorted((path / PROFILES_DIR).glob("*.yaml"))
            if (path / ERRATA_FILE).is_file():
                errata = path / ERRATA_FILE
        elif not path.exists():
            raise ContractError(path, "/", "no such file or directory")
        elif path.name == ERRATA_FILE:
            errata = path
        elif path.parent.name == PROFILES_DIR:
            profiles.append(path)
        else:
            documents.append(path)
    if not documents:
        raise ContractError(", ".join(map(str, paths)), "/", "no OpenAPI documents found")
    return documents, profiles, errata


def load_contract(paths: Sequence[str | Path] | None = None, *, validate: bool = True) -> Contract:
    """Load, bundle and validate contracts.

    ``paths`` may name OpenAPI files, profile files (under a ``connectors/`` folder), an
    ``errata.yaml``, or directories holding them; by default the project's ``contracts/``.
    With ``validate`` the document is checked as OpenAPI 3.1 and every example against its
    schema. Any problem raises :class:`ContractError` naming the file and JSON pointer.
    """
    inputs = [Path(p) for p in paths] if paths else [default_contract_dir()]
    documents, profile_files, errata_file = _expand(inputs)
    bundle = bundle_files(documents)
    if errata_file is None:  # Kombo's known spec defects apply to any Kombo contract
        errata_file = _default_errata()
    errata: Errata = load_errata(errata_file)
    if validate:
        validate_openapi(bundle)
        validate_examples(bundle, errata)
    contract = Contract(bundle=bundle, errata=errata, sources=tuple(documents))
    contract.transient_codes  # noqa: B018 - checks the declared transient codes now
    datapoints(contract)  # checks the coverage vocabulary (x-kombo-datapoints) now
    contract.effects  # noqa: B018 - checks the declared write effects now
    contract.profiles = _load_profiles(contract, profile_files)
    return contract


def profile_context(contract: Contract) -> _Context:
    """What profile cross-checks need from ``contract`` (also for profiles not yet on disk)."""
    ops = contract.operations

    def request_schema(key: str):
        return ops[key].conventions.request_schema

    return _Context(
        operations=ops,
        use_case_of=lambda key: ops[key].use_case,
        success_record=lambda key: ops[key].conventions.record_schema,
        request_schema=request_schema,
        path_parameters=lambda key: ops[key].conventions.path_parameters,
        general=frozenset(key for key, op in ops.items() if op.general),
    )


def _load_profiles(contract: Contract, files: list[Path]) -> dict[str, ConnectorProfile]:
    ctx = profile_context(contract)
    profiles = [load_profile(path, ctx) for path in files]
    return {p.slug: p for p in sorted(profiles, key=lambda p: p.slug)}
