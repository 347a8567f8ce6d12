"""Writing cassettes: names, vcrpy format, atomicity, the cap, determinism."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest
import vcr
import yaml

from kombo_conformance.cassettes.layout import cassette_name
from kombo_conformance.cassettes.record import CassetteRecorder, select
from kombo_conformance.cassettes.sanitize import Sanitizer
from kombo_conformance.cassettes.serialize import to_interaction
from tests.cassettes.conftest import exchange, saved_text

JOBS = {"status": "success", "data": {"next": None, "results": [{"id": "j1", "name": "Dev"}]}}


@pytest.mark.parametrize(
    ("operation", "name"),
    [
        ("GET /ats/jobs", "GET_ats_jobs.yaml"),
        (
            "PUT /assessment/orders/{assessment_order_id}/result",
            "PUT_assessment_orders_{assessment_order_id}_result.yaml",
        ),
        ("GET /ats/application-stages", "GET_ats_application-stages.yaml"),
        ("", "UNMATCHED.yaml"),
    ],
)
def test_cassette_names(operation: str, name: str) -> None:
    assert cassette_name(operation) == name


def test_a_cassette_is_vcrpy_format_and_plays_back(tmp_path: Path) -> None:
    saved_text(tmp_path, exchange(body=JOBS, query="page_size=1"))
    path = tmp_path / "homerun" / "GET_ats_jobs.yaml"
    data = yaml.safe_load(path.read_text())
    assert data["version"] == 1
    (item,) = data["interactions"]
    assert set(item["request"]) == {"body", "headers", "method", "uri"}
    assert item["response"]["status"] == {"code": 200, "message": "OK"}
    assert "date" not in item["response"]["headers"]  # volatile: cassettes stay stable
    uri = item["request"]["uri"]
    assert uri == "http://localhost/v1/ats/jobs?page_size=1"  # loopback port dropped
    with vcr.use_cassette(str(path), record_mode="none"):
        assert httpx.get(uri).json() == JOBS


def test_recording_is_deterministic(tmp_path: Path) -> None:
    items = [exchange(body=JOBS), exchange(body={"status": "error"}, status=400)]
    first = saved_text(tmp_path / "a", *items)
    assert saved_text(tmp_path / "b", *items) == first


def test_an_interrupted_save_leaves_the_previous_cassette_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_text(tmp_path, exchange(body=JOBS))
    path = tmp_path / "homerun" / "GET_ats_jobs.yaml"
    before = path.read_bytes()
    recorder = CassetteRecorder(tmp_path, redact_pii=True, secrets=[])
    recorder("homerun", exchange(body={"status": "success", "data": {"results": ["x"] * 500}}))

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        recorder.save()
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left over


def _interaction(status: int, code: str | None = None, size: int = 10) -> dict:
    body = (
        {"status": "error", "error": {"code": code, "message": "x" * size}}
        if code
        else {"status": "success", "data": {"results": ["r" * size]}}
    )
    return to_interaction(exchange(body=body, status=status), Sanitizer())


def test_the_cap_keeps_error_paths_and_a_success() -> None:
    successes = [_interaction(200, size=3000 + i) for i in range(50)]
    errors = [_interaction(400, "PLATFORM.INPUT_INVALID"), _interaction(404, "X.NOT_FOUND")]
    kept = select([*successes, *errors, successes[0]], cap=40, budget=5000)
    statuses = [i["response"]["status"]["code"] for i in kept]
    assert 400 in statuses and 404 in statuses and 200 in statuses
    assert len(kept) <= 40
    assert len(json.dumps(kept)) < 12_000  # the budget holds, must-keeps aside
    assert select([successes[0], successes[0]]) == [successes[0]]  # duplicates once
