"""Judging a declaration (``GET /integrations/{integration_id}``) against what was seen,
profile drift and learning the connector, on hand-built answers: the severity rules, the
fields that cannot be judged, the parser's one-line errors, what no declaration means."""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from kombo_conformance.certify.collect import labelled
from kombo_conformance.certify.matrix import ConnectorResult, Evidence
from kombo_conformance.checks.declared import MIN_SAMPLE, deletion_markers, judge
from kombo_conformance.contract import Contract
from kombo_conformance.contract.declaration import Declaration, DeclarationError, parse_declaration
from kombo_conformance.contract.pull import declared_profile
from kombo_conformance.drift import profile_drift
from kombo_conformance.errors import TargetError
from kombo_conformance.learn import learn_connection, learning_findings
from kombo_conformance.run import Connection
from kombo_conformance.transport import Target
from tests.certify.helpers import error, exchange

JOBS, USERS = "GET /ats/jobs", "GET /ats/users"
FILLED_JOB = {"id": "j1", "name": "Engineer", "closed_at": None, "remote_deleted_at": None}


def item(ident: str, label: str, available: bool, fields: dict[str, str]) -> dict[str, Any]:
    """A read model as Kombo answers it; a field status ending in ``-`` is not available."""
    return {
        "id": ident,
        "label": label,
        "is_available": available,
        "coverage_status": "SUPPORTED" if available else "UNSUPPORTED",
        "scope_config_setting": "ENABLED",
        "opted_out_by_customer": False,
        "fields": [
            {
                "id": name,
                "is_available": not status.endswith("-"),
                "coverage_status": status.rstrip("-"),
            }
            for name, status in fields.items()
        ],
    }


def answer(*models: dict[str, Any], tool: str = "homerun") -> dict[str, Any]:
    return {
        "status": "success",
        "data": {
            "id": f"{tool}:abc",
            "tool": {"id": tool, "label": tool.title(), "internal_label": None,
                     "logo_url": "https://x.test/l.svg", "icon_url": "https://x.test/i.svg"},
            "category": "ATS",
            "status": "ACTIVE",
            "read_models": list(models),
            "write_actions": [],
        },
    }  # fmt: skip


def declaration(contract: Contract, *models: dict[str, Any]) -> Declaration:
    return parse_declaration(answer(*models), contract)


def listing(records: list[dict[str, Any]]) -> Any:
    return exchange(JOBS, 200, {"status": "success", "data": {"next": None, "results": records}})


def judged(contract: Contract, declared: Declaration, exchanges: list) -> Any:
    evidence: dict[str, Evidence] = defaultdict(Evidence)
    for e in exchanges:
        evidence[e.operation].add(e)
    items, findings = judge(declared, contract, declared.items, exchanges, evidence)
    return SimpleNamespace(items=items, findings=findings)


def jobs(fields: dict[str, str], available: bool = True) -> dict[str, Any]:
    return item("ats_jobs", "Jobs", available, fields)


@pytest.mark.parametrize(
    ("records", "severity"), [(MIN_SAMPLE - 1, "warning"), (MIN_SAMPLE, "error")]
)
def test_supported_field_never_filled(contract: Contract, records: int, severity: str) -> None:
    """Null in every record seen: a warning below the minimum sample, an error from it on,
    naming connector, model, field and how many records were seen."""
    declared = declaration(contract, jobs({"name": "SUPPORTED", "closed_at": "SUPPORTED"}))
    rows = [dict(FILLED_JOB, id=f"j{i}") for i in range(records)]
    result = judged(contract, declared, [listing(rows)])
    [found] = result.findings
    assert (found.check, found.severity, found.connector, found.operation) == (
        "declared_coverage", severity, "homerun", JOBS,
    )  # fmt: skip
    assert "model jobs (ats_jobs), field closed_at" in found.message
    assert f"{records} records seen" in found.message
    assert found.rule == (
        "GET /integrations/homerun:abc: read_models/ats_jobs/fields/closed_at is SUPPORTED"
    )
    fields = {f.field: f.verdict for f in result.items[0].fields}
    closed = "contradicted" if severity == "error" else "unconfirmed"
    assert fields == {"name": "confirmed", "closed_at": closed}


def test_unsupported_field_filled_is_an_error(contract: Contract) -> None:
    declared = declaration(contract, jobs({"name": "NOT_IMPLEMENTED", "closed_at": "UNSUPPORTED"}))
    rows = [dict(FILLED_JOB, id=f"j{i}", name="" if i else "Engineer") for i in range(3)]
    [found] = judged(contract, declared, [listing(rows)]).findings
    assert found.severity == "error" and "field name" in found.message
    assert "declared NOT_IMPLEMENTED, but filled in 1 of the 3 records" in found.message


def test_declared_availability_against_the_answers(contract: Contract) -> None:
    """Declared available but *_NOT_AVAILABLE, and declared not available but served."""
    declared = declaration(
        contract, jobs({"name": "SUPPORTED"}), item("ats_users", "Users", False, {})
    )
    refused = exchange(JOBS, 400, error("INTEGRATION.MODEL_NOT_AVAILABLE"))
    served = exchange(USERS, 200, {"status": "success", "data": {"next": None, "results": []}})
    result = judged(contract, declared, [refused, served])
    messages = {f.operation: f.message for f in result.findings if f.fails}
    assert (
        "declared SUPPORTED, available, but GET /ats/jobs answered INTEGRATION.*_NOT_AVAIL"
        in (messages[JOBS])
    )
    assert "declared UNSUPPORTED, not available, but GET /ats/users was served" in messages[USERS]
    assert [i.verdict for i in result.items] == ["contradicted", "contradicted"]


def test_what_cannot_be_judged_is_not(contract: Contract) -> None:
    """A field the contract has no place for, the deletion marker, and fields never seen
    give no finding; an UNKNOWN field is no claim; an unavailable field that stays empty
    confirms the claim."""
    declared = declaration(contract, jobs({
        "remote_data": "SUPPORTED", "remote_deleted_at": "SUPPORTED", "name": "UNKNOWN",
        "closed_at": "SUPPORTED-",
    }))  # fmt: skip
    rows = [dict(FILLED_JOB, id=f"j{i}") for i in range(MIN_SAMPLE)]
    result = judged(contract, declared, [listing(rows)])
    assert result.findings == []
    # the contract says which field only deleted records carry (x-kombo-deleted-marker)
    deleted = deletion_markers(contract.operations[JOBS])["remote_deleted_at"]
    assert "include_deleted" in deleted and "deleted entries are not returned" in deleted
    verdicts = {f.field: (f.verdict, f.why) for f in result.items[0].fields}
    assert verdicts == {
        "remote_data": ("not judged", "the contract has no such field"),
        "remote_deleted_at": ("not judged", deleted),
        "name": ("no claim", ""),
        "closed_at": ("confirmed", ""),
    }  # fmt: skip


def test_the_declared_profile_drives_and_drift_is_reported(contract: Contract) -> None:
    """The profile a declaration makes lists its available models' operations and their
    delivered fields; against the hand profile each difference is one warning."""
    hand = contract.profiles["homerun"]
    hand_jobs = hand.models["jobs"]["fields"]
    declared = declaration(contract, jobs({
        **{name: "SUPPORTED" for name in hand_jobs if name != "closed_at"},
        "closed_at": "UNSUPPORTED", "job_code": "SUPPORTED",
    }), item("ats_candidates", "Candidates", False, {}))  # fmt: skip
    profile = declared_profile(declared, contract, hand)
    silent = {op for op in hand.operations if declared.silent_on(op)}  # the hand profile's say
    assert profile.operations == {JOBS} | silent and "GET /ats/candidates" not in silent
    assert "closed_at" not in profile.models["jobs"]["fields"]
    assert profile.quirks == hand.quirks
    drift = profile_drift(declared, hand)
    by_pointer = {f.pointer: f for f in drift}
    closed = by_pointer["models/jobs/fields/closed_at"]
    assert (closed.check, closed.severity, closed.connector, closed.operation) == (
        "profile_drift", "warning", "homerun", JOBS,
    )  # fmt: skip
    assert closed.details == {"hand": "listed", "declared": "UNSUPPORTED"}
    assert by_pointer["models/jobs/fields/job_code"].details["hand"] == "not listed"
    assert by_pointer["models/jobs/fields/remote_data"].details["declared"].startswith("nothing")
    listed = by_pointer["operations/GET /ats/candidates"]  # listed by hand, declared not
    assert listed.details == {"hand": "listed", "declared": "ats_candidates not available"}
    assert len(drift) == 4  # closed_at, job_code, remote_data, the operation: nothing else


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"status": "error"}, "not a success envelope"),
        ({"status": "success", "data": {"id": "x"}}, "/data/tool is missing or not a object"),
        (
            answer({**jobs({}), "coverage_status": "MAYBE"}),
            "/data/read_models/0/coverage_status 'MAYBE' is not one of SUPPORTED",
        ),
    ],
)
def test_parse_errors_name_the_place(contract: Contract, body: Any, where: str) -> None:
    with pytest.raises(DeclarationError, match=where):
        parse_declaration(body, contract)


def learned(contract: Contract, slug: str, integration: str, answer_with: Any) -> Connection:
    """``learn_connection`` against a stub transport answering ``answer_with(request)``."""

    def handler(request: httpx.Request) -> httpx.Response:
        status, body = answer_with(request)
        return httpx.Response(status, json=body)

    hand = contract.profiles.get(slug)
    planned = Connection(slug, integration, hand, hand_profile=hand)
    with Target("http://127.0.0.1:1/v1", "k", transport=httpx.MockTransport(handler)) as target:
        return learn_connection(contract, target, planned)


def test_learning_what_the_target_says(contract: Contract) -> None:
    """A declaration names the connector (another than the one named: a warning) and makes
    the profile; no declaration leaves the hand profile in charge, with a warning saying
    why; a bare id nobody can name is a usage error (exit 2)."""
    declared = learned(contract, "workday", "workday:abc", lambda r: (200, answer(jobs({}))))
    assert (declared.slug, declared.named, declared.hand_profile.slug) == (
        "homerun", "workday", "homerun",
    )  # fmt: skip
    assert declared.profile.supports(JOBS) and declared.declaration.source.endswith("homerun:abc")
    [named] = learning_findings(declared)
    assert named.severity == "warning" and "declares workday:abc a 'homerun' integration" in (
        named.message
    )
    missing = (404, error("PLATFORM.INTEGRATION_NOT_FOUND"))
    kept = learned(contract, "homerun", "homerun:abc", lambda r: missing)
    assert kept.declaration is None and kept.profile is contract.profiles["homerun"]
    [why] = learning_findings(kept)
    assert "answered 404 PLATFORM.INTEGRATION_NOT_FOUND; the hand profile drives" in why.message
    with pytest.raises(TargetError, match="cannot learn the connector of integration 'abc'"):
        learned(contract, "abc", "abc", lambda r: missing)


def test_models_are_placed_by_datapoint_id_only(contract: Contract) -> None:
    """The datapoint table (x-kombo-datapoints) places a model by its id: two models called
    "Users" go to their own category's operation, and an id the table lacks has no
    operation, whatever its label (nothing is judged there)."""
    declared = declaration(
        contract,
        item("lms_users", "Users", True, {}),
        item("ats_users", "Users", True, {}),
        item("ats_job_postings", "Jobs", True, {"name": "SUPPORTED"}),
    )
    assert [m.operations for m in declared.models] == [("GET /lms/users",), (USERS,), ()]
    rows = [dict(FILLED_JOB, id=f"j{i}") for i in range(MIN_SAMPLE)]
    result = judged(contract, declared, [listing(rows)])
    unplaced = result.items[2]
    assert (unplaced.verdict, unplaced.observed) == ("not judged", "no operation in the contract")
    assert unplaced.fields == [] and result.findings == []


def test_a_declaration_that_makes_no_profile_leaves_the_hand_profile(contract: Contract) -> None:
    """A tool id no profile may have (the slug pattern) makes no valid profile: the hand
    profile drives the run, with a warning saying why."""
    body = answer(jobs({}), tool="Home-Run")
    kept = learned(contract, "homerun", "homerun:abc", lambda r: (200, body))
    assert kept.declaration is None and kept.profile is contract.profiles["homerun"]
    [why] = learning_findings(kept)
    assert "makes no valid profile (/slug:" in why.message and why.severity == "warning"


def test_two_integrations_of_one_connector_are_two_rows(contract: Contract) -> None:
    """Certified through two integrations, a connector's rows are labelled with the ids."""
    hand = contract.profiles["homerun"]
    connections = [Connection("homerun", f"homerun:{i}", hand) for i in ("a", "b")]
    connections.append(Connection("workday", "workday:c", contract.profiles["workday"]))
    rows = [ConnectorResult(c.slug, c.slug.title(), []) for c in connections]
    assert [r.slug for r in labelled(rows, connections)] == [
        "homerun (homerun:a)", "homerun (homerun:b)", "workday",
    ]  # fmt: skip
