"""Bodies of ``PUT /assessment/orders/{assessment_order_id}/result`` (seed 001).

Schema: ``required: [status, result_url]``; ``status`` enum COMPLETED/CANCELLED/OPEN;
``result_url`` uri; ``completed_at`` Kombo date; ``score``/``max_score`` doubles;
``attributes`` (see ``strategies.attributes``); ``attachments`` (``strategies.attachments``);
``remote_fields`` per connector.

Prose rule on top of the schema: "Please make sure [``completed_at``] is provided when the
``status`` is of the type ``COMPLETED`` or ``CANCELLED``", plus the attachment rules.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from strategies.attachments import (
    BAD_CONTENT_TYPES,
    attachment,
    attachment_rule_violations,
    attachments,
    data_urls,
    inline_attachment,
)
from strategies.attributes import attributes, numbers, sub_result_attribute, text_attribute
from strategies.dates import ambiguous_dates, invalid_dates, pattern_dates
from strategies.remote_fields import remote_fields
from strategies.tagged import Rule, Tagged, without

ORDER_STATUSES = ("COMPLETED", "CANCELLED", "OPEN")
#: Statuses that require ``completed_at`` (prose).
FINAL_STATUSES = ("COMPLETED", "CANCELLED")

#: ``remote_fields`` of the order result body, as declared in seed 001 (descriptions dropped).
ORDER_RESULT_REMOTE_FIELDS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "smartrecruiters": {"type": "object", "properties": {"scoreLabel": {"type": "string"}}},
        "recruitee": {"type": "object", "properties": {"subtitle": {"type": "string"}}},
        "workday": {
            "type": "object",
            "properties": {
                "Assess_Candidate_Data": {
                    "type": "object",
                    "properties": {
                        "Candidate_Assessment_Data": {
                            "type": "object",
                            "properties": {
                                "Assess_Candidate_Test_Result_Data": {
                                    "type": "object",
                                    "properties": {
                                        "Assessment_Test_Status_Reference": {
                                            "type": "object",
                                            "properties": {
                                                "Assessment_Status_ID": {"type": "string"}
                                            },
                                            "required": ["Assessment_Status_ID"],
                                        }
                                    },
                                }
                            },
                        }
                    },
                }
            },
        },
    },
}

OrderResult = dict[str, Any]


@st.composite
def order_results(
    draw: st.DrawFn, remote_fields_schema: dict[str, Any] | None = None
) -> OrderResult:
    """Valid order result bodies: schema-valid and honouring every prose rule.

    ``completed_at`` is always present for COMPLETED/CANCELLED and sometimes for OPEN.
    """
    status = draw(st.sampled_from(ORDER_STATUSES))
    body: OrderResult = {"status": status, "result_url": draw(data_urls())}
    if status in FINAL_STATUSES or draw(st.booleans()):
        body["completed_at"] = draw(pattern_dates())
    optional = {
        "score": numbers,
        "max_score": numbers,
        "attributes": attributes(),
        "attachments": attachments(),
        "remote_fields": remote_fields(remote_fields_schema or ORDER_RESULT_REMOTE_FIELDS),
    }
    for key, values in optional.items():
        if draw(st.booleans()):
            body[key] = draw(values)
    return body


def order_result_rule_violations(body: OrderResult) -> list[str]:
    """Prose rules ``body`` breaks; the schema has no say over these."""
    found = []
    if body.get("status") in FINAL_STATUSES and "completed_at" not in body:
        found.append("final-status-without-completed-at")
    for index, item in enumerate(body.get("attachments", [])):
        if isinstance(item, dict):
            found += [f"attachments[{index}]: {v}" for v in attachment_rule_violations(item)]
    return found


def _set(
    key: str, values: st.SearchStrategy[Any], reason: str, rule: Rule = "schema"
) -> st.SearchStrategy[Tagged[OrderResult]]:
    """A valid body with ``key`` set to a drawn (bad) value."""
    return st.builds(
        lambda body, v: Tagged({**body, key: v}, reason, rule), order_results(), values
    )


def _drop(key: str, reason: str, rule: Rule = "schema") -> st.SearchStrategy[Tagged[OrderResult]]:
    """A valid body without ``key``."""
    bodies = order_results()
    if key == "completed_at":
        bodies = bodies.filter(lambda b: b["status"] in FINAL_STATUSES)
    return bodies.map(lambda b: Tagged(without(b, key), reason, rule))


def invalid_order_result_cases() -> dict[str, st.SearchStrategy[Tagged[OrderResult]]]:
    """``reason -> strategy`` of invalid bodies, one entry per way of breaking the contract."""
    pattern_only = ambiguous_dates().filter(
        lambda c: c.expected.pattern_ok and not c.expected.format_ok
    )
    scoreless_among_valid = st.builds(
        lambda items, bad, at: [*items[:at], bad, *items[at:]],
        st.lists(st.one_of(text_attribute(), sub_result_attribute()), max_size=3),
        sub_result_attribute().map(lambda a: without(a, "score")),
        st.integers(0, 3),
    )
    bad_content_type = st.builds(
        lambda a, ct: [{**a, "content_type": ct}],
        inline_attachment(),
        st.sampled_from(BAD_CONTENT_TYPES),
    )
    cases = [
        _drop("completed_at", "final-status-without-completed-at", "prose"),
        _set("attachments", st.lists(attachment(), min_size=6, max_size=7), "six-attachments"),
        _set("attributes", scoreless_among_valid, "sub-result-without-score"),
        _set("completed_at", invalid_dates().map(lambda t: t.value), "bad-completed-at"),
        _set("completed_at", pattern_only.map(lambda c: c.value), "completed-at-fails-format"),
        _set("attachments", bad_content_type, "bad-content-type"),
        _set(
            "attachments",
            inline_attachment().map(lambda a: [without(a, "content_type")]),
            "data-without-content-type",
            "prose",
        ),
        _set("status", st.sampled_from(["DONE", "completed", ""]), "status-outside-enum"),
        _drop("result_url", "missing-result-url"),
    ]
    reasons = [
        "final-status-without-completed-at",
        "six-attachments",
        "sub-result-without-score",
        "bad-completed-at",
        "completed-at-fails-format",
        "bad-content-type",
        "data-without-content-type",
        "status-outside-enum",
        "missing-result-url",
    ]
    return dict(zip(reasons, cases, strict=True))


def invalid_order_results() -> st.SearchStrategy[Tagged[OrderResult]]:
    """Order result bodies that break the schema or a prose rule, tagged with why and which."""
    return st.sampled_from(list(invalid_order_result_cases().values())).flatmap(lambda s: s)
