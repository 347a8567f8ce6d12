"""Against a real target (``--base-url``): no writes without opt-in, polite under a rate
limit, and one hanging operation costs that operation only. Every server here is the
sandbox app behind a small middleware, served on a free 127.0.0.1 port."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from kombo_conformance.cli import main
from kombo_conformance.sandbox.app import create_app
from tests.run.servers import CountMethods, HangOn, RateLimit, serve_asgi

pytestmark = pytest.mark.e2e
KEY = "real-target-key"


def _run(base_url: str, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["run", "--base-url", base_url, "--api-key", KEY, "--report-dir",
                 str(tmp_path), "--integration-id", "sandbox:real", *args])  # fmt: skip
    return code, json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))


def _cases(report: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return [c for c in report["cases"] if c["check"] == check]


def test_without_allow_writes_the_target_sees_only_get(tmp_path: Path) -> None:
    counted = CountMethods(create_app(api_key=KEY))
    with serve_asgi(counted) as url:
        code, report = _run(url, tmp_path, "--connector", "sandbox", "--max-examples", "2",
                            "--rate-limit", "0")  # fmt: skip
    assert counted.methods["GET"] > 0
    assert set(counted.methods) == {"GET"}, counted.methods
    assert code == 0
    writes = [c for c in report["cases"] if not c["operation"].startswith("GET ")]
    assert writes and all(c["verdict"] != "passed" for c in writes)
    raw = _cases(report, "read_after_write")
    assert any("writes not allowed" in c.get("note", "") for c in raw)
    assert report["meta"]["writes_allowed"] is False and report["meta"]["changes"] == []


def test_with_allow_writes_every_change_is_listed(tmp_path: Path) -> None:
    counted = CountMethods(create_app(api_key=KEY))
    stage = "PUT /ats/applications/{application_id}/stage"
    with serve_asgi(counted) as url:
        code, report = _run(url, tmp_path, "--connector", "sandbox", "--max-examples", "1",
                            "--rate-limit", "0", "--allow-writes",
                            "--operation", "POST /ats/candidates",
                            "--operation", stage)  # fmt: skip
    assert code == 0
    changes = report["meta"]["changes"]
    writes = sum(n for m, n in counted.methods.items() if m != "GET")
    assert writes > 0
    assert {c["operation"] for c in changes} == {"POST /ats/candidates", stage}
    assert all(c["id"] for c in changes)
    assert len(changes) <= writes  # only the writes that succeeded


def test_no_request_body_names_a_host_the_user_did_not_choose(tmp_path: Path) -> None:
    """Every write, generated or probed, on the sandbox connector: each URL-looking string in
    any body is the user's --data-url or a host under the reserved .invalid TLD."""
    counted = CountMethods(create_app(api_key=KEY))
    mine = "https://files.example-user.test/cv.pdf"
    with serve_asgi(counted) as url:
        code, _ = _run(url, tmp_path, "--connector", "sandbox", "--max-examples", "2",
                       "--rate-limit", "0", "--allow-writes", "--data-url", mine)  # fmt: skip
    assert code == 0
    urls = [u for body in counted.bodies for u in _urls(_json(body))]
    assert mine in urls  # the data_url edge case ran, with the user's URL
    hosts = {urlsplit(u).hostname for u in urls}
    assert hosts and all(h == "files.example-user.test" or h.endswith(".invalid") for h in hosts)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return body.decode("utf-8", "replace")


def _urls(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I) else []
    if isinstance(value, dict):
        value = list(value.values())
    return [u for item in value for u in _urls(item)] if isinstance(value, list) else []


def test_a_hanging_operation_costs_that_operation_only(tmp_path: Path) -> None:
    app = HangOn(create_app(api_key=KEY), "GET", r"/v1/ats/tags/?", seconds=30)
    operations = ["GET /ats/tags", "GET /ats/jobs", "GET /ats/users"]
    args = [a for op in operations for a in ("--operation", op)]
    with serve_asgi(app) as url:
        code, report = _run(url, tmp_path, "--connector", "sandbox", "--timeout", "1",
                            "--max-examples", "2", "--rate-limit", "0", *args)  # fmt: skip
    assert code == 1
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert {f["operation"] for f in errors} == {"GET /ats/tags"}
    assert {f["check"] for f in errors} == {"reachability"}
    assert sum(f["check"] == "reachability" for f in errors) <= 3  # then it stops sending
    tags = [c for c in report["cases"] if c["operation"] == "GET /ats/tags"]
    assert any(c["verdict"] == "not run" for c in tags)
    for other in ("GET /ats/jobs", "GET /ats/users"):
        verdicts = {c["verdict"] for c in report["cases"] if c["operation"] == other}
        assert "passed" in verdicts and "not run" not in verdicts, (other, verdicts)


@pytest.mark.parametrize(
    ("fault", "check"), [("ignore-ids-filter", "filters"), ("deleted-leak", "include_deleted")]
)
def test_a_rate_limit_does_not_hide_a_fault(fault: str, check: str, tmp_path: Path) -> None:
    limited = RateLimit(create_app(api_key=KEY, faults=(fault,)), per_second=5)
    with serve_asgi(limited) as url:
        code, report = _run(url, tmp_path, "--connector", "sandbox", "--check", check,
                            "--operation", "GET /ats/candidates", "--rate-limit", "0")  # fmt: skip
    assert limited.refused > 0  # the limit really bit: 429s were answered and retried
    assert code == 1
    found = [f for f in report["findings"] if f["severity"] == "error"]
    assert found and all(f["check"] == check for f in found)
    assert not any(f.get("response", {}).get("status") == 429 for f in report["findings"])
    assert report["meta"]["politeness"]["retries"] > 0


def test_a_correct_rate_limited_target_gives_no_finding_from_429(tmp_path: Path) -> None:
    limited = RateLimit(create_app(api_key=KEY), per_second=5)
    with serve_asgi(limited) as url:
        code, report = _run(url, tmp_path, "--connector", "sandbox",
                            "--operation", "GET /ats/tags", "--max-examples", "2",
                            "--rate-limit", "0")  # fmt: skip
    assert limited.refused > 0
    assert code == 0, [f["message"] for f in report["findings"] if f["severity"] == "error"]
    assert not any(f.get("response", {}).get("status") == 429 for f in report["findings"])
