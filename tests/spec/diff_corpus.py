"""Before/after cases for ``diff`` built from the project's contracts.

Each :class:`Case` applies one small edit to a copy of the bundled contracts (``before``, when
given, to the old copy) and names the rules ``diff`` must report (exactly, as a multiset),
an operation every reported change names, where in it the first change is, and the highest
level reported. Edits address schemas as ``(operation, part, path)``: part is ``body`` (the
JSON request body) or a status; the path is written as ``diff`` renders it
(``data.results[].stages[].status``). Every ``$ref`` is followed to where it is defined.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kombo_conformance.contract import Contract, pointer
from kombo_conformance.contract.bundle import Bundle
from kombo_conformance.spec.diff.model import parse_where

Doc = dict[str, Any]
Edit = Callable[[Doc], None]
JSON = "application/json"


@dataclass(frozen=True)
class Case:
    name: str
    edit: Edit
    rules: tuple[str, ...]
    operation: str | None = None
    level: str | None = None  # the highest level reported; None: nothing at all
    where: str | None = None
    before: Edit | None = None


def with_document(contract: Contract, document: Doc) -> Contract:
    """The contract with another document (no file is written or parsed)."""
    return Contract(Bundle(document, contract.bundle.origins), contract.errata)


def fresh(contract: Contract) -> Doc:
    """A copy of the document to edit (a JSON round trip: faster than deepcopy)."""
    return json.loads(json.dumps(contract.document))


def pair(contract: Contract, case: Case) -> tuple[Contract, Contract]:
    """(old, new) for case; old is contract itself unless the case edits it too."""
    old = contract
    if case.before:
        case.before(document := fresh(contract))
        old = with_document(contract, document)
    case.edit(document := fresh(contract))
    return old, with_document(contract, document)


# -- addressing --------------------------------------------------------------------------


def deref(doc: Doc, node: Any) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = pointer.resolve(doc, pointer.split(node["$ref"]))
    return node


def operation(doc: Doc, key: str) -> Doc:
    method, path = key.split(" ", 1)
    return doc["paths"][path][method.lower()]


def schema(doc: Doc, key: str, part: str, path: str = "") -> Doc:
    """The schema node (where it is defined) at path in the body or a response."""
    op = operation(doc, key)
    holder = op["requestBody"] if part == "body" else op["responses"][part]
    node = deref(doc, deref(doc, holder)["content"][JSON]["schema"])
    for token in parse_where(f"x property `{path}`")[1] if path else ():
        step = node["items"] if token == "[]" else node["properties"][token]
        node = deref(doc, step)
    return node


def parameter(doc: Doc, key: str, name: str) -> Doc:
    return next(
        deref(doc, p) for p in operation(doc, key)["parameters"] if deref(doc, p)["name"] == name
    )


# -- edits -------------------------------------------------------------------------------


def put(key: str, part: str, path: str, **values: Any) -> Edit:
    return lambda doc: schema(doc, key, part, path).update(copy.deepcopy(values))


def drop(key: str, part: str, path: str, *names: str) -> Edit:
    def edit(doc: Doc) -> None:
        node = schema(doc, key, part, path)
        for name in names:
            del node[name]

    return edit


def mutate(key: str, part: str, path: str, change: Callable[[Doc], Any]) -> Edit:
    return lambda doc: change(schema(doc, key, part, path))


def add_property(key: str, part: str, path: str, name: str, value: Doc, required: bool) -> Edit:
    def edit(doc: Doc) -> None:
        node = schema(doc, key, part, path)
        node["properties"][name] = copy.deepcopy(value)
        if required:
            node.setdefault("required", []).append(name)

    return edit


def drop_property(key: str, part: str, path: str, name: str) -> Edit:
    def edit(doc: Doc) -> None:
        node = schema(doc, key, part, path)
        del node["properties"][name]
        if name in node.get("required", []):
            node["required"].remove(name)

    return edit


def require(key: str, part: str, path: str, name: str, required: bool = True) -> Edit:
    def edit(doc: Doc) -> None:
        names = schema(doc, key, part, path).setdefault("required", [])
        names.append(name) if required else names.remove(name)

    return edit


def param(key: str, name: str, **values: Any) -> Edit:
    return lambda doc: parameter(doc, key, name).update(copy.deepcopy(values))


def param_schema(key: str, name: str, change: Callable[[Doc], Any]) -> Edit:
    return lambda doc: change(parameter(doc, key, name)["schema"])


def drop_param(key: str, name: str) -> Edit:
    def edit(doc: Doc) -> None:
        params = operation(doc, key)["parameters"]
        params[:] = [p for p in params if deref(doc, p)["name"] != name]

    return edit


def add_param(key: str, value: Doc) -> Edit:
    return lambda doc: operation(doc, key)["parameters"].append(copy.deepcopy(value))


def op_put(key: str, *path: str, **values: Any) -> Edit:
    def edit(doc: Doc) -> None:
        node = operation(doc, key)
        for token in path:
            node = deref(doc, node)[token]
        deref(doc, node).update(copy.deepcopy(values))

    return edit


def op_drop(key: str, *path: str) -> Edit:
    def edit(doc: Doc) -> None:
        node = operation(doc, key)
        for token in path[:-1]:
            node = deref(doc, node)[token]
        del deref(doc, node)[path[-1]]

    return edit


def doc_put(*path: str, value: Any) -> Edit:
    def edit(doc: Doc) -> None:
        node = doc
        for token in path[:-1]:
            node = node[token]
        node[path[-1]] = copy.deepcopy(value)

    return edit


def unchanged(doc: Doc) -> None:
    """No edit (the case's ``before`` makes the difference)."""


def both(*edits: Edit) -> Edit:
    def edit(doc: Doc) -> None:
        for each in edits:
            each(doc)

    return edit


# -- restructurings that change nothing ---------------------------------------------------


def rename_component(doc: Doc, kind: str = "schemas", name: str = "GetAtsJobsPositiveResponse",
                     to: str = "JobsPage") -> None:  # fmt: skip
    """Rename a component and every ``$ref`` to it."""
    old_ref, new_ref = f'"#/components/{kind}/{name}"', f'"#/components/{kind}/{to}"'
    renamed = json.loads(json.dumps(doc).replace(old_ref, new_ref))
    renamed["components"][kind][to] = renamed["components"][kind].pop(name)
    doc.clear()
    doc.update(renamed)


def inline_refs(doc: Doc, key: str = "GET /ats/jobs") -> None:
    """Replace the operation's parameter ``$ref``s and its 200 schema ``$ref`` by copies."""
    op = operation(doc, key)
    op["parameters"] = [copy.deepcopy(deref(doc, p)) for p in op["parameters"]]
    media = op["responses"]["200"]["content"][JSON]
    media["schema"] = copy.deepcopy(deref(doc, media["schema"]))


def extract_schema(doc: Doc) -> None:
    """Move the candidate's location object to ``components/schemas/Location``."""
    holder = schema(doc, "POST /ats/candidates", "body", "candidate")
    doc["components"]["schemas"]["Location"] = holder["properties"]["location"]
    holder["properties"]["location"] = {"$ref": "#/components/schemas/Location"}


def reorder(doc: Doc) -> None:
    """Reverse every property map, ``required`` list, enum and parameter list."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("properties", "responses"):
                if isinstance(node.get(key), dict):
                    node[key] = dict(reversed(node[key].items()))
            for key in ("required", "enum", "parameters"):
                if isinstance(node.get(key), list):
                    node[key].reverse()
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    doc["paths"] = dict(reversed(doc["paths"].items()))


def reword(doc: Doc) -> None:
    """Descriptions, summaries and examples only."""
    op = operation(doc, "GET /ats/jobs")
    op["summary"], op["description"] = "List all jobs", "Returns one page of jobs."
    deref(doc, op["parameters"][2])["description"] = "Page size."
    schema(doc, "POST /ats/candidates", "body", "candidate.first_name")["example"] = "Ada"


def rename_path_parameter(doc: Doc) -> None:
    """``{application_id}`` -> ``{id}`` in the notes path."""
    old = "/ats/applications/{application_id}/notes"
    item = doc["paths"].pop(old)
    for p in item["post"]["parameters"]:
        if deref(doc, p)["in"] == "path":
            deref(doc, p)["name"] = "id"
    doc["paths"][old.replace("application_id", "id")] = item


def rename_security_scheme(doc: Doc) -> None:
    doc["components"]["securitySchemes"]["Bearer"] = doc["components"]["securitySchemes"].pop(
        "ApiKey"
    )
    doc["security"] = [{"Bearer": []}]


def restructure(doc: Doc) -> None:
    """A component renamed, ``$ref``s inlined and extracted, everything reordered."""
    rename_component(doc)
    inline_refs(doc)
    extract_schema(doc)
    reorder(doc)


# -- the cases ----------------------------------------------------------------------------

J, C = "GET /ats/jobs", "POST /ats/candidates"
O = "PUT /assessment/orders/{assessment_order_id}/result"  # noqa: E741
N = "POST /ats/applications/{application_id}/notes"
ST = "PUT /ats/applications/{application_id}/stage"
T = "POST /ats/candidates/{candidate_id}/tags"
R = "data.results[]"
B, P, S = "breaking", "potentially breaking", "safe"
STR, INT = {"type": "string"}, {"type": "integer"}
HEADER = {"name": "Idempotency-Key", "in": "header", "schema": STR}
ERRORS = ("components", "responses", "ErrorResponseATS")
CODE = "error.code"


def _enum(values: list[Any], add: Any = None, remove: Any = None) -> None:
    if add is not None:
        values.append(add)
    if remove is not None:
        values.remove(remove)


def body(where: str) -> str:
    return f"request body property `{where}`"


def response(where: str, status: str = "200") -> str:
    return f"response {status} property `{where}`"


CASES: list[Case] = [
    # operations and path items
    Case("operation_removed", doc_put("paths", "/ats/tags", value={}),
         ("operation_removed",), "GET /ats/tags", B, "operation"),
    Case("deprecated_operation_removed", doc_put("paths", "/ats/tags", value={}),
         ("deprecated_operation_removed",), "GET /ats/tags", P,
         before=op_put("GET /ats/tags", deprecated=True)),
    Case("operation_added", lambda d: d["paths"].__setitem__(
        "/ats/tag-groups", copy.deepcopy(d["paths"]["/ats/tags"])),
         ("operation_added",), "GET /ats/tag-groups", S),
    Case("operation_deprecated", op_put(J, deprecated=True), ("operation_deprecated",), J, S),
    Case("operation_reactivated", op_put(J, deprecated=False), ("operation_reactivated",), J, S,
         before=op_put(J, deprecated=True)),
    Case("path_parameter_renamed", rename_path_parameter, ()),
    # parameters
    Case("header_parameter_removed", drop_param(N, "X-Integration-Id"),
         ("parameter_removed",), N, B, "header parameter `X-Integration-Id`"),
    Case("required_header_added", add_param(N, {**HEADER, "required": True}),
         ("required_parameter_added",), N, B, "header parameter `Idempotency-Key`"),
    Case("optional_header_added", add_param(N, HEADER), ("parameter_added",), N, S),
    Case("cookie_parameter_removed", drop_param(N, "session"), ("parameter_removed",), N, B,
         "cookie parameter `session`", before=add_param(N, {**HEADER, "in": "cookie",
                                                            "name": "session"})),
    Case("filter_removed", drop_param(J, "job_codes"), ("filter_parameter_removed",), J, B,
         "query parameter `job_codes`"),
    Case("filter_added", add_param(J, {"name": "location", "in": "query", "schema": STR}),
         ("filter_parameter_added",), J, S),
    Case("pagination_removed", drop_param(J, "page_size"), ("pagination_parameter_removed",),
         J, B, "query parameter `page_size`"),
    Case("parameter_became_required", param(J, "job_codes", required=True),
         ("parameter_became_required",), J, B),
    Case("parameter_became_optional", param(J, "job_codes", required=False),
         ("parameter_became_optional",), J, S, before=param(J, "job_codes", required=True)),
    Case("query_enum_value_removed", param_schema(J, "status", lambda s: s["enum"].remove(
        "ARCHIVED")), ("request_enum_values_removed",), J, B, "query parameter `status`"),
    Case("query_enum_value_added", param_schema(J, "status", lambda s: s["enum"].append(
        "PAUSED")), ("request_enum_values_added",), J, S),
    Case("shared_page_size_max_lowered", param_schema(J, "page_size", lambda s: s.update(
        maximum=100)), ("request_range_tightened",), J, B, "query parameter `page_size`"),
    Case("shared_page_size_max_raised", param_schema(J, "page_size", lambda s: s.update(
        maximum=500)), ("request_range_loosened",), J, S),
    Case("shared_page_size_default_changed", param_schema(J, "page_size", lambda s: s.update(
        default=50)), ("request_default_changed",), J, B),
    Case("shared_page_size_format_changed", param_schema(J, "page_size", lambda s: s.update(
        format="int32")), ("request_format_changed",), J, B),
    Case("include_deleted_enum_removed", param_schema(J, "include_deleted", lambda s: s.pop(
        "enum")), ("request_enum_removed",), J, S),
    Case("include_deleted_default_removed", param_schema(J, "include_deleted", lambda s: s.pop(
        "default")), ("request_default_removed",), J, P),
    Case("query_type_widened", param_schema(J, "job_codes", lambda s: s.update(
        type=["string", "integer"])), ("request_type_widened",), J, S),
    Case("query_pattern_added", param_schema(J, "job_codes", lambda s: s.update(
        pattern="^[A-Z]+$")), ("request_pattern_added",), J, B),
    Case("query_length_tightened", param_schema(J, "job_codes", lambda s: s.update(
        maxLength=64)), ("request_length_tightened",), J, B),
    Case("shared_header_length_tightened", param_schema(J, "X-Integration-Id", lambda s: s.update(
        minLength=8)), ("request_length_tightened",), O, B, "header parameter `X-Integration-Id`"),
    # request bodies
    Case("request_body_became_required", op_put(O, "requestBody", required=True),
         ("request_body_became_required",), O, B, "request body",
         before=op_put(O, "requestBody", required=False)),
    Case("request_body_became_optional", op_put(O, "requestBody", required=False),
         ("request_body_became_optional",), O, S, before=op_put(O, "requestBody", required=True)),
    Case("request_body_removed", op_drop(ST, "requestBody"), ("request_body_removed",), ST, P),
    Case("request_body_added", op_put(ST, requestBody={"required": True, "content": {
        JSON: {"schema": STR}}}), ("request_body_added",), ST, B,
         before=op_drop(ST, "requestBody")),
    Case("request_media_type_added", op_put(C, "requestBody", "content", **{
        "multipart/form-data": {"schema": STR}}), ("request_media_type_added",), C, S),
    Case("request_media_type_removed", unchanged,
         ("request_media_type_removed",), C, B, before=op_put(C, "requestBody", "content", **{
             "multipart/form-data": {"schema": STR}})),
    Case("request_required_property_added", add_property(C, "body", "", "consent",
         {"type": "boolean"}, required=True), ("request_required_property_added",), C, B,
         body("consent")),
    Case("request_optional_property_added", add_property(C, "body", "", "consent",
         {"type": "boolean"}, required=False), ("request_property_added",), C, S),
    Case("request_property_became_required", require(C, "body", "candidate", "company"),
         ("request_property_became_required",), C, B, body("candidate.company")),
    Case("request_property_became_optional", require(C, "body", "candidate", "email_address",
         False), ("request_property_became_optional",), C, S),
    Case("request_property_removed", drop_property(C, "body", "candidate", "title"),
         ("request_property_removed",), C, P, body("candidate.title")),
    Case("request_enum_value_removed", mutate(C, "body", "candidate.gender", lambda s: s[
        "enum"].remove("OTHER")), ("request_enum_values_removed",), C, B, body("candidate.gender")),
    Case("request_enum_value_added", mutate(C, "body", "candidate.gender", lambda s: s[
        "enum"].append("DIVERSE")), ("request_enum_values_added",), C, S),
    Case("request_enum_removed", drop(C, "body", "candidate.gender", "enum"),
         ("request_enum_removed",), C, S),
    Case("request_enum_added", put(C, "body", "candidate.company", enum=["ACME"]),
         ("request_enum_added",), C, B),
    Case("request_format_narrowed", put(C, "body", "candidate.availability_date", format="date"),
         ("request_format_changed",), C, B, body("candidate.availability_date")),
    Case("request_format_removed", drop(C, "body", "candidate.availability_date", "format"),
         ("request_format_removed",), C, S),
    Case("request_format_added", put(C, "body", "candidate.email_address", format="email"),
         ("request_format_added",), C, B),
    Case("request_pattern_removed", drop(C, "body", "candidate.availability_date", "pattern"),
         ("request_pattern_removed",), C, S),
    Case("request_pattern_changed", put(O, "body", "attachments[].content_type", pattern="^.+$"),
         ("request_pattern_changed",), O, B, body("attachments[].content_type")),
    Case("request_max_items_lowered", put(O, "body", "attachments", maxItems=3),
         ("request_items_count_tightened",), O, B, body("attachments")),
    Case("request_max_items_raised", put(O, "body", "attachments", maxItems=10),
         ("request_items_count_loosened",), O, S),
    Case("request_default_removed", drop(O, "body", "attributes", "default"),
         ("request_default_removed",), O, P),
    Case("request_default_changed", put(O, "body", "attachments", default=[{"name": "cv"}]),
         ("request_default_changed",), O, B),
    Case("request_nullability_added", put(C, "body", "candidate.first_name",
         type=["string", "null"]), ("request_nullability_added",), C, S),
    Case("request_nullability_removed", put(C, "body", "candidate.first_name", type="string"),
         ("request_nullability_removed",), C, B, body("candidate.first_name"),
         before=put(C, "body", "candidate.first_name", type=["string", "null"])),
    Case("request_type_changed", put(C, "body", "candidate.salary_expectations.amount",
         type="string"), ("request_type_changed",), C, B),
    Case("request_type_narrowed", put(C, "body", "candidate.salary_expectations.amount",
         type="integer"), ("request_type_narrowed",), C, B),
    Case("request_type_widened", put(C, "body", "candidate.salary_expectations.amount",
         type=["number", "string"]), ("request_type_widened",), C, S),
    Case("request_const_changed", put(N, "body", "content_type", const="HTML"),
         ("request_const_changed",), N, B, body("content_type")),
    Case("request_const_removed", drop(N, "body", "content_type", "const"),
         ("request_const_removed",), N, S),
    Case("request_minimum_raised", put(O, "body", "score", minimum=0),
         ("request_range_tightened",), O, B, body("score")),
    Case("request_minimum_removed", drop(O, "body", "score", "minimum"),
         ("request_range_loosened",), O, S),
    Case("request_min_length_added", put(T, "body", "tag.name", minLength=1),
         ("request_length_tightened",), T, B, body("tag.name")),
    Case("request_read_only_added", put(C, "body", "candidate.title", readOnly=True),
         ("request_read_only_added",), C, P),
    Case("request_write_only_added", put(C, "body", "candidate.title", writeOnly=True),
         ("request_write_only_added",), C, S),
    Case("request_additional_properties_closed", put(ST, "body", "remote_fields",
         additionalProperties=False), ("request_additional_properties_closed",), ST, B),
    Case("request_additional_properties_opened", unchanged,
         ("request_additional_properties_opened",), ST, S,
         before=put(ST, "body", "remote_fields", additionalProperties=False)),
    Case("request_unique_items_added", put(C, "body", "candidate.social_links", uniqueItems=True),
         ("request_unique_items_added",), C, B),
    Case("request_any_of_branch_added", mutate(O, "body", "attributes[]", lambda s: s[
        "anyOf"].append(STR)), ("request_any_of_branch_added",), O, S, body("attributes[]")),
    Case("request_any_of_branch_removed", mutate(O, "body", "attributes[]", lambda s: s[
        "anyOf"].pop(0)), ("request_any_of_branch_removed",), O, B),
    Case("request_any_of_branch_changed", mutate(O, "body", "attributes[]", lambda s: s["anyOf"][0][
        "required"].remove("value")), ("request_property_became_optional",), O, S),
    Case("request_discriminator_added", put(O, "body", "attributes[]",
         discriminator={"propertyName": "type"}), ("request_discriminator_added",), O, P),
    Case("request_all_of_branch_added", put(T, "body", "tag", allOf=[{"required": ["name"]}]),
         ("request_all_of_branch_added",), T, B),
    # responses
    Case("response_property_removed", drop_property(J, "200", R, "department"),
         ("response_property_removed",), J, B, response(f"{R}.department")),
    Case("response_property_added", add_property(J, "200", R, "office", STR, required=False),
         ("response_property_added",), J, S),
    Case("response_required_property_added", add_property(J, "200", R, "office", STR,
         required=True), ("response_required_property_added",), J, S),
    Case("response_property_became_optional", require(J, "200", R, "name", False),
         ("response_property_became_optional",), J, B, response(f"{R}.name")),
    Case("response_nullability_added", put(J, "200", f"{R}.changed_at", type=["string", "null"]),
         ("response_nullability_added",), J, B, response(f"{R}.changed_at")),
    Case("response_nullability_removed", put(J, "200", f"{R}.name", type="string"),
         ("response_nullability_removed",), J, S),
    Case("response_enum_value_added", mutate(J, "200", f"{R}.stages[].status", lambda s: s[
        "enum"].insert(0, "ARCHIVED")), ("response_enum_values_added",), J, B,
         response(f"{R}.stages[].status")),
    Case("response_enum_value_removed", mutate(J, "200", f"{R}.stages[].status", lambda s: s[
        "enum"].remove("INACTIVE")), ("response_enum_values_removed",), J, S),
    Case("response_enum_value_removed_in_any_of", mutate(J, "200", f"{R}.employment_type",
         lambda s: s["anyOf"][0]["enum"].remove("PART_TIME")), ("response_enum_values_removed",),
         J, S, response(f"{R}.employment_type")),
    Case("response_format_changed", put(J, "200", f"{R}.changed_at", format="date"),
         ("response_format_changed",), J, B),
    Case("response_format_removed", drop(J, "200", f"{R}.opened_at", "format"),
         ("response_format_removed",), J, P),
    Case("response_type_changed", put(J, "200", f"{R}.weekly_hours", type=["string", "null"]),
         ("response_type_changed",), J, B),
    Case("response_type_widened", put(J, "200", f"{R}.stages[].index", type=["number", "null"]),
         ("response_type_widened",), J, B),
    Case("response_type_narrowed", put(J, "200", f"{R}.weekly_hours", type=["integer", "null"]),
         ("response_type_narrowed",), J, S),
    Case("response_const_changed", put(J, "200", "status", const="ok"),
         ("response_const_changed",), J, B, response("status")),
    Case("response_write_only_added", put(J, "200", f"{R}.post_url", writeOnly=True),
         ("response_write_only_added",), J, B),
    Case("response_max_items_added", put(J, "200", f"{R}.hiring_team", maxItems=10),
         ("response_items_count_tightened",), J, S),
    Case("response_additional_properties_closed", put(J, "200", f"{R}.custom_fields",
         additionalProperties=False), ("response_additional_properties_closed",), J, S),
    Case("response_any_of_branch_added", mutate(J, "200", f"{R}.employment_type", lambda s: s[
        "anyOf"].append(INT)), ("response_any_of_branch_added",), J, P),
    Case("response_any_of_branch_removed", mutate(J, "200", f"{R}.employment_type", lambda s: s[
        "anyOf"].pop(1)), ("response_any_of_branch_removed",), J, S),
    Case("response_success_status_changed", lambda d: operation(d, J)["responses"].__setitem__(
        "201", operation(d, J)["responses"].pop("200")),
         ("response_success_status_removed", "response_success_status_added"), J, B),
    Case("response_status_added", op_put(J, "responses", **{"404": {"description": "x"}}),
         ("response_status_added",), J, S),
    Case("response_status_removed", unchanged, ("response_status_removed",),
         J, P, before=op_put(J, "responses", **{"404": {"description": "x"}})),
    Case("response_media_type_added", op_put(J, "responses", "200", "content",
         **{"text/csv": {"schema": STR}}), ("response_media_type_added",), J, S),
    Case("response_media_type_removed", unchanged,
         ("response_media_type_removed",), J, B, before=op_put(J, "responses", "200", "content",
                                                            **{"text/csv": {"schema": STR}})),
    Case("response_header_added", op_put(J, "responses", "200", headers={
        "X-Request-Id": {"schema": STR}}), ("response_header_added",), J, S),
    Case("required_response_header_removed", unchanged,
         ("required_response_header_removed",), J, B, before=op_put(J, "responses", "200",
             headers={"X-Request-Id": {"schema": STR, "required": True}})),
    Case("optional_response_header_removed", unchanged,
         ("optional_response_header_removed",), J, P, before=op_put(J, "responses", "200",
             headers={"X-Request-Id": {"schema": STR}})),
    Case("response_header_became_optional", op_put(J, "responses", "200", headers={
        "X-Request-Id": {"schema": STR}}), ("response_header_became_optional",), J, B,
         before=op_put(J, "responses", "200", headers={
             "X-Request-Id": {"schema": STR, "required": True}})),
    # security
    Case("security_removed", doc_put("security", value=[]), ("security_removed",), J, S),
    Case("security_requirement_added", both(
        doc_put("components", "securitySchemes", "Basic", value={"type": "http",
                                                                 "scheme": "basic"}),
        doc_put("security", value=[{"ApiKey": []}, {"Basic": []}])),
         ("security_requirement_added",), J, S),
    Case("security_scheme_changed", doc_put("components", "securitySchemes", "ApiKey", value={
        "type": "apiKey", "in": "header", "name": "X-Api-Key"}), ("security_scheme_changed",),
         J, B, "security"),
    Case("security_added", unchanged, ("security_added",), J, B,
         before=op_put(J, security=[])),
    # Kombo conventions
    Case("error_code_added", lambda d: d["components"]["responses"]["ErrorResponseATS"][
        "content"][JSON]["schema"]["properties"]["error"]["properties"]["code"][
        "enum"].insert(0, "ATS.NEW_CODE"), ("error_codes_added",), J, P,
         response(CODE, "default")),
    Case("error_code_removed", lambda d: d["components"]["responses"]["ErrorResponseATS"][
        "content"][JSON]["schema"]["properties"]["error"]["properties"]["code"][
        "enum"].remove("PLATFORM.TASK_TIMED_OUT"), ("error_codes_removed",), J, P),
    Case("error_envelope_changed", lambda d: operation(d, J)["responses"].__setitem__(
        "default", {"$ref": "#/components/responses/ErrorResponseGeneral"}),
         ("error_envelope_changed", "error_codes_removed"), J, B, "response default"),
    Case("list_envelope_removed", drop_property(J, "200", "data", "results"),
         ("list_envelope_removed", "response_property_removed"), J, B),
    # restructurings: nothing to report
    Case("component_renamed", rename_component, ()),
    Case("parameter_component_renamed", lambda d: rename_component(d, "parameters", "PageSize",
                                                                   "Limit"), ()),
    Case("refs_inlined", inline_refs, ()),
    Case("schema_extracted", extract_schema, ()),
    Case("reordered", reorder, ()),
    Case("reworded", reword, ()),
    Case("security_scheme_renamed", rename_security_scheme, ()),
    Case("restructured", restructure, ()),
]  # fmt: skip
