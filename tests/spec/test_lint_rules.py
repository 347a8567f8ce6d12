"""Each lint rule, on a sound document and on that document with one defect added."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from kombo_conformance.contract import load_contract
from kombo_conformance.spec.lint import lint

NOTE = ("components", "schemas", "Note")
JOBS = ("paths", "/ats/jobs", "get")
NOTES = ("paths", "/ats/jobs/{job_id}/notes", "post")


def checks(findings) -> list[str]:
    return sorted(f.check for f in findings)


def at(doc: dict[str, Any], *path: str) -> Any:
    for token in path:
        doc = doc[token]
    return doc


def test_sound_document_has_no_findings(sound_document, lint_document):
    assert lint_document(sound_document) == []


def test_pattern_format_disagreement_shows_counter_examples_both_ways(
    sound_document, lint_document
):
    doc = sound_document
    at(doc, *NOTE, "properties")["at"] = {
        "type": "string",
        "format": "date-time",
        "pattern": r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?Z?$",
    }
    [finding] = lint_document(doc)
    assert finding.check == "pattern_format_disagreement"
    assert finding.pointer == "/components/schemas/Note/properties/at"
    assert "2024-01-01" in finding.details["pattern_only"]
    assert "2024-13-01T00:00:00Z" in finding.details["pattern_only"]
    assert "2024-01-01T00:00:00+02:00" in finding.details["format_only"]
    assert "'2024-01-01'" in finding.message


def test_pattern_that_agrees_with_its_format_is_not_reported(sound_document, lint_document):
    doc = sound_document
    at(doc, *NOTE, "properties")["at"] = {
        "type": "string",
        "format": "date",
        "pattern": r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
    }
    # 2024-02-30 passes this pattern but not the date format: a real, narrower disagreement
    [finding] = lint_document(doc)
    assert finding.details["pattern_only"] == ["2024-02-30"]
    assert finding.details["format_only"] == []


@pytest.mark.parametrize("bound", [-1.7976931348623157e308, 1e301])
def test_vacuous_numeric_bound(sound_document, lint_document, bound):
    doc = sound_document
    at(doc, *NOTE, "properties")["score"] = {"type": "number", "minimum": bound}
    [finding] = lint_document(doc)
    assert (finding.check, finding.pointer) == (
        "vacuous_numeric_bound",
        "/components/schemas/Note/properties/score/minimum",
    )


def test_real_bound_is_not_vacuous(sound_document, lint_document):
    doc = sound_document
    at(doc, *NOTE, "properties")["score"] = {"type": "number", "minimum": -1e299}
    assert lint_document(doc) == []


def test_nullable_enum_without_null_is_an_error_without_errata(
    sound_document, lint_document, tmp_path
):
    doc = sound_document
    at(doc, *NOTE, "properties", "kind")["type"] = ["string", "null"]
    empty = tmp_path / "errata.yaml"
    empty.write_text("errata: []\n")
    findings = lint_document(doc, errata=empty)
    assert [(f.check, f.severity) for f in findings] == [("nullable_enum_omits_null", "error")]


def test_enum_default_outside_enum(sound_document, lint_document):
    doc = sound_document
    at(doc, *NOTE, "properties", "kind")["default"] = "MARKDOWN"
    findings = lint_document(doc, validate=False)
    assert [(f.check, f.pointer) for f in findings] == [
        ("enum_value_outside", "/components/schemas/Note/properties/kind/default")
    ]


def test_required_property_undeclared(sound_document, lint_document):
    doc = sound_document
    at(doc, *NOTE, "required").append("author")
    [finding] = lint_document(doc)
    assert finding.check == "required_property_undeclared"
    assert finding.pointer == "/components/schemas/Note/required/1"


def test_example_violating_schema_is_reported_once(sound_document, lint_document):
    doc = sound_document
    at(doc, *NOTE)["example"] = {"kind": "TEXT"}  # lacks the required content
    findings = lint_document(doc, validate=False)
    assert checks(findings) == ["example_violates_schema"]


def test_error_example_with_code_outside_envelope(sound_document, lint_document):
    doc = sound_document
    media = at(doc, "components", "responses", "Error", "content", "application/json")
    media["example"] = {"status": "error", "error": {"code": "LMS.NOPE", "message": "x"}}
    findings = lint_document(doc, validate=False)
    # the specific rule supersedes the generic example_violates_schema at the same pointer
    assert [(f.check, f.details.get("code")) for f in findings] == [
        ("example_error_code_outside_enum", "LMS.NOPE")
    ]


def test_request_body_not_required(sound_document, lint_document):
    doc = sound_document
    del at(doc, *NOTES, "requestBody")["required"]
    [finding] = lint_document(doc)
    assert (finding.check, finding.operation) == (
        "request_body_not_required",
        "POST /ats/jobs/{job_id}/notes",
    )


def test_write_without_effects(sound_document, lint_document):
    doc = sound_document
    del at(doc, *NOTES)["x-kombo-effects"]
    [finding] = lint_document(doc)
    assert (finding.check, finding.severity, finding.operation) == (
        "write_without_effects",
        "warning",
        "POST /ats/jobs/{job_id}/notes",
    )


def test_only_200_and_default_is_vacuous(sound_document, lint_document):
    doc = sound_document
    del at(doc, *NOTES, "responses")["404"]
    [finding] = lint_document(doc)
    assert finding.check == "vacuous_status_codes"
    assert finding.pointer == "/paths/~1ats~1jobs~1{job_id}~1notes/post/responses"


def test_missing_default_error_response(sound_document, lint_document):
    doc = sound_document
    del at(doc, *NOTES, "responses")["default"]
    assert checks(lint_document(doc)) == ["missing_default_error_response"]


def test_lms_operation_with_the_ats_envelope(sound_document, lint_document):
    doc = sound_document
    doc["paths"]["/lms/courses"] = doc["paths"].pop("/ats/jobs")
    [finding] = lint_document(doc)
    assert finding.check == "wrong_error_envelope"
    assert finding.details == {"expected": "general", "found": "ats"}


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda op: op["parameters"].pop(1), "'page_size'"),
        (
            lambda op: op["responses"]["200"]["content"]["application/json"]["schema"][
                "properties"
            ]["data"]["properties"]["next"].update(type="string"),
            "data.next",
        ),
    ],
)
def test_list_pagination_convention(sound_document, lint_document, edit, problem):
    doc = sound_document
    edit(at(doc, *JOBS))
    [finding] = lint_document(doc)
    assert finding.check == "list_pagination_convention"
    assert problem in finding.message


def test_inconsistent_shared_parameter(sound_document, lint_document):
    doc = sound_document
    at(doc, *NOTES)["parameters"].append(
        {"name": "page_size", "in": "query", "schema": {"type": "string"}}
    )
    [finding] = lint_document(doc)
    assert finding.check == "inconsistent_shared_parameter"
    assert finding.details["usual"] in (
        "/paths/~1ats~1jobs/get/parameters/1",
        "/paths/~1ats~1jobs~1{job_id}~1notes/post/parameters/1",
    )


def test_prose_rule_unless_the_schema_encodes_it(sound_document, lint_document):
    doc = sound_document
    props = at(doc, *NOTE, "properties")
    props["url"] = {"type": "string", "description": "You must provide either this or `content`."}
    [finding] = lint_document(doc)
    assert (finding.check, finding.severity) == ("prose_only_rule", "advisory")
    at(doc, *NOTE)["anyOf"] = [{"required": ["url"]}, {"required": ["content"]}]
    assert lint_document(doc) == []


def test_state_transition_prose_is_always_an_advisory(sound_document, lint_document):
    doc = sound_document
    at(doc, *NOTE, "properties", "kind")["description"] = (
        "The kind can only be updated while the note is a draft."
    )
    [finding] = lint_document(doc)
    assert finding.details["kind"] == "state transition"


def test_a_declared_prose_rule_that_the_contract_no_longer_says_is_a_warning(
    sound_document, tmp_path
):
    at(sound_document, *NOTE, "properties", "content")["description"] = (
        "The text. This is required when `kind` is HTML."
    )
    (tmp_path / "api.yaml").write_text(yaml.safe_dump(sound_document), encoding="utf-8")
    rule = {
        "id": "note-content-for-html",
        "rule": "prose-rule",
        "pointer": "/components/schemas/Note",
        "property": "content",
        "sentence": "This is required when `kind` is HTML.",
        "when": {"required": ["kind"], "properties": {"kind": {"const": "HTML"}}},
        "then": {"required": ["content"]},
        "refused_with": {"codes": ["REMOTE.INPUT_INVALID"]},
        "reason": "test",
    }
    errata = tmp_path / "errata.yaml"
    errata.write_text(yaml.safe_dump({"errata": [rule]}), encoding="utf-8")
    findings = lint(load_contract([tmp_path / "api.yaml", errata], validate=False)).findings
    (advisory,) = [f for f in findings if f.check == "prose_only_rule"]
    assert advisory.details["declared"] == "note-content-for-html"
    (code,) = [f for f in findings if f.check == "declared_prose_rule"]
    assert code.severity == "warning" and code.details["code"] == "REMOTE.INPUT_INVALID"
    rule["sentence"] = "This is required when `kind` is TEXT."  # a sentence the spec no longer says
    errata.write_text(yaml.safe_dump({"errata": [rule]}), encoding="utf-8")
    findings = lint(load_contract([tmp_path / "api.yaml", errata], validate=False)).findings
    assert "no description" in " ".join(
        f.message for f in findings if f.check == "declared_prose_rule"
    )
