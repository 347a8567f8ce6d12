"""curl reproductions: runnable argv, API key as $KOMBO_API_KEY, nothing secret inside."""

from __future__ import annotations

import json
import shlex

from kombo_conformance.findings import RequestRecord
from kombo_conformance.redact import Redactor
from kombo_conformance.repro import curl_command, curl_for

KEY = "sk_live_0123456789"


def test_post_with_json_body_parses_into_expected_argv_without_secret() -> None:
    line = curl_command(
        "post",
        f"https://api.example/v1/ats/candidates?api_key={KEY}&x=it's",
        {"authorization": f"Bearer {KEY}", "X-Integration-Id": "greenhouse:1"},
        {"first_name": "O'Brien", "remote_fields": [{"key": "dept", "token": KEY}]},
        Redactor([KEY]),
    )
    assert KEY not in line
    argv = shlex.split(line)
    assert argv[:5] == [
        "curl",
        "-sS",
        "-X",
        "POST",
        "https://api.example/v1/ats/candidates?api_key=***&x=it's",
    ]
    assert argv[5:11] == [
        "-H", "authorization: Bearer $KOMBO_API_KEY",
        "-H", "X-Integration-Id: greenhouse:1",
        "-H", "Content-Type: application/json",
    ]  # fmt: skip
    assert argv[11] == "--data-raw"
    assert json.loads(argv[12]) == {
        "first_name": "O'Brien",
        "remote_fields": [{"key": "dept", "token": "***"}],
    }
    assert len(argv) == 13


def test_authorization_is_double_quoted_so_the_shell_expands_the_key() -> None:
    line = curl_command("GET", "https://h/x", {"Authorization": "Basic abc=="})
    assert '-H "Authorization: Basic $KOMBO_API_KEY"' in line
    # shlex (like the shell) keeps $VAR inside double quotes for expansion
    assert shlex.split(line)[-1] == "Authorization: Basic $KOMBO_API_KEY"


def test_other_secret_headers_are_masked_and_existing_content_type_kept() -> None:
    line = curl_command(
        "PATCH", "https://h/x", {"X-API-Key": KEY, "Content-Type": "application/json"}, {"a": 1}
    )
    argv = shlex.split(line)
    assert argv.count("-H") == 2
    assert "X-API-Key: ***" in argv
    assert KEY not in line


def test_string_body_passes_through_text_masking() -> None:
    line = curl_command("PUT", "https://h/x", {}, f"raw {KEY} password=hunter2", Redactor([KEY]))
    argv = shlex.split(line)
    assert argv[-2:] == ["--data-raw", "raw *** password=***"]
    assert "Content-Type: application/json" not in argv


def test_curl_for_uses_the_recorded_request() -> None:
    request = RequestRecord("GET", "https://h/ats/jobs?cursor=abc", {"Authorization": "Bearer x"})
    assert shlex.split(curl_for(request)) == [
        "curl", "-sS", "-X", "GET", "https://h/ats/jobs?cursor=abc",
        "-H", "Authorization: Bearer $KOMBO_API_KEY",
    ]  # fmt: skip
