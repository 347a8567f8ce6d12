"""``attributes`` of an assessment order result: an array of ``anyOf [TEXT | SUB_RESULT]``.

Schema (seed 001, ``PutAssessmentOrdersAssessmentOrderIdResultRequestBody.attributes``)::

    items:
      anyOf:
        - {type: const TEXT, label: string, value: string}          # all required
        - {type: const SUB_RESULT, id: string, label: string,       # all required
           score: {value: number, max: number >= 1},
           status: enum [COMPLETED, CANCELLED]}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from strategies.tagged import Tagged, without

SUB_RESULT_STATUSES = ("COMPLETED", "CANCELLED")
#: ``minimum: -1.7976931348623157e+308`` admits every finite double.
DOUBLE_MINIMUM = -1.7976931348623157e308

Attribute = dict[str, Any]

labels = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=40
)
#: ``type: number, format: double``: finite doubles and plain integers.
numbers = st.one_of(
    st.integers(-1000, 1000), st.floats(allow_nan=False, allow_infinity=False, width=64)
)
#: ``score.max``: ``minimum: 1``.
maxima = st.one_of(
    st.integers(1, 1000), st.floats(min_value=1, allow_nan=False, allow_infinity=False)
)


def text_attribute() -> st.SearchStrategy[Attribute]:
    """``{"type": "TEXT", "label": ..., "value": ...}``."""
    return st.fixed_dictionaries({"type": st.just("TEXT"), "label": labels, "value": st.text()})


def scores() -> st.SearchStrategy[dict[str, Any]]:
    """``score``: ``{"value": number, "max": number >= 1}``."""
    return st.fixed_dictionaries({"value": numbers, "max": maxima})


def sub_result_attribute() -> st.SearchStrategy[Attribute]:
    """``{"type": "SUB_RESULT", "id", "label", "score": {value, max >= 1}, "status"}``."""
    return st.fixed_dictionaries(
        {
            "type": st.just("SUB_RESULT"),
            "id": st.text(min_size=1, max_size=30),
            "label": labels,
            "score": scores(),
            "status": st.sampled_from(SUB_RESULT_STATUSES),
        }
    )


def attribute() -> st.SearchStrategy[Attribute]:
    """One item of ``attributes``: either branch of the ``anyOf``."""
    return st.one_of(text_attribute(), sub_result_attribute())


def attributes(min_size: int = 0, max_size: int = 8) -> st.SearchStrategy[list[Attribute]]:
    """Mixed lists of TEXT and SUB_RESULT attributes."""
    return st.lists(attribute(), min_size=min_size, max_size=max_size)


def _without(key: str) -> Callable[[Attribute], Attribute]:
    return lambda item: without(item, key)


def _with(
    key: str, values: st.SearchStrategy[Any]
) -> Callable[[Attribute], st.SearchStrategy[Attribute]]:
    return lambda item: values.map(lambda value: {**item, key: value})


def invalid_attribute() -> st.SearchStrategy[Tagged[Attribute]]:
    """Items that match neither ``anyOf`` branch, tagged with why (all ``rule="schema"``)."""
    unknown_types = st.sampled_from(["NUMBER", "text", "SUBRESULT", "", "sub_result"])
    bad_statuses = st.sampled_from(["OPEN", "completed", "FAILED", ""])
    below_one = st.one_of(
        st.integers(-1000, 0),
        st.floats(max_value=1, exclude_max=True, allow_nan=False, allow_infinity=False),
    )
    cases: list[tuple[str, st.SearchStrategy[Attribute]]] = [
        ("unknown-type", attribute().flatmap(_with("type", unknown_types))),
        ("sub-result-missing-score", sub_result_attribute().map(_without("score"))),
        (
            "sub-result-status-outside-enum",
            sub_result_attribute().flatmap(_with("status", bad_statuses)),
        ),
        (
            "sub-result-max-below-1",
            st.builds(
                lambda item, low: {**item, "score": {**item["score"], "max": low}},
                sub_result_attribute(),
                below_one,
            ),
        ),
        ("text-missing-value", text_attribute().map(_without("value"))),
        ("text-missing-label", text_attribute().map(_without("label"))),
        ("missing-type", attribute().map(_without("type"))),
    ]
    return st.one_of([values.map(lambda v, r=reason: Tagged(v, r)) for reason, values in cases])
