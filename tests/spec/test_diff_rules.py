"""One small before/after pair per diff rule and direction, the nine misses of issue 12 with
their attribution, and normalisations that must report nothing."""

from __future__ import annotations

import copy
import importlib.util
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.spec.diff import RULES, SCHEMA_KINDS, diff_contracts, to_findings
from kombo_conformance.spec.diff.catalogue import markdown


def _corpus() -> Any:
    path = Path(__file__).parent / "corpus" / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("diff_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus()
APPLY, BASE, JOBS, SCHEMAS, at = corpus.APPLY, corpus.BASE, corpus.JOBS, corpus.SCHEMAS, corpus.at
Doc = dict[str, Any]
Edit = Callable[[Doc], None]
S, I, N = {"type": "string"}, {"type": "integer"}, {"type": "number"}  # noqa: E741
OBJ = {"type": "object", "properties": {"a": S}}
ARR = {"type": "array", "items": S}
TAG = {"propertyName": "a"}

# kind: (old schema, new schema); each is placed in a request body and a 200 response.
SCHEMA_PAIRS: dict[str, tuple[Doc, Doc]] = {
    "type_changed": (S, {"type": "boolean"}),
    "type_widened": (I, N),
    "type_narrowed": ({"type": ["string", "integer"]}, S),
    "nullability_added": (S, {"type": ["string", "null"]}),
    "nullability_removed": ({"type": ["string", "null"]}, S),
    "format_added": (S, {**S, "format": "email"}),
    "format_removed": ({**S, "format": "email"}, S),
    "format_widened": ({**I, "format": "int32"}, {**I, "format": "int64"}),
    "format_changed": ({**S, "format": "date-time"}, {**S, "format": "date"}),
    "enum_values_added": ({**S, "enum": ["A"]}, {**S, "enum": ["A", "B"]}),
    "enum_values_removed": ({**S, "enum": ["A", "B"]}, {**S, "enum": ["A"]}),
    "enum_added": (S, {**S, "enum": ["A"]}),
    "enum_removed": ({**S, "enum": ["A"]}, S),
    "const_added": (S, {**S, "const": "A"}),
    "const_removed": ({**S, "const": "A"}, S),
    "const_changed": ({**S, "const": "A"}, {**S, "const": "B"}),
    "range_tightened": ({**I, "maximum": 10}, {**I, "maximum": 5}),
    "range_loosened": ({**I, "exclusiveMinimum": 5}, {**I, "exclusiveMinimum": 1}),
    "length_tightened": ({**S, "minLength": 1}, {**S, "minLength": 2}),
    "length_loosened": ({**S, "maxLength": 5}, S),
    "items_count_tightened": (ARR, {**ARR, "maxItems": 3}),
    "items_count_loosened": ({**ARR, "minItems": 2}, {**ARR, "minItems": 1}),
    "properties_count_tightened": (OBJ, {**OBJ, "maxProperties": 3}),
    "properties_count_loosened": ({**OBJ, "minProperties": 1}, OBJ),
    "multiple_of_changed": (N, {**N, "multipleOf": 2}),
    "pattern_added": (S, {**S, "pattern": "^a"}),
    "pattern_changed": ({**S, "pattern": "^a"}, {**S, "pattern": "^b"}),
    "pattern_removed": ({**S, "pattern": "^a"}, S),
    "unique_items_added": (ARR, {**ARR, "uniqueItems": True}),
    "unique_items_removed": ({**ARR, "uniqueItems": True}, ARR),
    "default_added": (S, {**S, "default": "A"}),
    "default_changed": ({**S, "default": "A"}, {**S, "default": "B"}),
    "default_removed": ({**S, "default": "A"}, S),
    "read_only_added": (S, {**S, "readOnly": True}),
    "read_only_removed": ({**S, "readOnly": True}, S),
    "write_only_added": (S, {**S, "writeOnly": True}),
    "write_only_removed": ({**S, "writeOnly": True}, S),
    "property_added": (OBJ, {**OBJ, "properties": {"a": S, "b": S}}),
    "required_property_added": (OBJ, {**OBJ, "properties": {"a": S, "b": S}, "required": ["b"]}),
    "property_removed": ({**OBJ, "properties": {"a": S, "b": S}}, OBJ),
    "property_became_required": (OBJ, {**OBJ, "required": ["a"]}),
    "property_became_optional": ({**OBJ, "required": ["a"]}, OBJ),
    "additional_properties_closed": (OBJ, {**OBJ, "additionalProperties": False}),
    "additional_properties_opened": ({**OBJ, "additionalProperties": False}, OBJ),
    "any_of_branch_added": ({"anyOf": [S, I]}, {"anyOf": [I, S, {"type": "boolean"}]}),
    "any_of_branch_removed": ({"anyOf": [S, I]}, {"anyOf": [S]}),
    "one_of_branch_added": ({"oneOf": [S, I]}, {"oneOf": [S, I, {"type": "boolean"}]}),
    "one_of_branch_removed": ({"oneOf": [S, I]}, {"oneOf": [I]}),
    "all_of_branch_added": ({"allOf": [OBJ]}, {"allOf": [OBJ, {"required": ["a"]}]}),
    "all_of_branch_removed": ({"allOf": [OBJ, {"required": ["a"]}]}, {"allOf": [OBJ]}),
    "discriminator_added": ({"oneOf": [OBJ]}, {"oneOf": [OBJ], "discriminator": TAG}),
    "discriminator_removed": ({"oneOf": [OBJ], "discriminator": TAG}, {"oneOf": [OBJ]}),
    "discriminator_property_changed": (
        {"oneOf": [OBJ], "discriminator": {"propertyName": "a"}},
        {"oneOf": [OBJ], "discriminator": {"propertyName": "b"}},
    ),
    "discriminator_mapping_added": (
        {"oneOf": [OBJ], "discriminator": {"propertyName": "a", "mapping": {}}},
        {"oneOf": [OBJ], "discriminator": {"propertyName": "a", "mapping": {"x": "#/c"}}},
    ),
    "discriminator_mapping_removed": (
        {"oneOf": [OBJ], "discriminator": {"propertyName": "a", "mapping": {"x": "#/c"}}},
        {"oneOf": [OBJ], "discriminator": {"propertyName": "a"}},
    ),
}  # fmt: skip


def holder(schema: Doc) -> Doc:
    """A document with schema as property ``x`` of a request body and of a 200 response."""
    content = {"application/json": {"schema": {"type": "object", "properties": {"x": schema}}}}
    operation = {
        "requestBody": {"required": True, "content": copy.deepcopy(content)},
        "responses": {"200": {"description": "ok", "content": copy.deepcopy(content)}},
    }
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/ats/notes": {"post": operation}}}  # fmt: skip


def kinds(changes: list[Any]) -> Counter[str]:
    return Counter(c.kind for c in changes)


def test_every_schema_kind_has_a_pair():
    assert set(SCHEMA_PAIRS) == set(SCHEMA_KINDS)


@pytest.mark.parametrize("kind", list(SCHEMA_PAIRS))
def test_schema_rule_in_both_directions(kind, diff_documents):
    old, new = SCHEMA_PAIRS[kind]
    changes = diff_documents(holder(old), holder(new))
    assert kinds(changes) == Counter({f"request_{kind}": 1, f"response_{kind}": 1})
    by_kind = {c.kind: c for c in changes}
    request, response, _ = SCHEMA_KINDS[kind]
    assert by_kind[f"request_{kind}"].impact == request
    assert by_kind[f"response_{kind}"].impact == response
    assert by_kind[f"request_{kind}"].where[0].startswith("request body property `x")
    assert by_kind[f"response_{kind}"].where[0].startswith("response 200 property `x")


def base() -> Doc:
    doc = copy.deepcopy(BASE)
    doc["components"]["securitySchemes"] = {
        "ApiKey": {"type": "http", "scheme": "bearer"},
        "OAuth": {"type": "oauth2", "flows": {"clientCredentials": {
            "tokenUrl": "https://example.test/token", "scopes": {"read": "r", "write": "w"}}}},
    }  # fmt: skip
    doc["security"] = [{"ApiKey": []}]
    at(doc, *JOBS, "responses", "200")["headers"] = {"X-Request-Id": {"schema": S}}
    return doc


def put(path: tuple[Any, ...], key: Any, value: Any) -> Edit:
    return lambda doc: at(doc, *path).__setitem__(key, copy.deepcopy(value))


def drop(path: tuple[Any, ...], key: Any) -> Edit:
    return lambda doc: at(doc, *path).__delitem__(key)


def add(path: tuple[Any, ...], value: Any) -> Edit:
    return lambda doc: at(doc, *path).append(copy.deepcopy(value))


def apply(*edits: Edit) -> Edit:
    def run(doc: Doc) -> None:
        for edit in edits:
            edit(doc)

    return run


def none(doc: Doc) -> None:
    """No edit."""


BODY = (*APPLY, "requestBody")
HEADER = (*JOBS, "responses", "200", "headers", "X-Request-Id")
CSV = {"text/csv": {"schema": S}}
COOKIE = {"name": "session", "in": "cookie", "schema": S}
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": True, "schema": S}
CODE = ("components", "responses", "ErrorATS", "content", "application/json", "schema",
        "properties", "error", "properties", "code")  # fmt: skip

# name: (edit of the old document, edit of the new one, rules expected)
FIXED_CASES: dict[str, tuple[Edit, Edit, list[str]]] = {
    "operation_removed": (none, drop(("paths",), "/ats/jobs"), ["operation_removed"]),
    "deprecated_operation_removed": (
        put(JOBS, "deprecated", True), drop(("paths",), "/ats/jobs"),
        ["deprecated_operation_removed"]),
    "operation_added": (
        none, put(("paths",), "/ats/tags", {"get": at(BASE, *JOBS)}), ["operation_added"]),
    "operation_deprecated": (none, put(JOBS, "deprecated", True), ["operation_deprecated"]),
    "operation_reactivated": (put(JOBS, "deprecated", True), none, ["operation_reactivated"]),
    "parameter_removed": (add((*APPLY, "parameters"), COOKIE), none, ["parameter_removed"]),
    "required_parameter_added": (
        none, add((*APPLY, "parameters"), IDEMPOTENCY), ["required_parameter_added"]),
    "parameter_added": (none, add((*APPLY, "parameters"), COOKIE), ["parameter_added"]),
    "parameter_became_required": (
        none, put((*JOBS, "parameters", 1), "required", True), ["parameter_became_required"]),
    "parameter_became_optional": (
        put((*JOBS, "parameters", 1), "required", True), none, ["parameter_became_optional"]),
    "request_body_added": (drop(APPLY, "requestBody"), none, ["request_body_added"]),
    "optional_request_body_added": (
        drop(APPLY, "requestBody"), put(BODY, "required", False), ["optional_request_body_added"]),
    "request_body_removed": (none, drop(APPLY, "requestBody"), ["request_body_removed"]),
    "request_body_became_required": (
        put(BODY, "required", False), none, ["request_body_became_required"]),
    "request_body_became_optional": (
        none, put(BODY, "required", False), ["request_body_became_optional"]),
    "request_media_type_added": (
        none, put((*BODY, "content"), "text/csv", {"schema": S}), ["request_media_type_added"]),
    "request_media_type_removed": (
        put((*BODY, "content"), "text/csv", {"schema": S}), none, ["request_media_type_removed"]),
    "response_success_status_removed": (
        none, put(APPLY, "responses", {"201": at(BASE, *APPLY, "responses", "200")}),
        ["response_success_status_removed", "response_success_status_added",
         "response_status_removed"]),
    "response_status_added": (
        none, put((*APPLY, "responses"), "404", {"description": "no job"}),
        ["response_status_added"]),
    "response_media_type_removed": (
        put((*APPLY, "responses", "200", "content"), "text/csv", {"schema": S}), none,
        ["response_media_type_removed"]),
    "response_media_type_added": (
        none, put((*APPLY, "responses", "200", "content"), "text/csv", {"schema": S}),
        ["response_media_type_added"]),
    "required_response_header_removed": (
        put(HEADER, "required", True), drop(HEADER[:-1], "X-Request-Id"),
        ["required_response_header_removed"]),
    "optional_response_header_removed": (
        none, drop(HEADER[:-1], "X-Request-Id"), ["optional_response_header_removed"]),
    "response_header_became_optional": (
        put(HEADER, "required", True), none, ["response_header_became_optional"]),
    "response_header_added": (
        none, put(HEADER[:-1], "X-Rate-Limit", {"schema": I}), ["response_header_added"]),
    "security_added": (drop((), "security"), none, ["security_added"]),
    "security_removed": (none, put((), "security", []), ["security_removed"]),
    "security_requirement_removed": (
        put((), "security", [{"ApiKey": []}, {"OAuth": ["read"]}]), none,
        ["security_requirement_removed"]),
    "security_requirement_added": (
        none, put((), "security", [{"ApiKey": []}, {"OAuth": ["read"]}]),
        ["security_requirement_added"]),
    "security_scopes_added": (
        put((), "security", [{"OAuth": ["read"]}]),
        put((), "security", [{"OAuth": ["read", "write"]}]),
        ["security_scopes_added"]),
    "security_scopes_removed": (
        put((), "security", [{"OAuth": ["read", "write"]}]),
        put((), "security", [{"OAuth": ["read"]}]),
        ["security_scopes_removed"]),
    "security_scheme_changed": (
        none, put(("components", "securitySchemes"), "ApiKey",
                  {"type": "apiKey", "in": "header", "name": "X-Key"}),
        ["security_scheme_changed"]),
    "error_codes": (
        none, put(CODE, "enum", ["PLATFORM.INPUT_INVALID", "ATS.APPLICATION_ALREADY_EXISTS"]),
        ["error_codes_added", "error_codes_removed"]),
    "error_envelope_changed": (
        none, put(CODE, "enum", ["PLATFORM.INPUT_INVALID", "PLATFORM.RATE_LIMIT_EXCEEDED"]),
        ["error_envelope_changed", "error_envelope_changed", "error_codes_added",
         "error_codes_removed"]),
    "list_envelope_removed": (
        none, drop((*JOBS, "parameters"), 0),
        ["list_envelope_removed", "pagination_parameter_removed"]),
    "list_envelope_added": (
        drop((*JOBS, "parameters"), 0), none, ["list_envelope_added", "parameter_added"]),
    "pagination_parameter_removed": (
        none, drop((*JOBS, "parameters"), 1), ["pagination_parameter_removed"]),
    "filter_parameter_removed": (
        none, drop((*JOBS, "parameters"), 2), ["filter_parameter_removed"]),
    "filter_parameter_added": (
        none, add((*JOBS, "parameters"), {"name": "name", "in": "query", "schema": S}),
        ["filter_parameter_added"]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(FIXED_CASES))
def test_fixed_rule(case, diff_documents):
    old_edit, new_edit, expected = FIXED_CASES[case]
    old, new = base(), base()
    old_edit(old)
    new_edit(new)
    changes = diff_documents(old, new)
    assert kinds(changes) == Counter(expected)
    for change in changes:
        assert change.impact == RULES[change.kind].impact
        assert change.operations and (change.old_pointer or change.new_pointer)


# -- the nine misses of issue 12, with attribution ------------------------------------------


def diff_edit(diff_documents, edit: Edit, old_edit: Edit = none) -> list[Any]:
    old, new = base(), base()
    old_edit(old)
    edit(new)
    return diff_documents(old, new)


def test_response_property_no_longer_required_is_breaking_in_every_operation(diff_documents):
    [change] = diff_edit(diff_documents, put((*SCHEMAS, "Job"), "required", ["id", "status"]))
    assert (change.kind, change.impact) == ("response_property_became_optional", "breaking")
    assert dict(zip(change.operations, change.where, strict=True)) == {
        "GET /ats/jobs": "response 200 property `data.results[].name`",
        "POST /ats/jobs/{job_id}/applications": "response 200 property `name`",
    }
    assert change.old_pointer == change.new_pointer == "/components/schemas/Job/properties/name"
    assert "in 2 operations" in change.message


def test_request_format_narrowed_is_breaking(diff_documents):
    props = (*SCHEMAS, "NewApplication", "properties")
    date_time = {"type": "string", "format": "date-time"}
    [change] = diff_edit(
        diff_documents,
        put(props, "available_from", {**date_time, "format": "date"}),
        put(props, "available_from", date_time),
    )
    assert (change.kind, change.impact) == ("request_format_changed", "breaking")
    assert change.where == ("request body property `available_from`",)


def test_success_status_changed(diff_documents):
    responses = {"201": at(BASE, *APPLY, "responses", "200"), "default": {"description": "e"}}
    changes = diff_edit(diff_documents, put(APPLY, "responses", responses))
    assert {(c.kind, c.impact) for c in changes} >= {
        ("response_success_status_removed", "breaking"),
        ("response_success_status_added", "safe"),
    }


def test_request_media_type_changed(diff_documents):
    content = at(BASE, *BODY, "content", "application/json")
    changes = diff_edit(
        diff_documents, put(BODY, "content", {"application/vnd.kombo+json": content})
    )
    assert Counter((c.kind, c.impact) for c in changes) == Counter(
        {("request_media_type_removed", "breaking"): 1, ("request_media_type_added", "safe"): 1}
    )


def test_query_default_changed(diff_documents):
    schema = (*JOBS, "parameters", 1, "schema")
    [change] = diff_edit(diff_documents, put(schema, "default", 50), put(schema, "default", 100))
    assert (change.kind, change.impact) == ("request_default_changed", "breaking")
    assert change.where == ("query parameter `page_size`",)
    assert change.operations == ("GET /ats/jobs",)


def test_path_parameter_renamed_is_no_change(diff_documents):
    def rename(doc: Doc) -> None:
        op = doc["paths"].pop("/ats/jobs/{job_id}/applications")
        op["post"]["parameters"][0]["name"] = "id"
        doc["paths"]["/ats/jobs/{id}/applications"] = op

    assert diff_edit(diff_documents, rename) == []


def test_request_any_of_branch_added_is_safe(diff_documents):
    prop = (*SCHEMAS, "NewApplication", "properties")
    source = at(BASE, *prop, "source")
    [change] = diff_edit(diff_documents, put(prop, "source", {"anyOf": [source, I]}))
    assert (change.kind, change.impact) == ("request_any_of_branch_added", "safe")
    assert change.where == ("request body property `source`",)


def test_nested_property_losing_null_inside_all_of(diff_documents):
    def split(nullable: bool) -> Edit:
        email = {"type": ["string", "null"] if nullable else "string"}
        extension = {
            "type": "object",
            "properties": {"candidate": {"type": "object", "properties": {"email": email}}},
        }
        return put(SCHEMAS, "NewApplication", {"allOf": [
            {"$ref": "#/components/schemas/Job"}, extension]})  # fmt: skip

    [change] = diff_edit(diff_documents, split(False), split(True))
    assert (change.kind, change.impact) == ("request_nullability_removed", "breaking")
    assert change.where == ("request body property `candidate.email`",)
    assert change.new_pointer == (
        "/components/schemas/NewApplication/allOf/1/properties/candidate/properties/email"
    )


def test_shared_parameter_component_change_names_operations_and_parameter(diff_documents):
    def shared(maximum: int) -> Edit:
        def edit(doc: Doc) -> None:
            doc["components"]["parameters"] = {
                "PageSize": {
                    "name": "page_size",
                    "in": "query",
                    "schema": {**I, "maximum": maximum},
                }
            }
            ref = {"$ref": "#/components/parameters/PageSize"}
            at(doc, *JOBS, "parameters")[1] = ref
            doc["paths"]["/ats/candidates"] = {"get": copy.deepcopy(at(doc, *JOBS))}

        return edit  # fmt: skip

    [change] = diff_edit(diff_documents, shared(100), shared(250))
    assert (change.kind, change.impact) == ("request_range_tightened", "breaking")
    assert change.operations == ("GET /ats/jobs", "GET /ats/candidates")
    assert change.where == ("query parameter `page_size`",) * 2
    assert change.old_pointer == change.new_pointer == "/components/parameters/PageSize/schema"
    assert "in 2 operations: GET /ats/jobs, GET /ats/candidates" in change.message


def test_findings_list_operations_and_count(diff_documents, tmp_path):
    changes = diff_edit(diff_documents, put((*SCHEMAS, "Job"), "required", ["id", "status"]))
    old = load_contract([tmp_path / "old.yaml"], validate=False)
    new = load_contract([tmp_path / "new.yaml"], validate=False)
    [finding] = to_findings(changes, old, new)
    assert finding.severity == "error"
    assert finding.details["operation_count"] == 2
    assert finding.operation == "GET /ats/jobs"


# -- normalisation ----------------------------------------------------------------------------


def test_renamed_security_scheme_is_no_change(diff_documents):
    def rename(doc: Doc) -> None:
        schemes = doc["components"]["securitySchemes"]
        schemes["Bearer"] = schemes.pop("ApiKey")
        doc["security"] = [{"Bearer": []}]

    assert diff_edit(diff_documents, rename) == []


def test_contracts_restructured_have_no_breaking_change(contract: Contract, tmp_path: Path):
    """A component renamed, one inlined, properties and parameters reversed: no change."""
    doc = copy.deepcopy(contract.document)
    schemas = doc["components"]["schemas"]
    name = next(n for n in schemas if isinstance(schemas[n], dict) and "properties" in schemas[n])
    text = json.dumps(doc).replace(
        f'"#/components/schemas/{name}"', f'"#/components/schemas/{name}Renamed"'
    )
    doc = json.loads(text)
    schemas = doc["components"]["schemas"]
    schemas[f"{name}Renamed"] = schemas.pop(name)
    for schema in schemas.values():
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
            schema["properties"] = dict(reversed(schema["properties"].items()))
    for item in doc["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and isinstance(op.get("parameters"), list):
                op["parameters"].reverse()
    copy_path = tmp_path / "restructured.yaml"
    copy_path.write_text(json.dumps(doc, sort_keys=True), encoding="utf-8")  # JSON is YAML
    assert diff_contracts(contract, load_contract([copy_path], validate=False)) == []


# -- catalogue --------------------------------------------------------------------------------


def test_every_rule_has_a_case():
    """Each rule is expected by a case above (and the cases check it is produced)."""
    schema_rules = {f"{side}_{kind}" for kind in SCHEMA_PAIRS for side in ("request", "response")}
    fixed_rules = {rule for *_, expected in FIXED_CASES.values() for rule in expected}
    assert schema_rules | fixed_rules == set(RULES)


def test_docs_carry_the_generated_catalogue():
    doc = (Path(__file__).parents[2] / "docs" / "spec-validation.md").read_text()
    assert markdown() in doc
