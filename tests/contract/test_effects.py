"""``x-kombo-effects``: the project's writes all declare their effects; a bad declaration is
a ContractError naming the file and the JSON pointer (exit 2 from the CLI); values read the
request as documented."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kombo_conformance.cli import main
from kombo_conformance.contract import load_contract
from kombo_conformance.contract.effects import (
    MISSING,
    Create,
    compile_value,
    evaluate,
)
from kombo_conformance.errors import ContractError
from kombo_conformance.sandbox.server import default_contract

LIST = "GET /ats/things"
WRITE = "POST /ats/things/{thing_id}/rename"
WRITE_POINTER = "/paths/~1ats~1things~1{thing_id}~1rename/post/x-kombo-effects"


def document(effects: Any, on_list: Any = None) -> dict[str, Any]:
    """A two-operation contract: a list of things and a write carrying ``effects``."""
    thing = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "object", "properties": {"name": {}}}},
        },
    }
    listing = {
        "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"data": {"type": "object", "properties": {
                "next": {"type": ["string", "null"]},
                "results": {"type": "array", "items": thing},
            }}},
        }}}}},
    }  # fmt: skip
    if on_list is not None:
        listing["x-kombo-effects"] = on_list
    write = {
        "parameters": [{"name": "thing_id", "in": "path", "required": True, "schema": {}}],
        "requestBody": {"content": {"application/json": {"schema": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "tag": {"type": "object", "properties": {
                "name": {"type": "string"}}}},
        }}}},
        "responses": {"200": {"description": "ok"}},
    }  # fmt: skip
    if effects is not None:
        write["x-kombo-effects"] = effects
    return {
        "openapi": "3.1.0",
        "info": {"title": "things", "version": "1"},
        "paths": {
            "/ats/things": {"get": listing},
            "/ats/things/{thing_id}/rename": {"post": write},
        },
    }


def written(tmp_path: Path, effects: Any, on_list: Any = None) -> Path:
    path = tmp_path / "things.json"
    path.write_text(json.dumps(document(effects, on_list)), encoding="utf-8")
    return path


def change(**fields: Any) -> dict[str, Any]:
    return {"changes": [{"record": "path.thing_id", "field": "name", **fields}]}


def test_every_write_of_the_project_declares_its_effects() -> None:
    contract = default_contract()
    writes = {k for k, op in contract.operations.items() if op.method != "GET"}
    assert writes and writes <= set(contract.effects)


def test_a_declaration_loads_into_changes(tmp_path: Path) -> None:
    effects = {
        "changes": [
            {"record": "path.thing_id", "field": "name", "equals": "body.name"},
            {"record": "thing", "field": "tags", "contains": "body.tag.name", "key": "name"},
            {"creates": LIST, "as": "copy", "fields": {"name": {"first": ["body.name", "x"]}}},
        ],
        "answers": "copy",
    }
    declared = load_contract([written(tmp_path, effects)], validate=False).effects[WRITE]
    name, tags, copy = declared.changes
    assert (name.name, name.read, name.how, name.field) == ("thing", LIST, "equals", "name")
    assert (tags.how, tags.key) == ("contains", "name")
    assert isinstance(copy, Create) and (copy.read, copy.name) == (LIST, "copy")
    assert declared.rule == "x-kombo-effects in things.json"


BAD = [
    # (declaration, on the list operation instead, pointer below the extension, message part)
    (change(equals="x", field="nope"), None, "/changes/0/field",
     "'nope' is not a field of the records of GET /ats/things"),
    (change(equals="thing2.name"), None, "/changes/0/equals", "unknown name 'thing2'"),
    (change(equals="body.missing"), None, "/changes/0/equals",
     "the request body of POST /ats/things/{thing_id}/rename has no 'missing'"),
    (change(equals="x", record="path.other_id"), None, "/changes/0/record",
     "not a path parameter"),
    (change(), None, "/changes/0", "is not valid under any of the given schemas"),
    (change(contains="body.name", key="nope", field="tags"), None, "/changes/0/key",
     "the items of 'tags' have no 'nope'"),
    (change(equals="x", setup="PUT /nowhere"), None, "/changes/0/setup",
     "'PUT /nowhere' is not an operation of the contract"),
    (change(equals="item.name"), None, "/changes/0/equals", "`item` only means something"),
    ({"changes": [{"creates": WRITE, "fields": {}}]}, None, "/changes/0/creates",
     "is not a read operation answering records"),
    ({"changes": [{"creates": LIST, "as": "thing", "fields": {}}]}, None, "/changes/0/as",
     "the name 'thing' is already bound"),
    ({"refs": ["body.name"], "changes": []}, None, "/refs/0", "does not match"),
    ({}, None, "", "'changes' is a required property"),
    (None, {"changes": []}, "", "belongs on a write operation"),
]  # fmt: skip


@pytest.mark.parametrize(("effects", "on_list", "where", "reason"), BAD)
def test_a_bad_declaration_names_its_file_and_pointer(tmp_path, effects, on_list, where, reason):
    path = written(tmp_path, effects, on_list)
    with pytest.raises(ContractError) as caught:
        load_contract([path], validate=False)
    error = caught.value
    pointer = WRITE_POINTER if on_list is None else "/paths/~1ats~1things/get/x-kombo-effects"
    assert (error.source, error.pointer) == (str(path), pointer + where)
    assert reason in error.reason


def test_the_cli_exits_2_with_one_paragraph(tmp_path, capsys) -> None:
    path = written(tmp_path, change(equals="thing2.name"))
    assert main(["lint", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"contract error in {path} at {WRITE_POINTER}/changes/0/equals" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def value(raw: Any, body: Any, names: tuple[str, ...] = ()) -> Any:
    def resolve(ref):
        from kombo_conformance.contract.effects import dig

        return dig(body, ref.keys) if ref.root == "body" else MISSING

    return evaluate(compile_value(raw, names), resolve, lambda name: f"<{name}>")


def test_values_read_the_request() -> None:
    body = {"a": {"b": 1}, "list": [{"x": 1}, {"x": 2}], "one": "p", "none": None}
    assert value("body.a.b", body) == 1
    assert value("DECLINED", body) == "DECLINED"
    assert value({"literal": "body.a.b"}, body) == "body.a.b"
    assert value("now()", body) == "<now>"
    assert value({"first": ["body.none", "body.missing", "body.one"]}, body) == "p"
    assert value({"first": ["body.missing"]}, body) is MISSING
    template = [{"k": "fixed"}, {"each": "body.list", "item": {"y": "item.x"}}]
    assert value(template, body) == [{"k": "fixed"}, {"y": 1}, {"y": 2}]
    assert value([{"each": "body.one", "item": {"v": "item"}}], body) == [{"v": "p"}]
    assert value([{"each": "body.missing"}], body) == []
    assert value({"kept": "body.a.b", "absent": "body.missing"}, body) == {"kept": 1}
    assert value("body.list.x", body) == [1, 2]
