"""Lint of the seed documents (tests/fixtures/seeds, extracted from ../shared/seeds) and of
the project's contracts, which copy them faithfully."""

from __future__ import annotations

from pathlib import Path

import pytest

from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.findings import Finding
from kombo_conformance.spec.lint import lint
from kombo_conformance.spec.rules import RULE_NAMES
from kombo_conformance.spec.suppressions import load_suppressions

SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"
CONTRACTS = Path(__file__).parents[2] / "contracts"
RESULT = "/components/schemas/PutAssessmentOrdersAssessmentOrderIdResultRequestBody/properties"


def seed_findings(number: str) -> list[Finding]:
    return lint(load_contract([SEEDS / f"{number}.openapi.yaml"])).findings


@pytest.fixture(scope="module")
def assessment_seed() -> dict[tuple[str, str], Finding]:
    return {(f.check, f.pointer): f for f in seed_findings("001")}


def test_completed_at_pattern_admits_bare_dates_and_month_13(assessment_seed):
    finding = assessment_seed[("pattern_format_disagreement", f"{RESULT}/completed_at")]
    assert finding.severity == "error"
    assert {"2024-01-01", "2024-13-01T00:00:00Z"} <= set(finding.details["pattern_only"])
    assert "2024-01-01T00:00:00+02:00" in finding.details["format_only"]


@pytest.mark.parametrize(
    ("prop", "kind"),
    [
        ("attachments/items/properties/data", "one of several fields"),
        ("attachments/items/properties/data_url", "one of several fields"),
        ("completed_at", "conditionally required"),
        ("status", "state transition"),
    ],
)
def test_prose_only_rules_are_advisories(assessment_seed, prop, kind):
    finding = assessment_seed[("prose_only_rule", f"{RESULT}/{prop}")]
    assert (finding.severity, finding.details["kind"]) == ("advisory", kind)


def test_score_minimum_is_no_bound(assessment_seed):
    assert ("vacuous_numeric_bound", f"{RESULT}/score/minimum") in assessment_seed


def test_lms_seed_reports_errata_as_warnings_naming_them():
    findings = seed_findings("002")
    errata = {(f.check, f.details.get("erratum"), f.severity) for f in findings}
    assert (
        "example_error_code_outside_enum",
        "general-error-example-uses-integration-code",
        "warning",
    ) in errata
    assert ("nullable_enum_omits_null", "nullable-enum-omits-null", "warning") in errata


@pytest.fixture(scope="module")
def project(contract: Contract) -> list[Finding]:
    suppressions = load_suppressions(CONTRACTS / "lint.yaml", RULE_NAMES)
    return lint(contract, suppressions=suppressions).findings


def test_project_contracts_are_triaged(project):
    suppressed = [f for f in project if "suppressed" in f.details]
    assert suppressed and all(f.severity == "observation" for f in suppressed)
    assert {f.details["suppressed"]["was"] for f in suppressed} >= {"error", "warning"}
    assert not [f for f in project if f.severity == "error"]
    assert not [f for f in project if f.check == "unused_suppression"]


def test_project_contracts_still_show_completed_at_and_errata(project):
    completed_at = [
        f for f in project
        if f.check == "pattern_format_disagreement" and f.pointer.endswith("/completed_at")
    ]  # fmt: skip
    # the order result's (seed 001) and the LMS completion's: same seed pattern, suppressed
    assert {f.pointer.split("/")[3] for f in completed_at} == {
        "PutAssessmentOrdersAssessmentOrderIdResultRequestBody",
        "PostLmsCourseProgressionsCourseProgressionIdCompleteRequestBody",
    }
    assert all("suppressed" in f.details for f in completed_at)
    assert {f.details.get("erratum") for f in project if f.severity == "warning"} >= {
        "nullable-enum-omits-null",
        "general-error-example-uses-integration-code",
    }
    prose = {f.pointer.rsplit("/", 1)[-1] for f in project if f.check == "prose_only_rule"}
    assert {"data", "data_url", "completed_at", "status"} <= prose
