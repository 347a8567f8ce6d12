"""No generated request names a host the user did not choose (``strategies.urls``).

Every URL-looking string (``^[a-z][a-z0-9+.-]*://``) anywhere in a generated body must be on
the host of the user's ``data_url`` or under the reserved ``.invalid`` TLD: checked for the
project's strategies, for the contract's examples, and end to end through ``CaseGenerator``
(schemathesis with our overrides) for every write operation, positive and negative. The
scan here is the test's own, not ``strategies.urls.names_only_allowed_hosts``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kombo_conformance.contract import Contract, load_contract, prose_rules
from kombo_conformance.contract.resolve import Resolver
from kombo_conformance.generation import CaseGenerator, generation_document
from strategies.attachments import invalid_attachment, too_many_attachments
from strategies.bodies import request_bodies
from strategies.prose import rule_breaking
from strategies.urls import confine_examples, data_urls, names_only_allowed_hosts
from tests.strategies.seed_schemas import ORDER_RESULT, URI_V, sample

USER_URL = "https://files.example.org/conformance/report.pdf?signature=abc"
URL_LIKE = re.compile(r"^[a-z][a-z0-9+.-]*://")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
#: Operations whose bodies hold ``format: uri`` strings (``result_url``, ``data_url``, ``url``).
URI_OPERATIONS = {
    "PUT /assessment/orders/{assessment_order_id}/result",
    "POST /ats/applications/{application_id}/result-links",
    "POST /ats/candidates/{candidate_id}/result-links",
}
CASES_PER_MODE = 10


def urls_in(value: Any) -> list[str]:
    """Every URL-looking string anywhere in ``value``."""
    if isinstance(value, str):
        return [value] if URL_LIKE.match(value) else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [url for item in value for url in urls_in(item)]
    return []


def assert_hosts_allowed(value: Any, data_url: str | None) -> list[str]:
    """Every URL in ``value`` is on ``data_url``'s host or under ``.invalid``; returns them."""
    users_host = urlsplit(data_url).hostname if data_url else None
    found = urls_in(value)
    for url in found:
        host = urlsplit(url).hostname or ""
        assert host == users_host or host.endswith(".invalid"), url
    return found


@settings(max_examples=60)
@given(data_urls())
def test_data_urls_default_to_an_invalid_host(url: str) -> None:
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.hostname.endswith(".invalid"), url
    assert URI_V.is_valid(url), url


def test_data_urls_are_exactly_the_users_url() -> None:
    assert set(sample(data_urls(USER_URL), 20)) == {USER_URL}


@pytest.mark.parametrize("data_url", [None, USER_URL])
def test_strategies_draw_only_allowed_urls(contract: Contract, data_url: str | None) -> None:
    strict = contract.errata.strict(contract.document)
    schema = Resolver(strict).resolve(strict["components"]["schemas"][ORDER_RESULT])
    order_results = request_bodies(schema, data_url)
    files = schema["properties"]["attachments"]
    order_result = "PUT /assessment/orders/{assessment_order_id}/result"
    found = prose_rules.sites(contract, contract.operation(order_result))
    bodies = st.one_of(
        order_results,
        rule_breaking(order_results, found, data_url).map(lambda case: case.value),
        invalid_attachment(files["items"], data_url).map(lambda case: case.value),
        too_many_attachments(files, data_url).map(lambda case: case.value),
    )
    found = assert_hosts_allowed(sample(bodies, 200), data_url)
    if data_url is None:
        assert found
    else:
        assert set(found) == {data_url}


def _document_with_examples() -> dict[str, Any]:
    """A schema with URL examples, and a media type whose example body holds one."""
    link = {
        "type": "string",
        "format": "uri",
        "enum": ["https://www.example.com/a"],
        "example": "https://www.linkedin.com/in/frank-doe/",
        "default": "http://a.b",
    }
    body = {"url": "https://twitter.com/frank?x=1#top", "note": "see https://x.com", "n": 1}
    return {"schemas": {"Link": link}, "content": {"examples": {"one": {"value": body}}}}


def test_examples_move_to_the_invalid_host() -> None:
    document = _document_with_examples()
    confine_examples(document)
    link = document["schemas"]["Link"]
    assert link["example"] == "https://files.kombo-conformance.invalid/in/frank-doe/"
    assert link["default"] == "https://files.kombo-conformance.invalid/"
    assert link["enum"] == ["https://www.example.com/a"]  # schemas keep what they say
    assert document["content"]["examples"]["one"]["value"] == {
        "url": "https://files.kombo-conformance.invalid/frank?x=1#top",
        "note": "see https://x.com",
        "n": 1,
    }


def test_examples_become_the_users_url() -> None:
    document = _document_with_examples()
    confine_examples(document, USER_URL)
    assert document["schemas"]["Link"]["example"] == USER_URL
    assert document["content"]["examples"]["one"]["value"]["url"] == USER_URL


@pytest.mark.parametrize(
    ("value", "data_url", "expected"),
    [
        ({"a": [{"b": "https://x.kombo-conformance.invalid/f"}], "n": 1}, None, True),
        ({"a": [{"b": "http://example.com/f"}]}, None, False),
        ({"a": "HTTPS://Example.com/f"}, None, False),
        ({"a": "http://"}, None, False),
        ({"a": "see http://example.com"}, None, True),  # not a URL: does not start like one
        ({"a": USER_URL, "b": "https://files.example.org/other"}, USER_URL, True),
        ({"a": USER_URL}, None, False),
    ],
)
def test_last_check_judges_hand_made_bodies(
    value: Any, data_url: str | None, expected: bool
) -> None:
    assert names_only_allowed_hosts(value, data_url) is expected


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load_contract()


def _example_values(node: Any) -> list[Any]:
    """Values of every ``example``/``examples``/``default`` key anywhere in ``node``."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"example", "examples", "default"}:
                found.append(value)
            found += _example_values(value)
    elif isinstance(node, list):
        for item in node:
            found += _example_values(item)
    return found


@pytest.mark.parametrize("data_url", [None, USER_URL])
def test_generation_examples_name_no_foreign_host(contract: Contract, data_url: str | None) -> None:
    """schemathesis mixes these into positive cases, so they must be confined too."""
    assert any(urls_in(_example_values(contract.document)))  # the contract has URL examples
    found = assert_hosts_allowed(
        _example_values(generation_document(contract, data_url=data_url)), data_url
    )
    assert found and (data_url is None or set(found) == {data_url})


@pytest.fixture(scope="module")
def generators(contract: Contract) -> dict[str | None, CaseGenerator]:
    """Both generators exist before either runs: each must still use its own ``data_url``."""
    return {url: CaseGenerator(contract, seed=7, data_url=url) for url in (None, USER_URL)}


@pytest.mark.parametrize("data_url", [None, USER_URL])
def test_generated_bodies_name_no_foreign_host(
    generators: dict[str | None, CaseGenerator], data_url: str | None
) -> None:
    generator = generators[data_url]
    writes = [op for op in generator.contract.operations.values() if op.method in WRITE_METHODS]
    assert {op.key for op in writes} >= URI_OPERATIONS
    with_urls: set[tuple[str, str]] = set()
    for operation in writes:
        for mode in ("positive", "negative"):
            cases = generator.cases(
                operation, mode=mode, count=CASES_PER_MODE, integration_id="sandbox:conformance"
            )
            assert cases, (operation.key, mode)
            for case in cases:
                found = assert_hosts_allowed(case.body, data_url)
                if found:
                    with_urls.add((operation.key, mode))
                if data_url is not None and mode == "positive":
                    assert set(found) <= {data_url}, (operation.key, found)
    # Not vacuous: URLs were generated, in both modes, where the contract asks for them.
    assert {(key, "positive") for key in URI_OPERATIONS} <= with_urls
    assert any((key, "negative") in with_urls for key in URI_OPERATIONS)
