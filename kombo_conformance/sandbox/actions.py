"""State changes of write operations, and the reads of non-list operations.

The contract says what an action accepts and answers, not what it does to the data, so
the effects are a small table: :data:`EFFECTS` maps an operation to a function
``(ctx) -> (data, warnings)``. ``data`` is either a plain value or a
``(collection, entity)`` pair that is rendered against the response's ``data`` schema.
Operations not in the table answer data generated from their response schema.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kombo_conformance.contract import Operation
from kombo_conformance.sandbox.data import Generator, now_iso
from kombo_conformance.sandbox.envelopes import SandboxError
from kombo_conformance.sandbox.faults import Faults
from kombo_conformance.sandbox.personalities import Personality
from kombo_conformance.sandbox.store import Dataset
from kombo_conformance.sandbox.validation import invalid

Result = tuple[Any, list[str]]


@dataclass
class ActionContext:
    dataset: Dataset
    operation: Operation
    personality: Personality
    faults: Faults
    params: dict[str, str]
    body: Any
    targets: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def coll(self, stem: str) -> str:
        name = self.dataset.collection_for(self.operation.use_case, stem)
        if name is None:
            raise SandboxError(500, "PLATFORM.UNKNOWN_ERROR", f"no collection for {stem!r}")
        return name

    def target(self, stem: str) -> dict[str, Any]:
        return self.targets[stem][1]

    def extra(self, kind: str) -> list[dict[str, Any]]:
        return self.dataset.extra.setdefault(kind, [])


def _touch(*entities: dict[str, Any] | None) -> None:
    stamp = now_iso()
    for entity in entities:
        if entity is not None and "changed_at" in entity:
            entity["changed_at"] = stamp
            if "remote_updated_at" in entity:
                entity["remote_updated_at"] = stamp


def _ref(ctx: ActionContext, stem: str, ident: Any, what: str) -> dict[str, Any]:
    entity = ctx.dataset.get(ctx.coll(stem), ident) if isinstance(ident, str) else None
    if entity is None or entity.get("remote_deleted_at"):
        raise invalid(f"body: {what} {ident!r} does not exist")
    return entity


# -- candidates and applications -------------------------------------------------------
def _new_candidate(ctx: ActionContext, given: dict[str, Any]) -> dict[str, Any]:
    ds = ctx.dataset
    stamp = now_iso()
    emails = [{"type": "PERSONAL", "email_address": given["email_address"]}] + [
        {"type": e.get("type"), "email_address": e.get("email_address")}
        for e in given.get("additional_email_addresses", [])
    ]
    phones = (
        [{"type": "MOBILE", "phone_number": given["phone_number"]}]
        if given.get("phone_number")
        else []
    ) + [
        {"type": p.get("type"), "phone_number": p["phone_number"]}
        for p in given.get("additional_phone_numbers", [])
    ]
    location = given.get("location")
    entity = {
        "id": ds.new_id(),
        "remote_id": ds.new_id()[:10],
        "first_name": given["first_name"],
        "last_name": given["last_name"],
        "company": given.get("company"),
        "title": given.get("title"),
        "confidential": False,
        "source": None,
        "custom_fields": {},
        "remote_url": None,
        "remote_created_at": stamp,
        "remote_updated_at": stamp,
        "changed_at": stamp,
        "remote_deleted_at": None,
        "email_addresses": emails,
        "phone_numbers": phones,
        "social_media": [
            {"link": s["url"], "type": None, "username": None}
            for s in given.get("social_links", [])
        ],
        "location": (
            {k: location.get(k) for k in ("city", "country", "state", "street_1", "zip_code")}
            if location
            else None
        ),
        "_tag_ids": [],
    }
    ds.insert(ctx.coll("candidate"), entity)
    return entity


def _new_application(
    ctx: ActionContext, candidate: dict[str, Any], job: dict[str, Any], stage_id: Any
) -> dict[str, Any]:
    ds = ctx.dataset
    stages = job.get("_stage_ids") or []
    if stage_id is not None and stage_id not in stages:
        raise invalid(f"body: stage {stage_id!r} is not a stage of job {job['id']!r}")
    stamp = now_iso()
    entity = {
        "id": ds.new_id(),
        "remote_id": ds.new_id()[:10],
        "outcome": "PENDING",
        "rejection_reason_name": None,
        "rejected_at": None,
        "current_stage_id": stage_id or (stages[0] if stages else None),
        "job_id": job["id"],
        "candidate_id": candidate["id"],
        "custom_fields": {},
        "remote_url": None,
        "changed_at": stamp,
        "remote_deleted_at": None,
        "remote_created_at": stamp,
        "remote_updated_at": stamp,
    }
    ds.insert(ctx.coll("application"), entity)
    return entity


def _attach_files(
    ctx: ActionContext,
    files: list[dict[str, Any]],
    candidate: dict[str, Any],
    application: dict[str, Any] | None,
) -> None:
    for f in files:
        ctx.extra("attachments").append(_attachment(ctx, f, candidate, application))


def _attachment(
    ctx: ActionContext,
    given: dict[str, Any],
    candidate: dict[str, Any] | None,
    application: dict[str, Any] | None,
) -> dict[str, Any]:
    stamp = now_iso()
    ident = ctx.dataset.new_id()
    return {
        "id": ident,
        "remote_id": ident[:10],
        "candidate_id": candidate["id"] if candidate else None,
        "application_id": application["id"] if application else None,
        "type": given["type"],
        "file_name": given["name"],
        "content_type": given.get("content_type") or "application/octet-stream",
        # never fetched: a data_url is only recorded
        "data_url": f"https://files.sandbox.kombo.invalid/{ident}",
        "remote_created_at": stamp,
        "remote_updated_at": stamp,
    }


def create_candidate(ctx: ActionContext) -> Result:
    body = ctx.body
    job = _ref(ctx, "job", body["application"]["job_id"], "job")
    _check_stage(ctx, job, body["application"].get("stage_id"))
    candidate = _new_candidate(ctx, body["candidate"])
    application = _new_application(ctx, candidate, job, body["application"].get("stage_id"))
    _attach_files(ctx, body.get("attachments", []), candidate, application)
    if ctx.faults.on("lost-write"):
        _forget(ctx, candidate, application)
    return (ctx.coll("candidate"), candidate), []


def create_application(ctx: ActionContext) -> Result:
    body = ctx.body
    job = ctx.target("job")
    _check_stage(ctx, job, body.get("stage_id"))
    given = body["candidate"]
    candidate = next(
        (
            c
            for c in ctx.dataset.records(ctx.coll("candidate"))
            if not c.get("remote_deleted_at")
            and any(
                e.get("email_address") == given["email_address"]
                for e in c.get("email_addresses") or []
            )
        ),
        None,
    )
    warnings = []
    if candidate is None:
        candidate = _new_candidate(ctx, given)
    else:
        warnings.append("An existing candidate with this email address was used.")
    application = _new_application(ctx, candidate, job, body.get("stage_id"))
    _attach_files(ctx, body.get("attachments", []), candidate, application)
    if ctx.faults.on("lost-write"):
        _forget(ctx, candidate, application)
    return (ctx.coll("application"), application), warnings


def _check_stage(ctx: ActionContext, job: dict[str, Any], stage_id: Any) -> None:
    if stage_id is not None and stage_id not in (job.get("_stage_ids") or []):
        raise invalid(f"body: stage {stage_id!r} is not a stage of job {job['id']!r}")


def _forget(ctx: ActionContext, *entities: dict[str, Any]) -> None:
    for entity in entities:
        for name in ctx.dataset.collections:
            if name.startswith(ctx.operation.use_case):
                ctx.dataset.remove(name, entity["id"])
    ctx.dataset.touch()


def move_stage(ctx: ActionContext) -> Result:
    application = ctx.target("application")
    job = ctx.dataset.get(ctx.coll("job"), application.get("job_id") or "")
    stage_id = ctx.body["stage_id"]
    stages = (job or {}).get("_stage_ids") or []
    if stage_id not in stages:
        raise invalid(f"body: stage {stage_id!r} is not a stage of this application's job")
    stage = ctx.dataset.get(ctx.coll("stage"), stage_id) or {}
    for quirk in ctx.personality.quirks(ctx.operation.key, "refuse-stage"):
        if (stage.get("name") or "").casefold() == quirk.options["stage_name"].casefold():
            raise SandboxError(400, quirk.options["error_code"], quirk.description)
    if not ctx.faults.on("stage-move-ignored"):
        application["current_stage_id"] = stage_id
        _touch(
            application,
            ctx.dataset.get(ctx.coll("candidate"), application.get("candidate_id") or ""),
        )
        ctx.dataset.touch()
    return {}, []


def reject(ctx: ActionContext) -> Result:
    application = ctx.target("application")
    reason = _ref(ctx, "rejection_reason", ctx.body["rejection_reason_id"], "rejection reason")
    application.update(
        outcome="DECLINED", rejection_reason_name=reason.get("name"), rejected_at=now_iso()
    )
    _touch(application)
    if ctx.body.get("note"):
        ctx.extra("notes").append(
            {"application_id": application["id"], "content": ctx.body["note"]}
        )
    ctx.dataset.touch()
    return {}, []


def add_note(ctx: ActionContext) -> Result:
    ctx.extra("notes").append(
        {
            "application_id": ctx.target("application")["id"],
            "content": ctx.body["content"],
            "at": now_iso(),
        }
    )
    _touch(ctx.target("application"))
    return {}, []


def add_result_link(ctx: ActionContext) -> Result:
    owner = next(iter(ctx.targets.values()))[1]
    ctx.extra("result_links").append({"owner_id": owner["id"], **ctx.body})
    _touch(owner)
    return {}, []


def add_attachment(ctx: ActionContext) -> Result:
    given = ctx.body["attachment"]
    warnings: list[str] = []
    if "application" in ctx.targets:
        application = ctx.target("application")
        candidate = ctx.dataset.get(ctx.coll("candidate"), application.get("candidate_id") or "")
        for quirk in ctx.personality.quirks(ctx.operation.key, "fallback"):
            fallback = quirk.options["fallback_operation"]
            if "candidate" in fallback.split("/{")[0] or "{candidate_id}" in fallback:
                warnings.append(quirk.options["warning"])
                application = None
                break
    else:
        candidate, application = ctx.target("candidate"), None
    ctx.extra("attachments").append(_attachment(ctx, given, candidate, application))
    _touch(candidate)
    return {}, warnings


def list_attachments(ctx: ActionContext) -> Result:
    kind, owner = next(iter(ctx.targets.items()))
    key = f"{kind}_id"
    _seed_attachments(ctx)
    rows = [a for a in ctx.extra("attachments") if a.get(key) == owner[1]["id"]]
    return {"results": rows}, []


def _seed_attachments(ctx: ActionContext) -> None:
    """Every seeded application has a CV, filed on its candidate and application."""
    if ctx.dataset.extra.get("_attachments_seeded"):
        return
    ctx.dataset.extra["_attachments_seeded"] = [{}]
    rng = random.Random(f"{ctx.dataset.seed}:{ctx.dataset.integration}:attachments")
    gen = Generator(rng)
    rows = ctx.extra("attachments")
    for app in ctx.dataset.ordered(ctx.coll("application")):
        ident = gen.new_id()
        gen.new_person()
        rows.append(
            {
                "id": ident,
                "remote_id": ident[:10],
                "candidate_id": app.get("candidate_id"),
                "application_id": app["id"],
                "type": "CV",
                "file_name": gen.string("file_name"),
                "content_type": "application/pdf",
                "data_url": f"https://files.sandbox.kombo.invalid/{ident}",
                "remote_created_at": app.get("remote_created_at"),
                "remote_updated_at": app.get("remote_updated_at"),
            }
        )


def tags_add(ctx: ActionContext) -> Result:
    candidate = ctx.target("candidate")
    name = ctx.body["tag"]["name"]
    tags = ctx.coll("tag")
    tag = next((t for t in ctx.dataset.records(tags) if t.get("name") == name), None)
    if tag is None:
        stamp = now_iso()
        tag = {
            "id": ctx.dataset.new_id(),
            "remote_id": ctx.dataset.new_id()[:10],
            "name": name,
            "changed_at": stamp,
            "remote_deleted_at": None,
        }
        ctx.dataset.insert(tags, tag)
    ids = candidate.setdefault("_tag_ids", [])
    if tag["id"] not in ids:
        ids.append(tag["id"])
    _touch(candidate)
    ctx.dataset.touch()
    return {}, []


def tags_remove(ctx: ActionContext) -> Result:
    candidate = ctx.target("candidate")
    name = ctx.body["tag"]["name"]
    pool = ctx.dataset.pool(ctx.coll("tag"))
    ids = candidate.setdefault("_tag_ids", [])
    keep = [i for i in ids if (pool.get(i) or {}).get("name") != name]
    warnings = [] if len(keep) < len(ids) else [f"The candidate had no tag named {name!r}."]
    if not ctx.faults.on("tag-not-removed"):
        candidate["_tag_ids"] = keep
        _touch(candidate)
        ctx.dataset.touch()
    return {}, warnings


def interview_create(ctx: ActionContext) -> Result:
    application = ctx.target("application")
    entity = {
        "id": ctx.dataset.new_id(),
        "remote_id": ctx.dataset.new_id()[:10],
        "application_id": application["id"],
        "stage_id": application.get("current_stage_id"),
        "canceled": False,
        "video_conferencing_url": None,
        "remote_created_at": now_iso(),
        "remote_deleted_at": None,
    }
    _apply_interview(ctx, entity)
    ctx.dataset.insert(ctx.coll("interview"), entity)
    return {}, []


def interview_update(ctx: ActionContext) -> Result:
    application = ctx.target("application")
    entity = ctx.dataset.get(ctx.coll("interview"), ctx.body["interview_id"])
    if entity is None or entity.get("application_id") != application["id"]:
        raise invalid(
            f"body: interview {ctx.body['interview_id']!r} does not exist for this application"
        )
    _apply_interview(ctx, entity)
    ctx.dataset.touch()
    return {}, []


def _apply_interview(ctx: ActionContext, entity: dict[str, Any]) -> None:
    from kombo_conformance.sandbox.filters import parse_instant

    body = ctx.body
    for key in ("start_time", "end_time"):
        try:
            parse_instant(body[key])
        except ValueError:
            raise invalid(f"body/{key}: {body[key]!r} is not an ISO 8601 date-time") from None
    users = [body["organizer_user_id"], *body["interviewer_user_ids"]]
    for user in users:
        _ref(ctx, "user", user, "user")
    location = body["location"]
    entity.update(
        title=body["title"],
        starting_at=_normal(body["start_time"]),
        ending_at=_normal(body["end_time"]),
        _user_ids=list(dict.fromkeys(users)),
        location={"raw": location.get("address") or location["type"]},
    )
    _touch(entity)
    entity["changed_at"] = now_iso()


def _normal(text: str) -> str:
    from kombo_conformance.sandbox.data import isoformat
    from kombo_conformance.sandbox.filters import parse_instant

    return isoformat(parse_instant(text))


def import_tracked(ctx: ActionContext) -> Result:
    body = ctx.body
    imported = {k: v for k, v in body.items() if k != "tracked_at"}
    row = {
        "id": ctx.dataset.new_id(),
        "tracked_at": body.get("tracked_at") and _normal(body["tracked_at"]),
        "imported_id": imported,
    }
    ctx.extra("tracked_applications").append(row)
    return row, []


def packages_get(ctx: ActionContext) -> Result:
    coll = ctx.coll("package")
    return {
        "packages": [
            {k: v for k, v in p.items() if not k.startswith("_")} for p in ctx.dataset.ordered(coll)
        ]
    }, []


def packages_put(ctx: ActionContext) -> Result:
    coll = ctx.coll("package")
    ctx.dataset.clear(coll)
    for package in ctx.body["packages"]:
        ctx.dataset.insert(coll, {**package, "updated_at": now_iso()})
    return {}, []


def order_result(ctx: ActionContext) -> Result:
    order = ctx.target("assessment_order")
    status = ctx.body["status"]
    if (
        order["status"] != "OPEN"
        and status != order["status"]
        and not ctx.faults.on("order-status-unlocked")
    ):
        raise invalid(
            f"body/status: the order is {order['status']}; its status can only change while "
            "it is OPEN"
        )
    order["status"] = status
    order["_result"] = dict(ctx.body)
    order["_changed_at"] = now_iso()
    ctx.dataset.touch()
    return {}, []


EFFECTS: dict[str, Callable[[ActionContext], Result]] = {
    "GET /assessment/packages": packages_get,
    "PUT /assessment/packages": packages_put,
    "PUT /assessment/orders/{assessment_order_id}/result": order_result,
    "GET /ats/applications/{application_id}/attachments": list_attachments,
    "POST /ats/applications/{application_id}/attachments": add_attachment,
    "POST /ats/applications/{application_id}/interviews": interview_create,
    "PATCH /ats/applications/{application_id}/interviews": interview_update,
    "POST /ats/applications/{application_id}/notes": add_note,
    "POST /ats/applications/{application_id}/reject": reject,
    "POST /ats/applications/{application_id}/result-links": add_result_link,
    "PUT /ats/applications/{application_id}/stage": move_stage,
    "POST /ats/candidates": create_candidate,
    "GET /ats/candidates/{candidate_id}/attachments": list_attachments,
    "POST /ats/candidates/{candidate_id}/attachments": add_attachment,
    "POST /ats/candidates/{candidate_id}/result-links": add_result_link,
    "POST /ats/candidates/{candidate_id}/tags": tags_add,
    "DELETE /ats/candidates/{candidate_id}/tags": tags_remove,
    "POST /ats/import-tracked-application": import_tracked,
    "POST /ats/jobs/{job_id}/applications": create_application,
}


def default_effect(ctx: ActionContext) -> Result:
    """Operations without an effect (e.g. GET /ats/actions/...): data from the schema."""
    schema = (ctx.operation.conventions.success_schema or {}).get("properties", {}).get("data")
    gen = Generator(random.Random(f"{ctx.dataset.seed}:{ctx.operation.key}"))
    return gen.value(schema or {"type": "object"}, "data"), []
