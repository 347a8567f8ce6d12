"""The lint rules: plain named functions ``rule(ctx) -> Iterator[Issue]``, one module per
concern. A finding's ``check`` is its rule's function name."""

from __future__ import annotations

from kombo_conformance.spec.context import Rule
from kombo_conformance.spec.rules.bounds import vacuous_numeric_bound
from kombo_conformance.spec.rules.capability import (
    capability_operations,
    capability_query_parameters,
    capability_truncated,
)
from kombo_conformance.spec.rules.enums import enum_value_outside, nullable_enum_omits_null
from kombo_conformance.spec.rules.envelopes import (
    example_error_code_outside_enum,
    missing_default_error_response,
    wrong_error_envelope,
)
from kombo_conformance.spec.rules.examples import example_violates_schema
from kombo_conformance.spec.rules.formats import pattern_format_disagreement
from kombo_conformance.spec.rules.operations import (
    request_body_not_required,
    vacuous_status_codes,
    write_without_effects,
)
from kombo_conformance.spec.rules.pagination import list_pagination_convention
from kombo_conformance.spec.rules.parameters import inconsistent_shared_parameter
from kombo_conformance.spec.rules.prose import declared_prose_rule, prose_only_rule
from kombo_conformance.spec.rules.schemas import required_property_undeclared

RULES: tuple[Rule, ...] = (
    pattern_format_disagreement,
    vacuous_numeric_bound,
    nullable_enum_omits_null,
    enum_value_outside,
    required_property_undeclared,
    example_error_code_outside_enum,
    example_violates_schema,
    request_body_not_required,
    vacuous_status_codes,
    write_without_effects,
    missing_default_error_response,
    wrong_error_envelope,
    list_pagination_convention,
    inconsistent_shared_parameter,
    prose_only_rule,
    declared_prose_rule,
    capability_truncated,
    capability_operations,
    capability_query_parameters,
)
RULE_NAMES: frozenset[str] = frozenset(rule.__name__ for rule in RULES)

# A specific rule's finding at a pointer replaces the generic one's there (one defect, one line).
SUPERSEDES: dict[str, str] = {
    "example_error_code_outside_enum": "example_violates_schema",
    "enum_value_outside": "example_violates_schema",
}

# Which errata rule (contracts/errata.yaml) declares a defect this lint rule finds.
ERRATUM_RULE: dict[str, str] = {
    "nullable_enum_omits_null": "nullable-enum-omits-null",
    "example_violates_schema": "invalid-example",
    "example_error_code_outside_enum": "invalid-example",
    "enum_value_outside": "invalid-example",
    "prose_only_rule": "prose-rule",
}
