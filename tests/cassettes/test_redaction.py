"""Nothing secret or personal reaches a cassette: hostile inputs, stable fakes."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import yaml

from kombo_conformance.cassettes.pii import FAKE_DOMAIN, PiiFaker
from kombo_conformance.settings import SANDBOX_API_KEY
from tests.cassettes.conftest import exchange, saved_text

KEY = SANDBOX_API_KEY


def test_keys_in_query_strings_are_masked(tmp_path: Path) -> None:
    text = saved_text(
        tmp_path,
        exchange(query=f"api_key={KEY}&token=t0k3n-secret&q={KEY}&page_size=2", body={}),
    )
    assert KEY not in text and "t0k3n-secret" not in text
    assert "page_size=2" in text


def test_keys_nested_in_json_lists_are_masked(tmp_path: Path) -> None:
    body = {
        "status": "success",
        "data": {
            "results": [
                {"id": "a", "config": [{"api_key": "nested-secret"}, {"client_secret": "cs-9"}]},
                {"id": "b", "note": f"use {KEY} here", "tokens": ["Bearer abc.def.ghi"]},
            ]
        },
    }
    text = saved_text(tmp_path, exchange(body=body, request_body={"list": [{"password": "pw1"}]}))
    for secret in ("nested-secret", "cs-9", KEY, "abc.def.ghi", "pw1"):
        assert secret not in text


def test_keys_in_error_messages_and_bearer_tokens_in_text_are_masked(tmp_path: Path) -> None:
    error = {
        "status": "error",
        "error": {"code": "PLATFORM.AUTHENTICATION_INVALID", "message": f"key {KEY} rejected"},
    }
    plain = b"upstream said: Authorization: Bearer eyJhbGciOi.payload.sig; apikey=zz-top"
    text = saved_text(
        tmp_path,
        exchange(body=error, status=401),
        exchange(content=plain, status=502, operation="GET /ats/users", path="/ats/users"),
    )
    for secret in (KEY, "eyJhbGciOi.payload.sig", "zz-top"):
        assert secret not in text
    assert "Bearer ***" in text  # the scheme stays visible, the token does not


def test_url_encoded_key_is_masked(tmp_path: Path) -> None:
    text = saved_text(tmp_path, exchange(query="x=" + KEY.replace("-", "%2D"), body={}))
    assert "sandbox%2Dkey" not in text and KEY not in text


CANDIDATE = {
    "id": "c1",
    "first_name": "Grace",
    "last_name": "Hopper",
    "name": "Grace Hopper",
    "email_addresses": [{"email_address": "grace.hopper7@example.org", "type": "PERSONAL"}],
    "phone_numbers": [{"phone_number": "+49 30 1234567", "type": "MOBILE"}],
    "title": "Rear Admiral",
}


def test_personal_data_is_faked_and_stable() -> None:
    faker = PiiFaker()
    first = faker.value({"results": [CANDIDATE]})["results"][0]
    again = PiiFaker().value({"application": {"candidate": CANDIDATE}})["application"]["candidate"]
    assert first == again  # same input, same fake, in another record and another recorder
    for real in ("Grace", "Hopper", "grace.hopper7@example.org", "+49 30 1234567"):
        assert real not in json.dumps(first)
    assert first["email_addresses"][0]["email_address"].endswith("@" + FAKE_DOMAIN)
    assert first["name"] == f"{first['first_name']} {first['last_name']}"
    assert first["title"] == "Rear Admiral" and first["id"] == "c1"  # not personal data
    other = faker.value({**CANDIDATE, "first_name": "Ada"})
    assert other["first_name"] != first["first_name"]


def test_job_names_stay_but_notes_and_attachments_are_faked() -> None:
    faker = PiiFaker()
    job = faker.value({"id": "j1", "name": "Backend Engineer"})
    note = faker.value({"content": "Grace was brilliant", "content_type": "PLAIN_TEXT"})
    raw = base64.b64encode(b"CV of Grace Hopper").decode()
    attachment = faker.value(
        {"attachment": {"name": "Grace CV.pdf", "data": raw, "content_type": "application/pdf"}}
    )["attachment"]
    assert job["name"] == "Backend Engineer"
    assert "Grace" not in note["content"]
    assert attachment["data"] != raw and b"Grace" not in base64.b64decode(attachment["data"])
    assert attachment["name"].endswith(".pdf") and "Grace" not in attachment["name"]


def test_free_text_echoes_are_scrubbed() -> None:
    faker = PiiFaker()
    faker.value(CANDIDATE)
    message = faker.text("candidate Grace Hopper (grace.hopper7@example.org) exists; ask bob@x.io")
    assert "Grace" not in message and "Hopper" not in message
    assert "@example.org" not in message and "bob@x.io" not in message


def test_email_filters_in_query_are_faked(tmp_path: Path) -> None:
    text = saved_text(
        tmp_path, exchange(query="email=grace.hopper7%40example.org&work_emails=a@b.co", body={})
    )
    assert "hopper" not in text and "a@b.co" not in text


def test_no_redact_pii_keeps_personal_data_but_not_secrets(tmp_path: Path) -> None:
    text = saved_text(
        tmp_path,
        exchange(body={"status": "success", "data": CANDIDATE}, query=f"api_key={KEY}"),
        redact_pii=False,
    )
    assert "grace.hopper7@example.org" in text and "Hopper" in text
    assert KEY not in text


def test_recorded_request_bodies_keep_relationships(tmp_path: Path) -> None:
    created = exchange(
        "/ats/candidates",
        {"status": "success", "data": CANDIDATE},
        method="POST",
        request_body={"candidate": {k: CANDIDATE[k] for k in ("first_name", "last_name")}},
        operation="POST /ats/candidates",
    )
    saved_text(tmp_path, created)
    cassette = yaml.safe_load((tmp_path / "homerun" / "POST_ats_candidates.yaml").read_text())
    interaction = cassette["interactions"][0]
    sent = json.loads(interaction["request"]["body"])["candidate"]
    answered = json.loads(interaction["response"]["body"]["string"])["data"]
    assert sent["first_name"] == answered["first_name"] != "Grace"
