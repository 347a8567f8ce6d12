"""The fault catalogue: documented misbehaviours the sandbox can be told to show.

Each fault exists so that the project's own checks can be proven to catch it: start the
sandbox with ``--fault NAME`` and the check named in ``trips`` must report a finding,
while the correct sandbox (no faults) must not. The registry is data; the places that
honour a fault ask ``faults.on(NAME)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kombo_conformance.errors import UsageError


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    trips: str  # the check (or kind of check) meant to catch it


CATALOGUE: dict[str, Fault] = {
    f.name: f
    for f in (
        Fault(
            "wrong-error-envelope",
            "errors lose `title` and `log_url`; LMS errors use ATS-only codes",
            "error envelope matches the operation's documented default response",
        ),
        Fault(
            "error-code-outside-enum",
            "error responses carry a code outside the envelope's enum (PLATFORM.OOPS)",
            "error code is one of the documented codes",
        ),
        Fault(
            "missing-next",
            "the last page of a list omits `data.next` entirely",
            "response schema conformance (data.next required)",
        ),
        Fault(
            "cursor-loop",
            "the last page's `next` points back at the first page",
            "pagination terminates",
        ),
        Fault(
            "duplicate-across-pages",
            "each page repeats the previous page's last record",
            "no record appears on two pages",
        ),
        Fault(
            "ignore-page-size",
            "`page_size` is ignored (pages of 100 records)",
            "page size is honoured",
        ),
        Fault("ignore-ids-filter", "the `ids` filter is ignored", "filters are honoured"),
        Fault(
            "ignore-updated-after", "the `updated_after` filter is ignored", "filters are honoured"
        ),
        Fault(
            "deleted-leak",
            "deleted records are returned without include_deleted=true",
            "deleted records hidden by default",
        ),
        Fault(
            "accept-invalid-body",
            "request bodies are not validated (7 attachments, missing fields accepted)",
            "invalid input is rejected with 400 PLATFORM.INPUT_INVALID",
        ),
        Fault(
            "reject-valid-edge",
            "valid edge cases are refused: exactly 5 attachments or non-ASCII file names",
            "valid input is accepted",
        ),
        Fault(
            "server-error-on-invalid",
            "invalid input answers 500 instead of 400",
            "no 5xx; invalid input is a 400",
        ),
        Fault(
            "auth-not-enforced",
            "missing or wrong API keys are accepted",
            "authentication is enforced",
        ),
        Fault(
            "integration-header-not-enforced",
            "a missing or unknown X-Integration-Id falls back to a default integration",
            "integration header is enforced",
        ),
        Fault(
            "serve-unsupported",
            "operations the connector does not support are served anyway",
            "connector availability (MODEL/ACTION_NOT_AVAILABLE)",
        ),
        Fault(
            "refuse-supported",
            "supported operations answer INTEGRATION.*_NOT_AVAILABLE",
            "connector availability (supported operations work)",
        ),
        Fault(
            "lost-write",
            "created candidates and applications never appear in lists",
            "read-after-write",
        ),
        Fault(
            "stage-move-ignored",
            "a stage move answers success but changes nothing",
            "read-after-write (current_stage_id)",
        ),
        Fault(
            "tag-not-removed",
            "removing a tag answers success but the tag stays",
            "read-after-write (tags)",
        ),
        Fault(
            "order-status-unlocked",
            "an assessment order's status can change after it left OPEN",
            "documented rule: status changes only while OPEN",
        ),
        Fault(
            "response-schema-violation",
            "list records drop a required field and mistype another",
            "response schema conformance",
        ),
        Fault(
            "missing-warnings",
            "action responses omit `warnings`",
            "response schema conformance (action envelope)",
        ),
        Fault("slow", "every response is delayed by SLOW_SECONDS (30 s)", "timeouts"),
        Fault(
            "garbage",
            "every response is a 200 with a non-JSON body",
            "responses are JSON / schema conformance",
        ),
    )
}

SLOW_SECONDS = 30.0


@dataclass(frozen=True)
class Demonstration:
    """Where a fault shows and which conformance checks must report it there."""

    checks: tuple[str, ...]
    connector: str
    operation: str


ORDER_RESULT = "PUT /assessment/orders/{assessment_order_id}/result"
CANDIDATE_ATTACHMENT = "POST /ats/candidates/{candidate_id}/attachments"

#: For every fault whose symptom is a finding (not a transport failure): the checks that
#: catch it and the smallest run that shows it. The project's end-to-end tests run
#: ``kombo-conformance run --fault NAME --connector C --operation O --check ...`` from this.
CAUGHT_BY: dict[str, Demonstration] = {
    "wrong-error-envelope": Demonstration(("error_envelope",), "sandbox", "GET /ats/tags"),
    "error-code-outside-enum": Demonstration(("error_envelope",), "sandbox", "GET /ats/tags"),
    "missing-next": Demonstration(("success_envelope",), "sandbox", "GET /ats/tags"),
    "cursor-loop": Demonstration(("pagination",), "sandbox", "GET /ats/jobs"),
    "duplicate-across-pages": Demonstration(("pagination",), "sandbox", "GET /ats/jobs"),
    "ignore-page-size": Demonstration(("page_size",), "sandbox", "GET /ats/application-stages"),
    "ignore-ids-filter": Demonstration(("filters",), "sandbox", "GET /ats/application-stages"),
    "ignore-updated-after": Demonstration(("filters",), "sandbox", "GET /ats/application-stages"),
    "deleted-leak": Demonstration(("include_deleted",), "sandbox", "GET /ats/jobs"),
    "accept-invalid-body": Demonstration(("negative_bodies",), "sandbox", ORDER_RESULT),
    "reject-valid-edge": Demonstration(("edge_bodies",), "sandbox", ORDER_RESULT),
    "server-error-on-invalid": Demonstration(
        ("status_code", "negative_bodies"), "homerun", CANDIDATE_ATTACHMENT
    ),
    "auth-not-enforced": Demonstration(("auth",), "sandbox", "GET /ats/tags"),
    "integration-header-not-enforced": Demonstration(("auth",), "sandbox", "GET /ats/tags"),
    "serve-unsupported": Demonstration(("availability",), "homerun", "GET /ats/offers"),
    "refuse-supported": Demonstration(("availability",), "homerun", "GET /ats/jobs"),
    "lost-write": Demonstration(
        ("read_after_write",), "homerun", "POST /ats/jobs/{job_id}/applications"
    ),
    "stage-move-ignored": Demonstration(
        ("read_after_write",), "homerun", "PUT /ats/applications/{application_id}/stage"
    ),
    "tag-not-removed": Demonstration(
        ("read_after_write",), "sandbox", "DELETE /ats/candidates/{candidate_id}/tags"
    ),
    "order-status-unlocked": Demonstration(("order_status_lock",), "sandbox", ORDER_RESULT),
    "response-schema-violation": Demonstration(("response_schema",), "sandbox", "GET /ats/jobs"),
    "missing-warnings": Demonstration(("success_envelope",), "homerun", CANDIDATE_ATTACHMENT),
}
#: Faults whose symptom is the transport itself: the run stops with exit 2 and says why.
TRANSPORT_FAULTS = frozenset({"slow", "garbage"})


class Faults:
    """The set of faults switched on for one sandbox."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        names = tuple(names)
        unknown = [n for n in names if n not in CATALOGUE]
        if unknown:
            raise UsageError(
                f"unknown fault {', '.join(map(repr, unknown))}; known faults: "
                f"{', '.join(sorted(CATALOGUE))}"
            )
        self.names = frozenset(names)

    def on(self, name: str) -> bool:
        assert name in CATALOGUE, name
        return name in self.names

    def __bool__(self) -> bool:
        return bool(self.names)

    def __repr__(self) -> str:
        return f"Faults({sorted(self.names)})"
