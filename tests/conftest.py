"""Shared fixtures: the project's contracts and the seed documents they were built from."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_conformance.contract import Contract, load_contract

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT / "contracts"
SEEDS = Path(__file__).parent / "fixtures" / "seeds"


@pytest.fixture(scope="session")
def contract() -> Contract:
    """The project's own contracts, loaded and validated once per session."""
    return load_contract([CONTRACTS])


@pytest.fixture(scope="session")
def seed_documents() -> dict[str, dict[str, Any]]:
    """The OpenAPI documents of seeds 000-002, keyed by seed number."""
    return {
        path.name[:3]: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(SEEDS.glob("*.openapi.yaml"))
    }


@pytest.fixture
def contracts_copy(tmp_path: Path) -> Path:
    """A writable copy of contracts/ for tests that break it on purpose."""
    target = tmp_path / "contracts"
    shutil.copytree(CONTRACTS, target)
    return target
