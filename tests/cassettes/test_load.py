"""Reading cassettes: what is rejected, and why, in one sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kombo_conformance.cassettes.load import load_cassette
from kombo_conformance.errors import CassetteError

GOOD = {
    "request": {"body": None, "headers": {}, "method": "GET", "uri": "http://h/v1/ats/jobs"},
    "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": ""}},
}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("interactions: [\n  - request: {", "not valid YAML at line"),
        ("", "is empty"),
        ("- just\n- a list\n", "not a vcrpy cassette"),
        ("interactions: {}\n", "not a vcrpy cassette"),
        (yaml.safe_dump({"interactions": [], "version": 2}), "version 2"),
        ("!!python/object:os.system {}\n", "not valid YAML"),
    ],
)
def test_foreign_files_are_rejected_with_a_reason(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(CassetteError) as caught:
        load_cassette(path)
    assert str(path) in str(caught.value) and reason in str(caught.value)


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ({"request": GOOD["request"]}, "has no response"),
        ({**GOOD, "request": {"method": "GET"}}, "lacks method or uri"),
        ({**GOOD, "response": {**GOOD["response"], "status": {"code": "200"}}}, "status.code"),
        ({**GOOD, "response": {**GOOD["response"], "body": {"string": 3}}}, "body.string"),
        ({**GOOD, "request": {**GOOD["request"], "headers": ["x"]}}, "headers"),
    ],
)
def test_a_bad_interaction_is_reported_alone(tmp_path: Path, broken: dict, reason: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(yaml.safe_dump({"interactions": [GOOD, broken], "version": 1}))
    cassette = load_cassette(path)
    assert [index for index, _ in cassette.interactions] == [0]
    (problem,) = cassette.problems
    assert problem.index == 1 and reason in problem.reason
