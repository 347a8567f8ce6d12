"""Probes against the real sandbox: the correct one gives no error finding, each fault is
reported by the check meant to catch it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kombo_conformance.checks import PROBES, RESPONSE_CHECKS
from kombo_conformance.exchange import Request

# one representative operation per probe (small collections keep the suite fast)
REPRESENTATIVE = {
    "auth": "GET /ats/tags",
    "pagination": "GET /ats/jobs",
    "page_size": "GET /ats/application-stages",
    "filters": "GET /ats/application-stages",
    "include_deleted": "GET /ats/jobs",
    "negative_bodies": "POST /ats/candidates/{candidate_id}/attachments",
    "edge_bodies": "POST /ats/candidates/{candidate_id}/attachments",
    "date_ambiguity": "GET /ats/application-stages",
    "read_after_write": "PUT /ats/applications/{application_id}/stage",
    "order_status_lock": "PUT /assessment/orders/{assessment_order_id}/result",
}


def judge(ctx, exchanges):
    """The response checks on each exchange, against the operation it exercised."""
    return [
        f
        for ex in exchanges
        for check in RESPONSE_CHECKS.values()
        for f in check(replace(ctx, operation=ctx.contract.operation(ex.operation)), ex)
    ]


def run(ctx, probe: str):
    """(the probe's result, the response checks' findings on its exchanges)."""
    result = PROBES[probe](ctx)
    assert result.exchanges, f"{probe} sent nothing"
    assert all(f.rule for f in result.findings), [f.message for f in result.findings]
    return result, judge(ctx, result.exchanges)


@pytest.mark.parametrize("connector", ["sandbox", "homerun"])
@pytest.mark.parametrize("probe", sorted(REPRESENTATIVE))
def test_correct_sandbox_gives_no_error(sandbox, live_context, connector, probe) -> None:
    operation = REPRESENTATIVE[probe]
    ctx = live_context(sandbox, connector, operation)
    if ctx.profile and not ctx.profile.supports(operation):
        operation = "POST /ats/candidates/{candidate_id}/attachments"  # homerun: no orders
        ctx = live_context(sandbox, connector, operation)
        if probe == "order_status_lock":
            result = PROBES[probe](ctx)  # no lock rule on this operation
            assert (result.exchanges, result.verdict) == ([], "not applicable")
            return
    result, checked = run(ctx, probe)
    assert [f.message for f in result.findings if f.severity in ("error", "warning")] == []
    assert [f.message for f in checked] == []
    assert result.verdict == "passed", result.note


def test_date_ambiguity_records_observations(sandbox, live_context) -> None:
    ctx = live_context(sandbox, "sandbox", "GET /ats/application-stages")
    findings = PROBES["date_ambiguity"](ctx).findings
    assert {f.pointer for f in findings} == {
        "updated_after:bare-date",
        "updated_after:no-zone",
        "updated_after:offset",
    }
    assert {f.severity for f in findings} == {"observation"}
    strict = live_context(sandbox, "sandbox", "GET /ats/application-stages", strict=True)
    accepted = [f for f in PROBES["date_ambiguity"](strict).findings if f.details["accepted"]]
    for f in accepted:
        expected = "observation" if f.details["pattern_ok"] and f.details["format_ok"] else "error"
        assert f.severity == expected


FAULTS = [
    # (fault, probe, operation, connector, check that must report)
    ("wrong-error-envelope", "auth", "GET /ats/tags", "sandbox", "auth"),
    ("auth-not-enforced", "auth", "GET /ats/tags", "sandbox", "auth"),
    ("integration-header-not-enforced", "auth", "GET /ats/tags", "sandbox", "auth"),
    ("cursor-loop", "pagination", "GET /ats/jobs", "sandbox", "pagination"),
    ("duplicate-across-pages", "pagination", "GET /ats/jobs", "sandbox", "pagination"),
    ("missing-next", "pagination", "GET /ats/jobs", "sandbox", "success_envelope"),
    ("response-schema-violation", "pagination", "GET /ats/jobs", "sandbox", "response_schema"),
    ("ignore-page-size", "page_size", "GET /ats/application-stages", "sandbox", "page_size"),
    ("ignore-ids-filter", "filters", "GET /ats/application-stages", "sandbox", "filters"),
    ("ignore-updated-after", "filters", "GET /ats/application-stages", "sandbox", "filters"),
    ("deleted-leak", "include_deleted", "GET /ats/jobs", "sandbox", "include_deleted"),
    (
        "accept-invalid-body",
        "negative_bodies",
        "PUT /assessment/orders/{assessment_order_id}/result",
        "sandbox",
        "negative_bodies",
    ),
    (
        "server-error-on-invalid",
        "negative_bodies",
        "POST /ats/candidates/{candidate_id}/attachments",
        "homerun",
        "status_code",
    ),
    (
        "reject-valid-edge",
        "edge_bodies",
        "PUT /assessment/orders/{assessment_order_id}/result",
        "sandbox",
        "edge_bodies",
    ),
    (
        "missing-warnings",
        "edge_bodies",
        "POST /ats/candidates/{candidate_id}/attachments",
        "homerun",
        "success_envelope",
    ),
    (
        "lost-write",
        "read_after_write",
        "POST /ats/jobs/{job_id}/applications",
        "homerun",
        "read_after_write",
    ),
    (
        "stage-move-ignored",
        "read_after_write",
        "PUT /ats/applications/{application_id}/stage",
        "homerun",
        "read_after_write",
    ),
    (
        "tag-not-removed",
        "read_after_write",
        "DELETE /ats/candidates/{candidate_id}/tags",
        "sandbox",
        "read_after_write",
    ),
    (
        "order-status-unlocked",
        "order_status_lock",
        "PUT /assessment/orders/{assessment_order_id}/result",
        "sandbox",
        "order_status_lock",
    ),
]


@pytest.mark.parametrize(("fault", "probe", "operation", "connector", "check"), FAULTS)
def test_fault_is_reported(faulty, live_context, fault, probe, operation, connector, check):
    ctx = live_context(faulty(fault), connector, operation)
    result, checked = run(ctx, probe)
    found = [*result.findings, *checked]
    reported = {f.check for f in found if f.severity == "error"}
    assert check in reported, [f.message for f in found]


@pytest.mark.parametrize(
    ("fault", "connector", "operation"),
    [
        ("serve-unsupported", "homerun", "GET /ats/offers"),
        ("refuse-supported", "homerun", "GET /ats/jobs"),
    ],
)
def test_availability_faults(faulty, live_context, fault, connector, operation) -> None:
    ctx = live_context(faulty(fault), connector, operation)
    exchange = ctx.send(Request("GET", ctx.operation.path, query={"page_size": "1"}))
    assert [f.check for f in RESPONSE_CHECKS["availability"](ctx, exchange)] == ["availability"]
