"""``diff`` gates and outputs end to end: suppressions with expiry, the Markdown changelog,
impact on recorded traffic (the committed cassettes), and restructured contracts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from diff_corpus import fresh, restructure, schema

from kombo_conformance.cli import main
from kombo_conformance.contract import Contract, load_contract

ROOT = Path(__file__).parents[2]
CONTRACTS, CASSETTES = ROOT / "contracts", ROOT / "cassettes"
JOBS = "GET /ats/jobs"
STATUS = "data.results[].status"  # anyOf [enum, string, null]


@pytest.fixture(scope="module")
def contracts() -> Contract:
    return load_contract([CONTRACTS], validate=False)


@pytest.fixture(scope="module")
def removed_value(contracts: Contract, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The contracts with the job status ``CLOSED`` removed from the 200 response."""
    doc = fresh(contracts)
    schema(doc, JOBS, "200", STATUS)["anyOf"][0]["enum"].remove("CLOSED")
    path = tmp_path_factory.mktemp("new") / "new.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # JSON is YAML
    return path


def _diff(tmp_path: Path, new: Path, *flags: str, old: Path = CONTRACTS) -> tuple[int, dict]:
    code = main(["diff", str(old), str(new), "--report-dir", str(tmp_path / "r"), *flags])
    return code, json.loads((tmp_path / "r" / "report.json").read_text())


def _findings(report: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["check"] == check]


def _connectors_carrying(value: str) -> set[str]:
    """Connectors whose recorded GET /ats/jobs responses carry status ``value``."""
    found = set()
    for path in CASSETTES.glob("*/GET_ats_jobs.yaml"):
        for item in yaml.safe_load(path.read_text())["interactions"]:
            body = json.loads(item["response"]["body"]["string"] or "null")
            results = ((body or {}).get("data") or {}).get("results") or []
            if any(isinstance(r, dict) and r.get("status") == value for r in results):
                found.add(path.parent.name)
    return found


def test_restructured_contracts_exit_0(contracts, tmp_path):
    """A component renamed, ``$ref``s inlined and extracted, everything reordered."""
    doc = fresh(contracts)
    restructure(doc)
    new = tmp_path / "restructured.json"
    new.write_text(json.dumps(doc), encoding="utf-8")
    code, report = _diff(tmp_path, new)
    assert code == 0
    assert not [f for f in report["findings"] if f["severity"] in ("error", "warning")]


def test_cassettes_name_the_connectors_carrying_a_removed_value(removed_value, tmp_path):
    changelog = tmp_path / "CHANGES.md"
    code, report = _diff(tmp_path, removed_value, "--cassettes", str(CASSETTES),
                         "--changelog", str(changelog))  # fmt: skip
    assert code == 0  # a response enum narrowed is safe for clients
    [finding] = _findings(report, "response_enum_values_removed")
    recorded = finding["details"]["recorded"]
    expected = _connectors_carrying("CLOSED")
    assert expected and set(recorded["connectors"]) == expected
    sources = [s for found in recorded["connectors"].values() for s in found]
    assert all(s.split("#")[0].endswith("GET_ats_jobs.yaml") for s in sources)
    assert all(name in finding["message"] for name in expected)
    text = changelog.read_text()
    assert text == (tmp_path / "r" / "changelog.md").read_text()
    assert "## Safe" in text and "`GET /ats/jobs`: response 200 property" in text
    assert all(f"**{name}**" in text for name in expected)


def test_cassettes_list_requests_omitting_a_newly_required_property(contracts, tmp_path):
    doc = fresh(contracts)
    schema(doc, "POST /ats/candidates", "body", "candidate")["required"].append("company")
    new = tmp_path / "new.json"
    new.write_text(json.dumps(doc), encoding="utf-8")
    code, report = _diff(tmp_path, new, "--cassettes", str(CASSETTES))
    assert code == 1
    [finding] = _findings(report, "request_property_became_required")
    recorded = finding["details"]["recorded"]
    assert recorded["interactions"] > 0
    for sources in recorded["connectors"].values():
        for source in sources:
            path, index = source.split("#")
            request = yaml.safe_load(Path(path).read_text())["interactions"][int(index)]["request"]
            assert "company" not in json.loads(request["body"])["candidate"]


def test_corrupt_cassette_exits_2_with_one_paragraph(removed_value, tmp_path, capsys):
    broken = tmp_path / "tapes" / "workday" / "GET_ats_jobs.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("interactions: [\n")
    code = main(["diff", str(CONTRACTS), str(removed_value), "--cassettes",
                 str(tmp_path / "tapes"), "--report-dir", str(tmp_path / "r")])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "GET_ats_jobs.yaml" in err and "not valid YAML" in err
    assert len(err.strip().splitlines()) == 1


def _suppressions(tmp_path: Path, **entry: Any) -> Path:
    accepted = {"rule": "response_enum_values_removed", "pointer": "/components/schemas/*",
                "operation": "GET /ats/*", "reason": "CLOSED jobs are ARCHIVED now",
                "reviewer": "api-review", "date": "2026-11-01"} | entry  # fmt: skip
    lint_entry = {"rule": "vacuous_status_codes", "pointer": "/paths/*", "reason": "r",
                  "reviewer": "me", "date": "2026-01-01"}  # fmt: skip
    path = tmp_path / "lint.yaml"
    path.write_text(yaml.safe_dump({"suppressions": [lint_entry, accepted]}))
    return path


def test_suppressed_change_passes_and_is_accepted_in_the_changelog(removed_value, tmp_path):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    supp = _suppressions(tmp_path, expires=tomorrow)
    code, report = _diff(tmp_path, removed_value, "--fail-on", "potential",
                         "--suppressions", str(supp))  # fmt: skip
    assert code == 0
    [finding] = _findings(report, "response_enum_values_removed")
    assert finding["details"]["suppressed"]["reviewer"] == "api-review"
    assert not _findings(report, "unused_suppression")  # the lint entry is lint's
    text = (tmp_path / "r" / "changelog.md").read_text()
    assert f"accepted by api-review (2026-11-01, until {tomorrow}): CLOSED jobs" in text


def test_expired_suppression_suppresses_nothing_and_is_reported(contracts, tmp_path):
    doc = fresh(contracts)
    schema(doc, JOBS, "200", "data.results[].stages[].status")["enum"].insert(0, "PAUSED")
    new = tmp_path / "new.json"
    new.write_text(json.dumps(doc), encoding="utf-8")
    supp = _suppressions(tmp_path, rule="response_enum_values_added", expires="2020-01-01")
    code, report = _diff(tmp_path, new, "--suppressions", str(supp))
    assert code == 1
    [finding] = _findings(report, "response_enum_values_added")
    assert "suppressed" not in finding["details"]
    [expired] = _findings(report, "expired_suppression")
    assert expired["pointer"] == "/suppressions/1" and "2020-01-01" in expired["message"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [({"rule": "no_such_rule"}, "unknown rule 'no_such_rule'"),
     ({"expires": "soon"}, "expected a date YYYY-MM-DD")],
)  # fmt: skip
def test_bad_suppression_exits_2(removed_value, tmp_path, capsys, entry, message):
    supp = _suppressions(tmp_path, **entry)
    code = main(["diff", str(CONTRACTS), str(removed_value), "--suppressions", str(supp)])
    assert code == 2 and message in capsys.readouterr().err
