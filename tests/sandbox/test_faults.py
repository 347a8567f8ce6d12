"""Every fault in the catalogue is demonstrably different from the correct sandbox."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest

from kombo_conformance.sandbox.faults import Fault, catalogue
from kombo_conformance.sandbox.server import running_sandbox
from tests.sandbox.conftest import API_KEY, make_client

pytestmark = pytest.mark.e2e
PDF = base64.b64encode(b"pdf").decode()


def files(n, name="cv.pdf"):
    return [{"name": name, "type": "CV", "content_type": "application/pdf", "data": PDF}] * n


def first(c, path, **params):
    return c.get(path, params={"page_size": 1, **params}).json()["data"]["results"][0]


def new_candidate(c, **extra):
    job = first(c, "/ats/jobs")
    return c.post(
        "/ats/candidates",
        json={
            "candidate": {"first_name": "F", "last_name": "G", "email_address": "f@example.com"},
            "application": {"job_id": job["id"]},
            **extra,
        },
    )


def page_ids(c, path, **params):
    pages, cursor = [], None
    for _ in range(6):
        data = c.get(path, params={**params, **({"cursor": cursor} if cursor else {})}).json()
        pages.append([r.get("id") for r in data["data"]["results"]])
        cursor = data["data"].get("next")
        if not cursor:
            break
    return pages, cursor


def no_duplicates(pages):
    ids = [i for page in pages for i in page]
    return len(ids) == len(set(ids))


def moved(c):
    app = first(c, "/ats/applications")
    job = c.get("/ats/jobs", params={"ids": app["job_id"], "include_deleted": "true"}).json()
    target = next(
        s["id"] for s in job["data"]["results"][0]["stages"] if s["id"] != app["current_stage_id"]
    )
    c.put(f"/ats/applications/{app['id']}/stage", json={"stage_id": target})
    return first(c, "/ats/applications", ids=app["id"])["current_stage_id"] == target


def tag_removed(c):
    cand = first(c, "/ats/candidates")
    path = f"/ats/candidates/{cand['id']}/tags"
    c.post(path, json={"tag": {"name": "zz"}})
    c.request("DELETE", path, json={"tag": {"name": "zz"}})
    return "zz" not in {t["name"] for t in first(c, "/ats/candidates", ids=cand["id"])["tags"]}


def order_relock(c):
    order = first(c, "/assessment/orders", statuses="COMPLETED")
    return c.put(
        f"/assessment/orders/{order['id']}/result",
        json={"status": "OPEN", "result_url": "https://r.example/1"},
    ).status_code


def created_visible(c):
    cid = new_candidate(c).json()["data"]["id"]
    return bool(c.get("/ats/candidates", params={"ids": cid}).json()["data"]["results"])


def lms_error(c):
    return c.get("/lms/users", params={"page_size": 0}).json()["error"]


def timed_out(c, b) -> bool:
    """Whether a request (seeding only the few tags) outlasts a 1 s timeout; the test
    shortens the slow fault's delay to 3 s."""
    try:
        c.get("/ats/tags", timeout=1)
    except httpx.ReadTimeout:
        return True
    return False


def unsupported(c, base):
    with make_client(base, "homerun:f") as h:
        return h.get("/ats/users").status_code


def supported(c, base):
    with make_client(base, "homerun:f") as h:
        return h.get("/ats/jobs").status_code


def declared(c, datapoint, field=None):
    """Homerun's declared coverage_status of a datapoint (or of one of its fields)."""
    data = c.get("/integrations/homerun:f").json()["data"]
    item = next(i for i in data["read_models"] + data["write_actions"] if i["id"] == datapoint)
    if field is None:
        return item["coverage_status"], item["is_available"]
    return next(f["coverage_status"] for f in item["fields"] if f["id"] == field)


# fault -> observation; the observation must differ between the correct and faulty sandbox
OBSERVE: dict[str, Callable] = {
    "wrong-error-envelope": lambda c, b: lms_error(c),
    "error-code-outside-enum": lambda c, b: lms_error(c)["code"],
    "missing-next": lambda c, b: "next" in c.get("/ats/tags").json()["data"],
    "cursor-loop": lambda c, b: page_ids(c, "/ats/jobs", page_size=100)[1] is None,
    "duplicate-across-pages": lambda c, b: no_duplicates(page_ids(c, "/ats/jobs")[0]),
    "ignore-page-size": lambda c, b: len(
        c.get("/ats/jobs", params={"page_size": 3}).json()["data"]["results"]
    ),
    "ignore-ids-filter": lambda c, b: len(
        c.get("/ats/jobs", params={"ids": first(c, "/ats/jobs")["id"]}).json()["data"]["results"]
    ),
    "ignore-updated-after": lambda c, b: len(
        c.get("/ats/jobs", params={"updated_after": "2030-01-01T00:00:00Z"}).json()["data"][
            "results"
        ]
    ),
    "deleted-leak": lambda c, b: any(
        r["remote_deleted_at"]
        for p in [c.get("/ats/jobs", params={"page_size": 250}).json()["data"]["results"]]
        for r in p
    ),
    "accept-invalid-body": lambda c, b: (
        new_candidate(c, attachments=[{"name": "cv.pdf", "type": "CV"}]).status_code  # no data
    ),
    "reject-valid-edge": lambda c, b: (
        new_candidate(c, attachments=files(5, "Jürgen.pdf")).status_code
    ),
    "server-error-on-invalid": lambda c, b: c.get("/ats/jobs", params={"page_size": 0}).status_code,
    "auth-not-enforced": lambda c, b: (
        httpx.get(f"{b}/ats/jobs", headers={"X-Integration-Id": "sandbox:f"}).status_code
    ),
    "integration-header-not-enforced": lambda c, b: (
        httpx.get(f"{b}/ats/jobs", headers={"Authorization": f"Bearer {API_KEY}"}).status_code
    ),
    "serve-unsupported": unsupported,
    "refuse-supported": supported,
    "lost-write": lambda c, b: created_visible(c),
    "stage-move-ignored": lambda c, b: moved(c),
    "tag-not-removed": lambda c, b: tag_removed(c),
    "order-status-unlocked": lambda c, b: order_relock(c),
    "response-schema-violation": lambda c, b: sorted(first(c, "/ats/tags")),
    "missing-warnings": lambda c, b: (
        "warnings"
        in c.post(
            f"/ats/candidates/{first(c, '/ats/candidates')['id']}/tags", json={"tag": {"name": "w"}}
        ).json()
    ),
    "garbage": lambda c, b: c.get("/ats/tags").headers["content-type"],
    "declared-field-never-filled": lambda c, b: declared(c, "ats_jobs", "job_code"),
    "undeclared-field-filled": lambda c, b: declared(c, "ats_jobs", "name"),
    "declared-action-unavailable": lambda c, b: declared(c, "ats_add_candidate_tag"),
    "slow": timed_out,
}


@pytest.fixture(scope="module")
def observed_correct(profiled_contract):
    with (
        running_sandbox(profiled_contract, api_key=API_KEY, seed=1) as base,
        make_client(base, "sandbox:f") as c,
    ):
        return {name: observe(c, base) for name, observe in OBSERVE.items()}


def _quick(fault: Fault) -> Fault:
    """fault with its delays cut to 3 s."""
    changes = tuple(
        replace(c, options={**c.options, "seconds": 3.0}) if c.kind == "delay" else c
        for c in fault.changes
    )
    return replace(fault, changes=changes)


@pytest.mark.parametrize("fault", sorted(catalogue()))
def test_fault_differs_from_correct(fault, profiled_contract, observed_correct, monkeypatch):
    """Every fault of the catalogue changes what the server answers to the same requests."""
    assert fault in OBSERVE, f"fault {fault!r} has no observation in OBSERVE"
    monkeypatch.setitem(catalogue(), fault, _quick(catalogue()[fault]))
    with (
        running_sandbox(profiled_contract, api_key=API_KEY, seed=1, faults=[fault]) as base,
        make_client(base, "sandbox:f") as c,
    ):
        assert OBSERVE[fault](c, base) != observed_correct[fault]
