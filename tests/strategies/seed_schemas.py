"""Component schemas of the seeds (``tests/fixtures/seeds``) and the contracts (``contracts/``)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
CONTRACTS = ROOT / "contracts"


@cache
def seed_document(prefix: str) -> dict[str, Any]:
    """The OpenAPI document of seed ``prefix`` (``tests/fixtures/seeds/{prefix}.openapi.yaml``)."""
    return yaml.safe_load((SEEDS / f"{prefix}.openapi.yaml").read_text(encoding="utf-8"))


@cache
def contract_document(name: str) -> dict[str, Any]:
    """The contract ``contracts/{name}.yaml`` as written (errata not applied)."""
    return yaml.safe_load((CONTRACTS / f"{name}.yaml").read_text(encoding="utf-8"))


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


def _component(document: dict[str, Any], name: str) -> dict[str, Any]:
    return copy.deepcopy(_resolve(document["components"]["schemas"][name], document))


def component_schema(prefix: str, name: str) -> dict[str, Any]:
    """``components.schemas[name]`` of seed ``prefix`` with every ``$ref`` inlined."""
    return _component(seed_document(prefix), name)


def contract_schema(contract: str, name: str) -> dict[str, Any]:
    """``components.schemas[name]`` of ``contracts/{contract}.yaml``, internal ``$ref``s inlined."""
    return _component(contract_document(contract), name)


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A Draft 2020-12 validator that asserts ``format``."""
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


#: ``format: uri`` as schemathesis checks generated values (with jsonschema_rs).
URI_V = jsonschema_rs.Draft202012Validator(
    {"type": "string", "format": "uri"}, validate_formats=True
)

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
