"""Load the contract's component schemas from the seed files (OpenAPI 3.1 inside a YAML fence)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

SEEDS = Path("/work/shared/seeds")


def _yaml_block(text: str) -> str:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("````yaml"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i] == "````")
    return "\n".join(lines[start + 1 : end])


@cache
def seed_document(prefix: str) -> dict[str, Any]:
    """The OpenAPI document in ``/work/shared/seeds/{prefix}_*.txt``."""
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return yaml.safe_load(_yaml_block(path.read_text(encoding="utf-8")))


def _resolve(node: Any, document: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = document
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _resolve(target, document)
        return {key: _resolve(value, document) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item, document) for item in node]
    return node


def component_schema(prefix: str, name: str) -> dict[str, Any]:
    """``components.schemas[name]`` of seed ``prefix`` with every ``$ref`` inlined."""
    document = seed_document(prefix)
    return copy.deepcopy(_resolve(document["components"]["schemas"][name], document))


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A Draft 2020-12 validator that asserts ``format``."""
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


ORDER_RESULT = "PutAssessmentOrdersAssessmentOrderIdResultRequestBody"
RESULT_LINK = "PostAtsCandidatesCandidateIdResultLinksRequestBody"


def order_result_schema() -> dict[str, Any]:
    return component_schema("001", ORDER_RESULT)


def result_link_schema() -> dict[str, Any]:
    return component_schema("000", RESULT_LINK)


def updated_after_schema() -> dict[str, Any]:
    return component_schema("002", "GetLmsCourseProgressionsParameterUpdatedAfter")


def sample(strategy: Any, n: int = 200) -> list[Any]:
    """``n`` generated examples, deterministically and without shrinking (cheap coverage probes)."""
    from hypothesis import Phase, given, settings

    seen: list[Any] = []

    @settings(max_examples=n, derandomize=True, database=None, phases=[Phase.generate])
    @given(strategy)
    def collect(value: Any) -> None:
        seen.append(value)

    collect()
    return seen
