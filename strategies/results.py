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
    inline_attachment,
)
from strategies.attributes import attributes, numbers, sub_result_attribute, text_attribute
from strategies.dates import ambiguous_dates, invalid_dates, pattern_dates
from strategies.remote_fields import remote_fields
from strategies.tagged import Rule, Tagged, without
from strategies.urls import data_urls

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
    draw: st.DrawFn,
    remote_fields_schema: dict[str, Any] | None = None,
    data_url: str | None = None,
) -> OrderResult:
    """Valid order result bodies: schema-valid and honouring every prose rule.

    ``completed_at`` is always present for COMPLETED/CANCELLED and sometimes for OPEN.
    ``result_url`` and attachment links are ``data_url`` when given, else on an unresolvable
    host (``strategies.urls``).
    """
    status = draw(st.sampled_from(ORDER_STATUSES))
    body: OrderResult = {"status": status, "result_url": draw(data_urls(data_url))}
    if status in FINAL_STATUSES or draw(st.booleans()):
        body["completed_at"] = draw(pattern_dates())
    optional = {
        "score": numbers,
        "max_score": numbers,
        "attributes": attributes(),
        "attachments": attachments(data_url=data_url),
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


_Case = tuple[str, st.SearchStrategy[Tagged[OrderResult]]]


def invalid_order_result_cases(
    data_url: str | None = None,
) -> dict[str, st.SearchStrategy[Tagged[OrderResult]]]:
    """``reason -> strategy`` of invalid bodies, one entry per way of breaking the contract."""
    valid = order_results(data_url=data_url)

    def with_value(
        key: str, values: st.SearchStrategy[Any], reason: str, rule: Rule = "schema"
    ) -> _Case:
        """A valid body with ``key`` set to a drawn (bad) value."""
        return reason, st.builds(
            lambda body, v: Tagged({**body, key: v}, reason, rule), valid, values
        )

    def lacking(key: str, reason: str, rule: Rule = "schema") -> _Case:
        """A valid body without ``key`` (a final status, when ``key`` is ``completed_at``)."""
        bodies = valid
        if key == "completed_at":
            bodies = valid.filter(lambda b: b["status"] in FINAL_STATUSES)
        return reason, bodies.map(lambda b: Tagged(without(b, key), reason, rule))

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
    six = st.lists(attachment(data_url), min_size=6, max_size=7)
    return dict(
        [
            lacking("completed_at", "final-status-without-completed-at", "prose"),
            with_value("attachments", six, "six-attachments"),
            with_value("attributes", scoreless_among_valid, "sub-result-without-score"),
            with_value("completed_at", invalid_dates().map(lambda t: t.value), "bad-completed-at"),
            with_value(
                "completed_at", pattern_only.map(lambda c: c.value), "completed-at-fails-format"
            ),
            with_value("attachments", bad_content_type, "bad-content-type"),
            with_value(
                "attachments",
                inline_attachment().map(lambda a: [without(a, "content_type")]),
                "data-without-content-type",
                "prose",
            ),
            with_value("status", st.sampled_from(["DONE", "completed", ""]), "status-outside-enum"),
            lacking("result_url", "missing-result-url"),
        ]
    )


def invalid_order_results(
    data_url: str | None = None,
) -> st.SearchStrategy[Tagged[OrderResult]]:
    """Order result bodies that break the schema or a prose rule, tagged with why and which."""
    cases = list(invalid_order_result_cases(data_url).values())
    return st.sampled_from(cases).flatmap(lambda s: s)
