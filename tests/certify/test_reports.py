"""The certification reports: JSON against its schema (and back), Markdown, JUnit, HTML."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from kombo_conformance.certify import certification_json
from kombo_conformance.certify.baseline import Entry
from kombo_conformance.certify.result import Certification
from kombo_conformance.certify.write import write_certification
from kombo_conformance.errors import UsageError
from tests.certify.helpers import SECRET, sample_certification


@pytest.fixture
def written(tmp_path: Path) -> tuple[Certification, Path]:
    certification = sample_certification()
    certification.stale = [Entry("acme|GET /ats/jobs|schema|/gone", who="ann", why="w", when="d")]
    write_certification(certification, tmp_path, secrets=[SECRET])
    return certification, tmp_path


def test_every_report_written_without_the_key(written) -> None:
    _, directory = written
    names = sorted(p.name for p in directory.iterdir())
    assert names == ["certification.html", "certification.json", "certification.md", "junit.xml"]
    for path in directory.iterdir():
        assert SECRET not in path.read_text(encoding="utf-8"), path.name


def test_json_matches_its_schema_and_round_trips(written) -> None:
    _, directory = written
    data = json.loads((directory / "certification.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(certification_json.schema())
    errors = list(Draft202012Validator(certification_json.schema()).iter_errors(data))
    assert errors == []
    assert data["summary"]["cells"] == {
        "certified": 1, "failed": 1, "unsupported": 2, "declared-not-working": 1,
        "undeclared-working": 1, "not run": 0,
    }  # fmt: skip
    assert data["summary"]["exit_code"] == 1
    again = certification_json.load(directory)
    assert certification_json.certification_dict(again) == data


def test_json_load_rejects_foreign_files(tmp_path: Path) -> None:
    (tmp_path / "certification.json").write_text('{"schema_version": 1}', encoding="utf-8")
    with pytest.raises(UsageError, match=r"not a valid certification\.json"):
        certification_json.load(tmp_path)
    with pytest.raises(UsageError, match="does not exist"):
        certification_json.load(tmp_path / "nowhere")


def test_markdown_lists_verdicts_new_findings_and_stale_entries(written) -> None:
    _, directory = written
    text = (directory / "certification.md").read_text(encoding="utf-8")
    assert "❌ not certified | bolt |" in text and "✅ certified | acme |" in text
    assert "bolt\\|GET /ats/jobs\\|response_schema\\|/data/results/0/name" not in text
    assert "`bolt|GET /ats/jobs|response_schema|/data/results/0/name`" in text
    assert "## Stale baseline entries (1)" in text and "&lt;b&gt;here&lt;/b&gt;" in text
    assert "| acme | jobs | 2 | 2/2 |" in text  # coverage


def test_junit_one_testcase_per_cell(written) -> None:
    certification, directory = written
    root = ET.parse(directory / "junit.xml").getroot()
    cases = root.findall(".//testcase")
    assert len(cases) == len(certification.cells) == 6
    failed = {
        c.get("classname") + " " + c.get("name") for c in cases if c.find("failure") is not None
    }
    assert failed == {
        "certify.bolt GET /ats/jobs",
        "certify.bolt GET /ats/candidates",
        "certify.bolt GET /assessment/orders",
    }
    assert root.get("failures") == "3"


def test_html_is_self_contained_escaped_and_drills_down(written) -> None:
    _, directory = written
    page = (directory / "certification.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no external resource
    assert "<b>here</b>" not in page and "Bolt &lt;ATS&gt;" in page
    assert 'id="matrix"' in page and page.count('<tr data-connector="') == 2
    links = re.findall(r'<a href="#(cell-\d+-\d+)">', page)
    assert len(links) == 3 and all(f'id="{target}"' in page for target in links)
    assert "Authorization: Bearer $KOMBO_API_KEY" in page  # the curl reproduction
    assert ">FAIL<" in page and ">DNW<" in page and ">UW<" in page  # status as text
