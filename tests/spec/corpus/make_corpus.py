"""Regenerate the diff corpus: ``python tests/spec/corpus/make_corpus.py``.

Each case is a folder with ``old.yaml`` (the base document below), ``new.yaml`` (the base
with one kind of edit applied) and ``expected.yaml``: the ``(check, impact)`` pairs that
``kombo-conformance diff`` must report, nothing more.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent

BASE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "diff corpus", "version": "1"},
    "paths": {
        "/ats/jobs": {
            "get": {
                "summary": "List jobs",
                "parameters": [
                    {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                    {"name": "page_size", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 250}},
                    {"name": "status", "in": "query",
                     "schema": {"type": "string", "enum": ["OPEN", "CLOSED"]}},
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/JobsPage"}}}},
                    "default": {"$ref": "#/components/responses/ErrorATS"},
                },
            }
        },
        "/ats/jobs/{job_id}/applications": {
            "post": {
                "summary": "Create application",
                "parameters": [
                    {"name": "job_id", "in": "path", "required": True,
                     "schema": {"type": "string"}},
                ],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/NewApplication"}}}},
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Job"}}}},
                    "default": {"$ref": "#/components/responses/ErrorATS"},
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Job": {
                "type": "object",
                "description": "A job.",
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string", "example": "Engineer"},
                    "status": {"type": "string", "enum": ["OPEN", "CLOSED", "DRAFT"]},
                    "salary": {"type": "number"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["id", "name", "status"],
            },
            "JobsPage": {
                "type": "object",
                "properties": {"data": {"type": "object", "properties": {
                    "next": {"type": ["string", "null"]},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Job"}},
                }}},
            },
            "NewApplication": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                    "email": {"type": ["string", "null"], "format": "email"},
                    "source": {"type": "string", "enum": ["WEB", "REFERRAL", "AGENCY"]},
                    "tags": {"type": "array", "maxItems": 10, "items": {"type": "string"}},
                    "score": {"type": "number", "minimum": 0, "maximum": 100},
                    "phone": {"type": "string", "pattern": "^[0-9 ]+$"},
                },
                "required": ["name", "source"],
            },
        },
        "responses": {
            "ErrorATS": {"description": "error", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "status": {"type": "string", "enum": ["error"]},
                    "error": {"type": "object", "properties": {
                        "code": {"type": ["string", "null"],
                                 "enum": ["PLATFORM.INPUT_INVALID", "ATS.JOB_CLOSED"]},
                        "message": {"type": "string"},
                    }},
                },
            }}}},
        },
    },
}  # fmt: skip

JOBS = ("paths", "/ats/jobs", "get")
APPLY = ("paths", "/ats/jobs/{job_id}/applications", "post")
SCHEMAS = ("components", "schemas")
CODE = ("components", "responses", "ErrorATS", "content", "application/json", "schema",
        "properties", "error", "properties", "code")  # fmt: skip


def at(doc: dict[str, Any], *path: str) -> Any:
    for token in path:
        doc = doc[token]
    return doc


def rename_component(doc: dict[str, Any]) -> None:
    """Rename Job to Posting and inline JobsPage: restructuring, no change in meaning."""
    schemas = at(doc, *SCHEMAS)
    schemas["Posting"] = schemas.pop("Job")
    page = schemas.pop("JobsPage")
    page["properties"]["data"]["properties"]["results"]["items"]["$ref"] = (
        "#/components/schemas/Posting"
    )
    at(doc, *JOBS, "responses", "200", "content", "application/json")["schema"] = page
    at(doc, *APPLY, "responses", "200", "content", "application/json", "schema")["$ref"] = (
        "#/components/schemas/Posting"
    )


def reorder(doc: dict[str, Any]) -> None:
    """Reverse properties, enum values, required lists and parameters."""
    for schema in at(doc, *SCHEMAS).values():
        schema["properties"] = dict(reversed(schema["properties"].items()))
        if "required" in schema:
            schema["required"].reverse()
    at(doc, *SCHEMAS, "Job", "properties", "status", "enum").reverse()
    at(doc, *SCHEMAS, "NewApplication", "properties", "source", "enum").reverse()
    at(doc, *CODE, "enum").reverse()
    at(doc, *JOBS, "parameters").reverse()


def reword(doc: dict[str, Any]) -> None:
    """Edit descriptions, summaries and examples only."""
    at(doc, *JOBS)["summary"] = "Get all jobs"
    at(doc, *JOBS)["description"] = "Returns a page of jobs."
    at(doc, *SCHEMAS, "Job")["description"] = "A job posting."
    at(doc, *SCHEMAS, "Job", "properties", "name")["example"] = "Designer"
    at(doc, *SCHEMAS, "NewApplication", "properties", "name")["description"] = "Full name."


def tighten(doc: dict[str, Any]) -> None:
    props = at(doc, *SCHEMAS, "NewApplication", "properties")
    props["tags"]["maxItems"] = 5
    props["name"]["maxLength"] = 50
    props["name"]["minLength"] = 2
    props["phone"]["pattern"] = "^\\+[0-9]+$"
    props["score"]["minimum"] = 10
    props["score"]["maximum"] = 90


def error_codes(doc: dict[str, Any]) -> None:
    at(doc, *CODE)["enum"] = ["PLATFORM.INPUT_INVALID", "ATS.APPLICATION_ALREADY_EXISTS"]


def envelope_swapped(doc: dict[str, Any]) -> None:
    """The ATS envelope replaced by the general one (PLATFORM codes only)."""
    at(doc, *CODE)["enum"] = ["PLATFORM.INPUT_INVALID", "PLATFORM.RATE_LIMIT_EXCEEDED"]


def setter(path: tuple[str, ...], key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        at(doc, *path)[key] = value

    return apply


def remover(path: tuple[str, ...], key: str | int) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        del at(doc, *path)[key]

    return apply


def appender(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        at(doc, *path).append(value)

    return apply


def both(*edits: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        for edit in edits:
            edit(doc)

    return apply


JOB = (*SCHEMAS, "Job", "properties")
NEW_APP = (*SCHEMAS, "NewApplication")
CASES: dict[str, tuple[Callable[[dict[str, Any]], None], list[tuple[str, str]]]] = {
    "operation_removed": (remover(("paths",), "/ats/jobs"), [("operation_removed", "breaking")]),
    "operation_added": (
        setter(("paths",), "/ats/tags", {"get": copy.deepcopy(at(BASE, *JOBS))}),
        [("operation_added", "safe")],
    ),
    "parameter_removed": (
        remover((*JOBS, "parameters"), 2), [("filter_parameter_removed", "breaking")]
    ),
    "required_parameter_added": (
        appender((*JOBS, "parameters"),
                 {"name": "board", "in": "query", "required": True, "schema": {"type": "string"}}),
        [("required_parameter_added", "breaking")],
    ),
    "response_property_removed": (
        remover(JOB, "salary"), [("response_property_removed", "breaking")]
    ),
    "response_enum_widened": (
        appender((*JOB, "status", "enum"), "ARCHIVED"),
        [("response_enum_values_added", "breaking")],
    ),
    "request_enum_narrowed": (
        setter((*NEW_APP, "properties", "source"), "enum", ["WEB", "REFERRAL"]),
        [("request_enum_values_removed", "breaking")],
    ),
    "required_request_property_added": (
        both(setter((*NEW_APP, "properties"), "consent", {"type": "boolean"}),
             appender((*NEW_APP, "required"), "consent")),
        [("request_required_property_added", "breaking")],
    ),
    "constraints_tightened": (
        tighten,
        [("request_items_count_tightened", "breaking")]
        + [("request_length_tightened", "breaking")] * 2
        + [("request_range_tightened", "breaking")] * 2
        + [("request_pattern_changed", "breaking")],
    ),
    "type_changed": (
        setter((*JOB, "salary"), "type", "string"), [("response_type_changed", "breaking")]
    ),
    "response_nullability_added": (
        setter((*JOB, "salary"), "type", ["number", "null"]),
        [("response_nullability_added", "breaking")],
    ),
    "request_nullability_removed": (
        setter((*NEW_APP, "properties", "email"), "type", "string"),
        [("request_nullability_removed", "breaking")],
    ),
    "error_codes_changed": (
        error_codes,
        [("error_codes_added", "potentially breaking"),
         ("error_codes_removed", "potentially breaking")],
    ),
    "error_envelope_changed": (
        envelope_swapped,
        [("error_envelope_changed", "breaking"), ("error_envelope_changed", "breaking"),
         ("error_codes_added", "potentially breaking"),
         ("error_codes_removed", "potentially breaking")],
    ),
    "optional_response_field_added": (
        setter(JOB, "location", {"type": "string"}), [("response_property_added", "safe")]
    ),
    "reordered": (reorder, []),
    "reworded": (reword, []),
    "ref_renamed": (rename_component, []),
}  # fmt: skip


def main() -> None:
    for name, (edit, expected) in CASES.items():
        folder = HERE / name
        folder.mkdir(exist_ok=True)
        new = copy.deepcopy(BASE)
        edit(new)
        for filename, doc in (("old.yaml", BASE), ("new.yaml", new)):
            text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
            (folder / filename).write_text(text, encoding="utf-8")
        rows = [{"check": check, "impact": impact} for check, impact in expected]
        (folder / "expected.yaml").write_text(
            yaml.safe_dump({"changes": rows}, sort_keys=False), encoding="utf-8"
        )


if __name__ == "__main__":
    main()
