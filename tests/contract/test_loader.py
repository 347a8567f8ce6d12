"""The contract loader: what it accepts (the project's contracts) and what it refuses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_conformance.cli import main
from kombo_conformance.contract import Contract, load_contract
from kombo_conformance.contract.examples import iter_examples
from kombo_conformance.contract.resolve import Resolver
from kombo_conformance.contract.validate import invalid_examples
from kombo_conformance.errors import ContractError

SEEDS = Path(__file__).parents[1] / "fixtures" / "seeds"


def capability_operations() -> set[str]:
    """Operations listed in the capability listing (seed 003): `path:` then `method:` lines."""
    text = (SEEDS / "003.txt").read_text(encoding="utf-8")
    found, path = set(), None
    for line in text.splitlines():
        if m := re.match(r"^path: (\S+)", line):
            path = re.sub(r":(\w+)", r"{\1}", m.group(1))
        elif (m := re.match(r"^method: (\w+)", line)) and path:
            found.add(f"{m.group(1)} {path}")
    return found


def test_capability_listing_operations_all_present(contract: Contract) -> None:
    listed = capability_operations()
    assert len(listed) == 27  # the listing is cut after 27 of its 30 operations
    missing = listed - contract.operations.keys()
    assert not missing
    for tail in ("/ats/roles", "/ats/tags", "/ats/users"):
        assert f"GET {tail}" in contract.operations


def test_operation_counts_per_use_case(contract: Contract) -> None:
    by_use_case: dict[str, list[str]] = {}
    for op in contract.operations.values():
        by_use_case.setdefault(op.use_case, []).append(op.key)
    assert len(by_use_case["ats"]) >= 30
    assert {
        "GET /assessment/packages",
        "PUT /assessment/packages",
        "GET /assessment/orders",
        "PUT /assessment/orders/{assessment_order_id}/result",
    } <= set(by_use_case["assessment"])
    assert "GET /lms/course-progressions" in by_use_case["lms"]


def test_every_operation_has_the_default_error_envelope_of_its_use_case(
    contract: Contract,
) -> None:
    for op in contract.operations.values():
        envelope = op.conventions.error_envelope
        assert envelope is not None, f"{op} has no default error response"
        expected = "general" if op.use_case == "lms" or op.general else "ats"
        assert envelope.use_case == expected, op.key
        assert "PLATFORM.INPUT_INVALID" in envelope.codes


def _strip_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        # a `description` keyword holds text; a property *named* description holds a schema
        return {
            k: _strip_descriptions(v)
            for k, v in node.items()
            if not (k == "description" and isinstance(v, str))
        }
    if isinstance(node, list):
        return [_strip_descriptions(v) for v in node]
    return node


def _comparable(resolver: Resolver, operation: dict[str, Any]) -> dict[str, Any]:
    """The parts of an operation whose constraints must match the seed exactly."""
    op = resolver.resolve(operation)
    body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {})
    return _strip_descriptions(
        {
            "parameters": {
                p["name"]: [p["in"], p.get("required", False), p["schema"]]
                for p in op.get("parameters", [])
            },
            "request": body.get("schema"),
            "responses": {
                status: {mt: c.get("schema") for mt, c in (r.get("content") or {}).items()}
                for status, r in op["responses"].items()
            },
            "error_examples": {
                name: e["value"]
                for r in op["responses"].values()
                for c in (r.get("content") or {}).values()
                for name, e in (c.get("examples") or {}).items()
            },
        }
    )


@pytest.mark.parametrize("seed", ["000", "001", "002"])
def test_seed_operations_are_copied_exactly(
    seed: str, seed_documents: dict[str, dict[str, Any]], contract: Contract
) -> None:
    document = seed_documents[seed]
    ((path, item),) = document["paths"].items()
    ((method, operation),) = item.items()
    ours = contract.operations[f"{method.upper()} {path}"]
    expected = _comparable(Resolver(document), operation)
    actual = _comparable(contract.resolver, ours.definition)
    assert actual == expected


def test_every_example_validates(contract: Contract) -> None:
    examples = list(iter_examples(contract.document))
    assert len(examples) >= len(contract.operations)  # every operation carries examples
    assert invalid_examples(contract.document, contract.errata) == []


def test_lint_command_accepts_the_project_contracts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint"]) in (0, 1)  # 1 only for lint findings, never a load error
    assert "error:" not in capsys.readouterr().err


# --- what the loader refuses --------------------------------------------------------------


def _load_error(paths: list[Path]) -> ContractError:
    with pytest.raises(ContractError) as info:
        load_contract(paths)
    return info.value


def test_rejects_bad_yaml(contracts_copy: Path) -> None:
    target = contracts_copy / "ats.yaml"
    target.write_text(target.read_text() + "\n  broken: [unclosed\n", encoding="utf-8")
    error = _load_error([contracts_copy])
    assert error.source == str(target)
    assert "invalid YAML at line" in str(error)


def test_rejects_duplicate_keys(tmp_path: Path) -> None:
    target = tmp_path / "dup.yaml"
    target.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\npaths: {}\n")
    assert "duplicate key 'paths'" in str(_load_error([target]))


def test_rejects_a_dangling_ref(contracts_copy: Path) -> None:
    target = contracts_copy / "assessment.yaml"
    doc = yaml.safe_load(target.read_text())
    item = next(iter(doc["paths"].values()))
    method = next(iter(item))
    item[method]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/DoesNotExist"
    }
    target.write_text(yaml.safe_dump(doc, sort_keys=False))
    error = _load_error([contracts_copy])
    assert "dangling $ref '#/components/schemas/DoesNotExist'" in str(error)
    assert error.source == str(target)
    assert error.pointer.startswith("/paths/")


def test_rejects_an_external_ref_to_a_missing_component(contracts_copy: Path) -> None:
    target = contracts_copy / "lms.yaml"
    text = target.read_text()
    assert "shared.yaml#/components/parameters/Cursor" in text
    target.write_text(text.replace("parameters/Cursor", "parameters/NoSuchCursor", 1))
    assert "dangling $ref 'shared.yaml#/components/parameters/NoSuchCursor'" in str(
        _load_error([contracts_copy])
    )


def test_rejects_an_example_that_violates_its_schema(contracts_copy: Path) -> None:
    target = contracts_copy / "assessment.yaml"
    doc = yaml.safe_load(target.read_text())
    body = doc["components"]["schemas"]["PutAssessmentOrdersAssessmentOrderIdResultRequestBody"]
    assert body["properties"]["status"]["enum"] == ["COMPLETED", "CANCELLED", "OPEN"]
    body["properties"]["status"]["enum"] = ["OPEN"]  # the example says COMPLETED
    target.write_text(yaml.safe_dump(doc, sort_keys=False))
    error = _load_error([contracts_copy])
    assert "example violates its schema" in str(error)
    assert "'COMPLETED' is not one of ['OPEN']" in str(error)
    assert error.source == str(target)


def test_rejects_a_profile_naming_an_unknown_operation(contracts_copy: Path) -> None:
    target = contracts_copy / "connectors" / "homerun.yaml"
    doc = yaml.safe_load(target.read_text())
    doc["operations"].append("GET /ats/unicorns")
    target.write_text(yaml.safe_dump(doc, sort_keys=False))
    error = _load_error([contracts_copy])
    assert error.source == str(target)
    assert "unknown operation 'GET /ats/unicorns'" in str(error)
    assert re.fullmatch(r"/operations/\d+", error.pointer)


def test_rejects_a_stale_invalid_example_erratum(contracts_copy: Path) -> None:
    shared = contracts_copy / "shared.yaml"
    doc = yaml.safe_load(shared.read_text())
    example = doc["components"]["responses"]["ErrorResponseGeneral"]["content"]["application/json"][
        "examples"
    ]["Error Response"]["value"]
    example["error"]["code"] = "PLATFORM.INPUT_INVALID"  # the seed defect, fixed
    shared.write_text(yaml.safe_dump(doc, sort_keys=False))
    assert "validates now; remove the erratum" in str(_load_error([contracts_copy]))


def test_rejects_a_non_31_document(tmp_path: Path) -> None:
    target = tmp_path / "old.yaml"
    target.write_text("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")
    assert "expected an OpenAPI 3.1 document" in str(_load_error([target]))


def test_cli_reports_a_broken_contract_in_one_paragraph_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "broken.yaml"
    target.write_text("openapi: 3.1.0\ninfo: {title: t\n")
    assert main(["lint", str(target)]) == 2
    err = capsys.readouterr().err
    assert str(target) in err and "invalid YAML" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_single_user_supplied_document_loads(seed_documents: dict[str, Any]) -> None:
    contract = load_contract([SEEDS / "001.openapi.yaml"])
    assert list(contract.operations) == ["PUT /assessment/orders/{assessment_order_id}/result"]
    assert contract.profiles == {}
