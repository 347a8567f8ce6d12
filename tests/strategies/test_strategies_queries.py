"""strategies.queries against each query parameter schema of seed 002."""

from __future__ import annotations

from hypothesis import given, settings

from strategies.queries import invalid_page_sizes, list_queries
from tests.strategies.seed_schemas import sample, seed_document, validator

OPERATION = seed_document("002")["paths"]["/lms/course-progressions"]["get"]
COMPONENTS = seed_document("002")["components"]["schemas"]
PARAMETERS = {
    p["name"]: COMPONENTS[p["schema"]["$ref"].rsplit("/", 1)[-1]]
    for p in OPERATION["parameters"]
    if p["in"] == "query"
}


def test_every_query_parameter_is_covered() -> None:
    seen = {name for query in sample(list_queries(), 40) for name in query}
    assert seen == set(PARAMETERS)


@settings(max_examples=60)
@given(list_queries())
def test_list_queries_validate_parameter_by_parameter(query: dict) -> None:
    for name, value in query.items():
        validator(PARAMETERS[name]).validate(value)


@settings(max_examples=30)
@given(invalid_page_sizes())
def test_invalid_page_sizes_break_the_bounds(value: int) -> None:
    assert not validator(PARAMETERS["page_size"]).is_valid(value)
