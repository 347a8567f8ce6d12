"""strategies.registry recognises shapes from the seed schemas themselves."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies.registry import shape_of, strategy_for
from tests.strategies.seed_schemas import (
    component_schema,
    order_result_schema,
    result_link_schema,
    validator,
)

ORDER = order_result_schema()
P = "GetLmsCourseProgressionsParameter"
CASES = {
    "kombo-date": ORDER["properties"]["completed_at"],
    "attributes": ORDER["properties"]["attributes"],
    "attachments": ORDER["properties"]["attachments"],
    "id-list": component_schema("002", f"{P}Ids"),
    "cursor": component_schema("002", f"{P}Cursor"),
}


@pytest.mark.parametrize("expected", sorted(CASES))
def test_shape_is_read_from_the_schema(expected: str) -> None:
    assert shape_of(CASES[expected]) == expected


@pytest.mark.parametrize(
    "schema",
    [
        result_link_schema(),
        ORDER,  # a body: schemathesis draws it, from the strict schema (prose rules included)
        ORDER["properties"]["remote_fields"],
        ORDER["properties"]["result_url"],
        component_schema("002", f"{P}PageSize"),
        component_schema("002", f"{P}IncludeDeleted"),
        {"$ref": "#/components/schemas/Anything"},
        {"type": "array", "items": {"type": "string"}},
    ],
)
def test_other_shapes_are_not_claimed(schema: dict) -> None:
    assert shape_of(schema) is None and strategy_for(schema) is None


def test_id_list_shapes_pick_the_id_kind() -> None:
    for name in ("Ids", "UserIds", "CourseIds", "RemoteIds"):
        assert shape_of(component_schema("002", f"{P}{name}")) == "id-list"
    assert shape_of(component_schema("002", f"{P}UpdatedAfter")) == "kombo-date"


@settings(max_examples=40)
@given(st.data())
def test_registry_strategies_validate_against_their_schema(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(CASES)))
    schema = CASES[name]
    strategy = strategy_for(schema)
    assert strategy is not None
    value = data.draw(strategy)
    validator(schema).validate(value)
