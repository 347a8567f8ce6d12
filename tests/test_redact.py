"""Secret masking against hostile inputs: secrets by name, by value and by shape."""

from __future__ import annotations

import json

from kombo_conformance.redact import (
    MASK,
    Redactor,
    is_secret_name,
    mask_headers,
    mask_text,
    mask_url,
    mask_value,
)

KEY = "sk_live_9f8e7d6c5b4a"


def test_secret_names_are_case_and_separator_insensitive_but_key_is_not_secret() -> None:
    assert is_secret_name("X-API-KEY")
    assert is_secret_name("Api_Key")
    assert is_secret_name("apiKey")
    assert is_secret_name("client-secret")
    assert not is_secret_name("key")
    assert not is_secret_name("csrf_token")
    assert not is_secret_name("cursor")


def test_headers_with_odd_casing_are_masked_and_scheme_kept() -> None:
    masked = mask_headers(
        {"aUtHoRiZaTiOn": f"Bearer {KEY}", "X-Api-KEY": KEY, "Cookie": "s=1", "Accept": "json"}
    )
    assert masked == {
        "aUtHoRiZaTiOn": f"Bearer {MASK}",
        "X-Api-KEY": MASK,
        "Cookie": MASK,
        "Accept": "json",
    }


def test_known_secret_in_an_ordinary_header_is_masked() -> None:
    assert mask_headers([("X-Debug", f"used {KEY}")], [KEY]) == {"X-Debug": f"used {MASK}"}


def test_url_query_secrets_and_userinfo_masked_rest_untouched() -> None:
    url = f"https://bob:pw@api.example/v1/ats/jobs?cursor=a%20b&API_KEY={KEY}&page_size=5#frag"
    assert mask_url(url) == (
        f"https://bob:{MASK}@api.example/v1/ats/jobs?cursor=a%20b&API_KEY={MASK}&page_size=5#frag"
    )


def test_known_secret_url_encoded_in_a_path_is_masked() -> None:
    secret = "a/b+c=="
    assert mask_url("https://h/x/a%2Fb%2Bc%3D%3D/y", [secret]) == f"https://h/x/{MASK}/y"


def test_body_secrets_nested_in_lists_masked_and_key_field_kept() -> None:
    body = {
        "remote_fields": [{"key": "department", "value": "R&D"}],
        "auth": [{"access_token": "abc", "Refresh-Token": "def"}, {"password": None}],
        "note": f"created with {KEY}",
        "ids": (1, 2),
    }
    assert mask_value(body, [KEY]) == {
        "remote_fields": [{"key": "department", "value": "R&D"}],
        "auth": [{"access_token": MASK, "Refresh-Token": MASK}, {"password": None}],
        "note": f"created with {MASK}",
        "ids": [1, 2],
    }


def test_secret_in_error_message_text_is_masked() -> None:
    message = f"401 Unauthorized: API key {KEY} is not valid for integration greenhouse:8"
    assert mask_text(message, [KEY]) == (
        f"401 Unauthorized: API key {MASK} is not valid for integration greenhouse:8"
    )


def test_bearer_tokens_and_pairs_in_free_text_are_masked() -> None:
    text = (
        "sent Authorization: Bearer eyJhbGciOi.J9x-y_z and retried ?token=t0k&x=1; "
        'body was {"client_secret": "a \\"quoted\\" secret", "key": "name"}'
    )
    masked = mask_text(text)
    assert "eyJhbGciOi" not in masked and "t0k" not in masked and "quoted" not in masked
    assert masked == (
        f"sent Authorization: Bearer {MASK} and retried ?token={MASK}&x=1; "
        f'body was {{"client_secret": "{MASK}", "key": "name"}}'
    )


def test_basic_credentials_masked_but_the_word_basic_in_prose_kept() -> None:
    assert mask_text("Authorization: Basic dXNlcjpwYXNz") == f"Authorization: Basic {MASK}"
    assert mask_text("basic validation failed") == "basic validation failed"


def test_quoted_authorization_keeps_its_scheme() -> None:
    assert mask_text('{"Authorization": "Bearer abc", "Cookie": "s=1"}') == (
        f'{{"Authorization": "Bearer {MASK}", "Cookie": "{MASK}"}}'
    )


def test_masking_is_idempotent_and_keeps_shell_placeholders() -> None:
    text = 'curl -H "Authorization: Bearer $KOMBO_API_KEY" "https://h/?api_key=***"'
    assert mask_text(text) == text
    once = mask_text(f"Bearer {KEY} api_key={KEY}", [KEY])
    assert mask_text(once, [KEY]) == once


def test_json_escaped_secret_inside_serialised_text_is_masked() -> None:
    secret = 'p"w\\d'
    serialised = json.dumps({"note": f"x {secret} y"})
    assert secret not in mask_text(serialised, [secret])
    assert json.loads(mask_text(serialised, [secret])) == {"note": f"x {MASK} y"}


def test_redactor_bundles_the_functions_with_its_secrets() -> None:
    redactor = Redactor([KEY, "", None, KEY])
    assert redactor.secrets == (KEY,)
    assert redactor.text(f"k={KEY}") == f"k={MASK}"
    assert redactor.url(f"https://h/p?q={KEY}") == f"https://h/p?q={MASK}"
    assert redactor.headers({"X-Trace": KEY}) == {"X-Trace": MASK}
    assert redactor.body({"key": KEY}) == {"key": MASK}
