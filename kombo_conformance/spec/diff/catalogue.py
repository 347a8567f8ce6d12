"""The diff rule catalogue: one named rule per change class, each with its level.

Schema rules exist in both directions. In a request the server reads what clients write, so
narrowing breaks them and widening is safe; in a response clients read what the server
writes, so widening breaks (or may break) them and narrowing is safe. :data:`SCHEMA_KINDS`
holds both impacts of each schema change; :data:`RULES` is the flat catalogue
(``request_<kind>``, ``response_<kind>`` and the fixed-level rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Impact = Literal["breaking", "potentially breaking", "safe"]
Direction = Literal["request", "response"]
BREAKING: Impact = "breaking"
POTENTIAL: Impact = "potentially breaking"
SAFE: Impact = "safe"
IMPACTS: tuple[Impact, ...] = (BREAKING, POTENTIAL, SAFE)
B, P, S = BREAKING, POTENTIAL, SAFE


@dataclass(frozen=True)
class Rule:
    """A change class: its name (a finding's ``check``), level and what it finds."""

    name: str
    impact: Impact
    finds: str
    group: str


# kind: (impact in a request, impact in a response, what changed)
SCHEMA_KINDS: dict[str, tuple[Impact, Impact, str]] = {
    "type_changed": (B, B, "`type` replaced by an unrelated one"),
    "type_widened": (S, B, "`type` accepts more (a type added, integer -> number)"),
    "type_narrowed": (B, S, "`type` accepts less"),
    "nullability_added": (S, B, "`null` added to the type"),
    "nullability_removed": (B, S, "`null` removed from the type"),
    "format_added": (B, S, "`format` added"),
    "format_removed": (S, P, "`format` removed"),
    "format_widened": (S, P, "`format` widened (int32 -> int64, float -> double)"),
    "format_changed": (B, B, "`format` changed (date-time -> date)"),
    "enum_values_added": (S, B, "`enum` values added"),
    "enum_values_removed": (B, S, "`enum` values removed"),
    "enum_added": (B, S, "`enum` added"),
    "enum_removed": (S, B, "`enum` removed"),
    "const_added": (B, S, "`const` added"),
    "const_removed": (S, B, "`const` removed"),
    "const_changed": (B, B, "`const` changed"),
    "range_tightened": (B, S, "`minimum`/`exclusiveMinimum` raised or `maximum`/... lowered"),
    "range_loosened": (S, P, "numeric bounds loosened or removed"),
    "length_tightened": (B, S, "`minLength` raised, `maxLength` lowered or added"),
    "length_loosened": (S, P, "string length bounds loosened or removed"),
    "items_count_tightened": (B, S, "`minItems` raised, `maxItems` lowered or added"),
    "items_count_loosened": (S, P, "array length bounds loosened or removed"),
    "properties_count_tightened": (B, S, "`minProperties`/`maxProperties` tightened"),
    "properties_count_loosened": (S, P, "`minProperties`/`maxProperties` loosened"),
    "multiple_of_changed": (B, P, "`multipleOf` added or changed"),
    "pattern_added": (B, S, "`pattern` added"),
    "pattern_changed": (B, P, "`pattern` changed"),
    "pattern_removed": (S, P, "`pattern` removed"),
    "unique_items_added": (B, S, "`uniqueItems` became true"),
    "unique_items_removed": (S, P, "`uniqueItems` no longer true"),
    "default_added": (P, S, "`default` added"),
    "default_changed": (B, P, "`default` changed (clients omitting the value get another)"),
    "default_removed": (P, S, "`default` removed"),
    "read_only_added": (P, S, "became `readOnly` (clients must stop sending it)"),
    "read_only_removed": (S, S, "no longer `readOnly`"),
    "write_only_added": (S, B, "became `writeOnly` (no longer returned)"),
    "write_only_removed": (S, S, "no longer `writeOnly`"),
    "property_added": (S, S, "optional property added"),
    "required_property_added": (B, S, "required property added"),
    "property_removed": (P, B, "property removed"),
    "property_became_required": (B, S, "property became required"),
    "property_became_optional": (S, B, "property no longer required"),
    "additional_properties_closed": (B, S, "`additionalProperties` became false"),
    "additional_properties_opened": (S, P, "`additionalProperties` no longer false"),
    "any_of_branch_added": (S, P, "`anyOf` branch added (matched by content)"),
    "any_of_branch_removed": (B, S, "`anyOf` branch removed"),
    "one_of_branch_added": (S, P, "`oneOf` branch added"),
    "one_of_branch_removed": (B, S, "`oneOf` branch removed"),
    "all_of_branch_added": (B, S, "`allOf` branch added (one more constraint)"),
    "all_of_branch_removed": (S, P, "`allOf` branch removed"),
    "discriminator_added": (P, P, "`discriminator` added"),
    "discriminator_removed": (P, P, "`discriminator` removed"),
    "discriminator_property_changed": (B, B, "`discriminator.propertyName` changed"),
    "discriminator_mapping_added": (S, P, "`discriminator.mapping` values added"),
    "discriminator_mapping_removed": (B, S, "`discriminator.mapping` values removed"),
}

# name: (level, what it finds), grouped.
FIXED: dict[str, dict[str, tuple[Impact, str]]] = {
    "operations": {
        "operation_removed": (B, "an operation (`METHOD /path`) removed"),
        "deprecated_operation_removed": (P, "an operation removed after being deprecated"),
        "operation_added": (S, "an operation added"),
        "operation_deprecated": (S, "an operation marked `deprecated`"),
        "operation_reactivated": (S, "an operation no longer `deprecated`"),
    },
    "parameters": {
        "parameter_removed": (B, "a path, query, header or cookie parameter removed"),
        "required_parameter_added": (B, "a required parameter added"),
        "parameter_added": (S, "an optional parameter added"),
        "parameter_became_required": (B, "a parameter became required"),
        "parameter_became_optional": (S, "a parameter no longer required"),
    },
    "request bodies": {
        "request_body_added": (B, "a required request body added"),
        "optional_request_body_added": (S, "an optional request body added"),
        "request_body_removed": (P, "the request body removed (what clients send is ignored)"),
        "request_body_became_required": (B, "the request body became required"),
        "request_body_became_optional": (S, "the request body no longer required"),
        "request_media_type_added": (S, "a request media type added"),
        "request_media_type_removed": (B, "a request media type removed"),
    },
    "responses": {
        "response_success_status_removed": (B, "a 2xx response status removed (200 -> 201)"),
        "response_success_status_added": (S, "a 2xx response status added"),
        "response_status_removed": (P, "a non-2xx response status no longer documented"),
        "response_status_added": (S, "a non-2xx response status added"),
        "response_media_type_removed": (B, "a response media type removed"),
        "response_media_type_added": (S, "a response media type added"),
        "required_response_header_removed": (B, "a required response header removed"),
        "optional_response_header_removed": (P, "an optional response header removed"),
        "response_header_became_optional": (B, "a response header no longer required"),
        "response_header_added": (S, "a response header added"),
    },
    "security": {
        "security_added": (B, "an unauthenticated operation now requires security"),
        "security_removed": (S, "an operation no longer requires security"),
        "security_requirement_removed": (B, "a security alternative removed"),
        "security_requirement_added": (S, "a security alternative added beside existing ones"),
        "security_scopes_added": (B, "OAuth scopes added to a requirement"),
        "security_scopes_removed": (S, "OAuth scopes removed from a requirement"),
        "security_scheme_changed": (B, "a used security scheme changed (type, `in`, name)"),
    },
    "Kombo conventions": {
        "error_envelope_changed": (B, "the error envelope switched between ATS and general"),
        "error_codes_added": (P, "codes added to the shared error envelope's `code` enum"),
        "error_codes_removed": (P, "codes removed from the error envelope's `code` enum"),
        "list_envelope_removed": (B, "a list operation lost `data.next`/`data.results`"),
        "list_envelope_added": (P, "an operation became a paginated list (one page only)"),
        "pagination_parameter_removed": (B, "`cursor` or `page_size` removed from a list"),
        "filter_parameter_removed": (B, "a filter query parameter removed from a list"),
        "filter_parameter_added": (S, "an optional filter query parameter added to a list"),
    },
}


def _catalogue() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for group, entries in FIXED.items():
        for name, (impact, finds) in entries.items():
            rules[name] = Rule(name, impact, finds, group)
    for direction, index in (("request", 0), ("response", 1)):
        for kind, impacts in SCHEMA_KINDS.items():
            name = f"{direction}_{kind}"
            rules[name] = Rule(name, impacts[index], impacts[2], f"{direction} schemas")
    return rules


RULES: dict[str, Rule] = _catalogue()


def schema_rule(kind: str, direction: Direction) -> Rule:
    """The rule for a schema change of ``kind`` read in ``direction``."""
    return RULES[f"{direction}_{kind}"]


def markdown() -> str:
    """The catalogue as the Markdown table docs/spec-validation.md carries."""
    groups = [*FIXED, "request schemas", "response schemas"]
    rows = ["| rule | level | finds |", "|---|---|---|"]
    order = sorted(RULES.values(), key=lambda r: (groups.index(r.group), IMPACTS.index(r.impact)))
    for rule in order:
        rows.append(f"| `{rule.name}` | {rule.impact} | {rule.group}: {rule.finds} |")
    return "\n".join(rows) + "\n"


def counts() -> dict[Impact, int]:
    """How many rules each level has."""
    return {impact: sum(r.impact == impact for r in RULES.values()) for impact in IMPACTS}


if __name__ == "__main__":  # python -m kombo_conformance.spec.diff.catalogue
    print(markdown(), end="")
