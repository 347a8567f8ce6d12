"""Field coverage of a profile's models, from real list answers."""

from __future__ import annotations

from kombo_conformance.certify.coverage import coverage
from tests.certify.helpers import CANDIDATES, JOBS, error, exchange


def page(*records: dict) -> dict:
    return {"status": "success", "data": {"next": None, "results": list(records)}}


def test_counts_populated_declared_and_undeclared_fields() -> None:
    job_a = {"id": "a", "name": "A", "closed_at": None, "status": "OPEN",
             "stages": [{"id": "s1", "index": 0}, {"id": "s2", "index": None}]}  # fmt: skip
    job_b = {"id": "b", "name": None, "closed_at": None, "status": None, "stages": []}
    exchanges = [
        exchange(JOBS, 200, page(job_a, job_b)),
        exchange(JOBS, 200, page(job_a)),  # the same record on another page counts once
        exchange(JOBS, 400, error("PLATFORM.INPUT_INVALID")),
        exchange(CANDIDATES, 200, page({"id": "c", "name": "not a job"})),
    ]
    models = {
        "jobs": {"operation": JOBS, "fields": ["id", "name", "closed_at"]},
        "stages": {"operation": JOBS, "items": "stages", "fields": ["id", "index"]},
    }
    jobs, stages = coverage(models, exchanges)
    assert jobs.records == 2
    assert jobs.declared == {"id": 2, "name": 1, "closed_at": 0}
    assert jobs.undeclared == {"stages": 2, "status": 1}  # [] is not null: populated
    assert jobs.never_populated == ["closed_at"] and jobs.ratio("name") == 0.5
    assert (stages.records, stages.declared) == (2, {"id": 2, "index": 1})


def test_dotted_fields_look_through_arrays() -> None:
    record = {"id": "x", "location": {"city": None}, "phones": [{"n": None}, {"n": "1"}]}
    models = {"m": {"operation": CANDIDATES, "fields": ["location.city", "phones.n"]}}
    (result,) = coverage(models, [exchange(CANDIDATES, 200, page(record))])
    assert result.declared == {"location.city": 0, "phones.n": 1}
    assert result.undeclared == {"id": 1}
