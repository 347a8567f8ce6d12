"""Helpers for the spec-validation tests: small documents written to tmp_path and linted."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_conformance.contract import load_contract
from kombo_conformance.findings import Finding
from kombo_conformance.spec.lint import lint

HERE = Path(__file__).parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # helper modules of these tests (diff_corpus) by name
CORPUS = HERE / "corpus"
SEEDS = HERE.parent / "fixtures" / "seeds"

# A small ATS document that follows every Kombo convention the rules check.
ERROR = {
    "description": "error",
    "content": {"application/json": {"schema": {
        "type": "object",
        "properties": {
            "status": {"type": "string", "enum": ["error"]},
            "error": {"type": "object", "properties": {
                "code": {"type": ["string", "null"],
                         "enum": ["PLATFORM.INPUT_INVALID", "ATS.JOB_CLOSED", None]},
                "message": {"type": "string"},
            }, "required": ["code", "message"]},
        },
        "required": ["status", "error"],
    }}},
}  # fmt: skip
SOUND: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "sound", "version": "1"},
    "paths": {
        "/ats/jobs": {"get": {
            "parameters": [
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                {"name": "page_size", "in": "query", "schema": {"type": "integer"}},
            ],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"data": {"type": "object", "properties": {
                        "next": {"type": ["string", "null"]},
                        "results": {"type": "array", "items": {"type": "object"}},
                    }}},
                }}}},
                "400": {"description": "bad request"},
                "default": {"$ref": "#/components/responses/Error"},
            },
        }},
        "/ats/jobs/{job_id}/notes": {"post": {
            "x-kombo-effects": {"changes": []},
            "parameters": [
                {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Note"}}}},
            "responses": {
                "200": {"description": "ok"},
                "404": {"description": "unknown job"},
                "default": {"$ref": "#/components/responses/Error"},
            },
        }},
    },
    "components": {
        "schemas": {"Note": {
            "type": "object",
            "properties": {
                "content": {"type": "string", "maxLength": 1000},
                "kind": {"type": "string", "enum": ["TEXT", "HTML"], "default": "TEXT"},
            },
            "required": ["content"],
        }},
        "responses": {"Error": ERROR},
    },
}  # fmt: skip


@pytest.fixture
def sound_document() -> dict[str, Any]:
    """A fresh copy of a document no rule objects to."""
    return copy.deepcopy(SOUND)


def write_yaml(path: Path, document: Any) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def lint_document(tmp_path: Path) -> Callable[..., list[Finding]]:
    """Write a document, load it (validated unless told) and lint it; returns the findings.

    ``errata`` is an errata file to load instead of the project's declared errata.
    """

    def run(
        document: dict[str, Any],
        *,
        validate: bool = True,
        errata: Path | None = None,
        **kwargs: Any,
    ) -> list[Finding]:
        paths = [write_yaml(tmp_path / "doc.yaml", document), *([errata] if errata else [])]
        return lint(load_contract(paths, validate=validate), **kwargs).findings

    return run


@pytest.fixture
def diff_documents(tmp_path: Path) -> Callable[[dict[str, Any], dict[str, Any]], list[Any]]:
    """Write two documents and diff them (unvalidated, as ``diff`` loads them)."""
    from kombo_conformance.spec.diff import diff_contracts

    def run(old: dict[str, Any], new: dict[str, Any]) -> list[Any]:
        paths = [
            write_yaml(tmp_path / f"{side}.yaml", doc) for side, doc in (("old", old), ("new", new))
        ]
        return diff_contracts(*(load_contract([p], validate=False) for p in paths))

    return run
