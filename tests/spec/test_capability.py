"""Reading naftiko capability listings and comparing them with a contract, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kombo_conformance.contract import load_contract
from kombo_conformance.errors import UsageError
from kombo_conformance.spec.capability import load_capability, parse_capability
from kombo_conformance.spec.lint import lint
from kombo_conformance.spec.rules.capability import (
    capability_operations,
    capability_query_parameters,
    capability_truncated,
)

SEED = Path(__file__).parents[1] / "fixtures" / "seeds" / "003.txt"
LISTING = """\
Demo capability. 3 operations.
capability:
  consumes:
    - resources:
        - name: jobs
          path: /ats/jobs
          operations:
            - name: getjobs
              method: GET
              inputParameters:
                - name: cursor
                  in: query
                  description: a description that wraps
                    onto a bare line
                - name: board
                  in: query
        - name: notes
          path: /ats/jobs/{job_id}/notes
          operations:
            - name: postnote
              method: POST
        - name: users
          path: /ats/users
          operations:
            - name: getusers
              method: GET
"""


def test_seed_listing_is_read_up_to_where_it_was_cut():
    cap = load_capability(SEED)
    assert (len(cap.operations), cap.declared, cap.truncated) == (27, 30, True)
    assert cap.operations[0].key == "GET /ats/actions/ats_add_application_attachment"
    jobs = cap.by_key["GET /ats/jobs"]
    assert {"cursor", "page_size", "updated_after"} <= set(jobs.query_parameters)
    assert not cap.operations[-1].complete and cap.operations[-2].complete


def test_flattened_and_indented_listings_read_the_same():
    flat = "\n".join(line.strip() for line in LISTING.splitlines())
    a, b = parse_capability(LISTING, Path("a")), parse_capability(flat, Path("b"))
    assert [(o.key, o.query_parameters) for o in a.operations] == [
        (o.key, o.query_parameters) for o in b.operations
    ]
    assert a.operations[0].query_parameters == ["cursor", "board"]
    assert (a.declared, a.truncated) == (3, False)
    assert parse_capability(LISTING.replace("3 operations", "4 operations"), Path("c")).truncated


def test_a_listing_without_operations_is_a_usage_error(tmp_path):
    path = tmp_path / "cap.yaml"
    path.write_text("naftiko: 1.0\ninfo:\nlabel: nothing here\n")
    with pytest.raises(UsageError, match="names no operations"):
        load_capability(path)
    with pytest.raises(UsageError, match="cannot read"):
        load_capability(tmp_path / "missing.yaml")


def test_differences_are_reported_both_ways(tmp_path, sound_document):
    sound_document["paths"]["/ats/tags"] = sound_document["paths"]["/ats/jobs"]
    path = tmp_path / "doc.yaml"
    path.write_text(yaml.safe_dump(sound_document), encoding="utf-8")
    rules = (capability_truncated, capability_operations, capability_query_parameters)
    cap = parse_capability(LISTING, tmp_path / "cap.yaml")
    findings = lint(load_contract([path]), capability=cap, rules=rules).findings
    seen = {(f.check, f.details.get("direction"), f.operation, f.details.get("parameter"))
            for f in findings}  # fmt: skip
    assert seen == {
        ("capability_operations", "capability-only", "GET /ats/users", None),
        ("capability_operations", "contract-only", "GET /ats/tags", None),
        ("capability_query_parameters", "capability-only", "GET /ats/jobs", "board"),
        ("capability_query_parameters", "contract-only", "GET /ats/jobs", "page_size"),
    }
    assert {f.source for f in findings if f.details["direction"] == "capability-only"} >= {
        str(tmp_path / "cap.yaml")
    }


def test_truncated_listing_is_reported_and_softens_the_reverse_check(tmp_path, sound_document):
    path = tmp_path / "doc.yaml"
    path.write_text(yaml.safe_dump(sound_document), encoding="utf-8")
    cut = LISTING[: LISTING.index("- name: board")] + "# --- truncated at 1 KB ---\n"
    cap = parse_capability(cut, tmp_path / "c")
    findings = lint(load_contract([path]), capability=cap).findings
    truncated = [f for f in findings if f.check == "capability_truncated"]
    assert len(truncated) == 1 and "1 of 3" in truncated[0].message
    # GET /ats/jobs was cut off mid-parameters: page_size missing from it proves nothing
    assert not [f for f in findings if f.check == "capability_query_parameters"]
    # POST .../notes is beyond the cut: reported, but only as an advisory
    [missing] = [f for f in findings if f.check == "capability_operations"]
    assert (missing.operation, missing.severity) == ("POST /ats/jobs/{job_id}/notes", "advisory")
