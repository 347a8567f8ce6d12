"""The sandbox's data files (``faults.yaml``, ``personalities.yaml``): read and validated
against the JSON Schema next to each, so a broken file is one clear error (exit 2)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from kombo_conformance.contract import pointer
from kombo_conformance.contract.source import read_document
from kombo_conformance.errors import ContractError

HERE = Path(__file__).parent


class SandboxDataError(ContractError):
    """A sandbox data file that cannot be read or breaks its schema."""

    def __init__(self, source: str | Path, where: str, reason: str) -> None:
        super().__init__(source, where, reason)
        self.args = (f"sandbox data error in {self.source} at {self.pointer}: {reason}",)


def load_data(path: Path, schema_path: Path) -> dict[str, Any]:
    """The document at path, validated against the schema at schema_path."""
    try:
        document = read_document(path)
    except ContractError as exc:
        raise SandboxDataError(path, exc.pointer, exc.reason) from None
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    error = best_match(Draft202012Validator(schema).iter_errors(document))
    if error is not None:
        raise SandboxDataError(path, pointer.join(*error.absolute_path) or "/", error.message)
    return document


PERSONALITIES_PATH = HERE / "personalities.yaml"


@cache
def personality_data() -> dict[str, Any]:
    """``personalities.yaml``: the tunable data of the sandbox's personalities."""
    return load_data(PERSONALITIES_PATH, HERE / "personalities.schema.json")
