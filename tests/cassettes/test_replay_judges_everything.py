"""Replay judges everything a cassette holds (issue 15): media types, every problem of every
exchange, every page chain, and the recorded request. Cassettes are written by hand, in
vcrpy's format, as a cassette recorded outside this project would be."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_conformance.cassettes.replay import replay
from kombo_conformance.cli import main
from kombo_conformance.contract import Contract
from kombo_conformance.findings import Finding, Outcome

BASE = "https://api.kombo.dev/v1"
HEADERS = {"Authorization": ["Bearer ***"], "X-Integration-Id": ["sandbox:4Xy7"]}
TAGS = "/ats/tags"
ADD_TAG = "/ats/candidates/C1/tags"
INVALID = {
    "status": "error",
    "error": {
        "code": "PLATFORM.INPUT_INVALID",
        "title": "Invalid input",
        "message": "page_size must be a number",
        "log_url": "https://app.kombo.dev/logs?interactionId=1",
    },
}
NGINX_503 = (
    "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"
)


def tag(ident: str) -> dict[str, Any]:
    return {
        "id": ident,
        "remote_id": f"r-{ident}",
        "name": f"tag {ident}",
        "changed_at": "2024-05-01T10:00:00.000Z",
        "remote_deleted_at": None,
    }


def page(ids: list[str], next_cursor: str | None = None) -> str:
    records = [tag(i) for i in ids]
    return json.dumps({"status": "success", "data": {"next": next_cursor, "results": records}})


def interaction(
    path: str,
    body: str,
    status: int = 200,
    *,
    content_type: str | None = "application/json",
    method: str = "GET",
    headers: dict[str, list[str]] | None = None,
    request_body: Any = None,
) -> dict[str, Any]:
    """One vcrpy interaction, as vcrpy records it."""
    return {
        "request": {
            "body": None if request_body is None else json.dumps(request_body),
            "headers": HEADERS if headers is None else headers,
            "method": method,
            "uri": BASE + path,
        },
        "response": {
            "status": {"code": status, "message": ""},
            "headers": {"Content-Type": [content_type]} if content_type else {},
            "body": {"string": body},
        },
    }


def replayed(contract: Contract, tmp_path: Path, **cassettes: list[dict[str, Any]]) -> Outcome:
    """Replay hand-made cassettes of the connector ``sandbox`` (it declares every operation);
    keyword: the cassette's file stem."""
    folder = tmp_path / "cassettes" / "sandbox"
    folder.mkdir(parents=True, exist_ok=True)
    for stem, interactions in cassettes.items():
        document = {"interactions": interactions, "version": 1}
        (folder / f"{stem}.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    return replay(contract, folder.parent)


def of(outcome: Outcome, check: str) -> list[Finding]:
    return [f for f in outcome.findings if f.check == check]


def chain(ids: list[list[str]], prefix: str) -> list[dict[str, Any]]:
    """A chain of tag pages (page_size 2): page n is requested with the cursor of n - 1."""
    pages = []
    for n, records in enumerate(ids):
        cursor = f"&cursor={prefix}{n}" if n else ""
        following = f"{prefix}{n + 1}" if n + 1 < len(ids) else None
        pages.append(interaction(f"{TAGS}?page_size=2{cursor}", page(records, following)))
    return pages


def test_a_clean_recorded_session_gives_no_finding(contract: Contract, tmp_path: Path) -> None:
    outcome = replayed(
        contract,
        tmp_path,
        GET_ats_tags=[
            *chain([["a", "b"], ["c"]], "c"),
            interaction(f"{TAGS}?page_size=x", json.dumps(INVALID), 400),
        ],
        POST_ats_candidates_C1_tags=[
            interaction(
                ADD_TAG,
                json.dumps({"status": "success", "data": {}, "warnings": []}),
                method="POST",
                request_body={"tag": {"name": "senior"}},
            )
        ],
    )
    assert outcome.findings == []
    assert outcome.meta["judged"] == {"interactions": 4, "chains": 1, "not_judged": []}


def test_a_json_envelope_sent_as_text_xml(contract: Contract, tmp_path: Path) -> None:
    answer = interaction(TAGS, page(["a"]), content_type="text/xml; charset=utf-8")
    outcome = replayed(contract, tmp_path, GET_ats_tags=[answer])
    (finding,) = outcome.findings
    assert finding.check == "media_type" and finding.pointer == "header:Content-Type"
    assert "expected Content-Type application/json" in finding.message
    assert "got text/xml for a JSON body" in finding.message
    assert finding.rule == "responses.200.content of GET /ats/tags: application/json"
    assert finding.source and finding.source.endswith("GET_ats_tags.yaml#0")


def test_an_html_503_says_the_body_is_html(contract: Contract, tmp_path: Path) -> None:
    answer = interaction(TAGS, NGINX_503, 503, content_type="text/html")
    outcome = replayed(contract, tmp_path, GET_ats_tags=[answer])
    (media,) = of(outcome, "media_type")
    assert "got HTML (text/html, status 503)" in media.message
    assert "503 Service Temporarily Unavailable" in media.message  # the excerpt
    assert media.rule == "responses.default.content of GET /ats/tags: application/json"
    messages = [f.message for f in of(outcome, "status_code")]
    assert any("no 5xx" in m for m in messages) and any(
        "JSON error envelope" in m for m in messages
    )


def test_truncated_json_with_application_json(contract: Contract, tmp_path: Path) -> None:
    body = page(["a", "b"])[:70]
    outcome = replayed(contract, tmp_path, GET_ats_tags=[interaction(TAGS, body)])
    (media,) = of(outcome, "media_type")
    assert f"got truncated JSON at byte {len(body)} (application/json" in media.message
    assert of(outcome, "success_envelope")  # and the envelope is not there either


def test_each_defective_exchange_is_its_own_finding(contract: Contract, tmp_path: Path) -> None:
    answers = [
        interaction(f"{TAGS}?n={n}", NGINX_503, 503, content_type="text/html") for n in range(8)
    ]
    outcome = replayed(contract, tmp_path, GET_ats_tags=answers)
    media = of(outcome, "media_type")
    assert len(media) == 8 and len({f.source for f in media}) == 8
    assert len({f.message for f in media}) == 1  # the same problem, eight exchanges


def test_three_first_pages_of_one_query_are_three_chains(
    contract: Contract, tmp_path: Path
) -> None:
    recorded = [
        *chain([["a", "b"], ["c"]], "x"),  # clean
        *chain([["a", "b"], ["b", "c"]], "y"),  # repeats `b` on page 2
        *chain([["a", "b"], ["c", "d"], ["e"]], "z")[:2],  # page 3 was not recorded
    ]
    outcome = replayed(contract, tmp_path, GET_ats_tags=recorded)
    (repeat,) = outcome.findings
    assert repeat.check == "pagination" and "again on page 2" in repeat.message
    assert repeat.source and repeat.source.endswith("#3")  # in the second chain
    judged = outcome.meta["judged"]
    assert (judged["interactions"], judged["chains"]) == (6, 3)
    (missing,) = judged["not_judged"]
    assert missing["source"].endswith("#4") and "'z2'" in missing["reason"]
    assert "not recorded" in missing["reason"]


def test_chains_with_the_same_cursors_stay_apart(contract: Contract, tmp_path: Path) -> None:
    recorded = [*chain([["a", "b"], ["c"]], "c"), *chain([["a", "b"], ["b", "d"]], "c")]
    outcome = replayed(contract, tmp_path, GET_ats_tags=recorded)
    assert [f.source.rsplit("#", 1)[1] for f in outcome.findings if f.source] == ["3"]
    assert outcome.meta["judged"]["chains"] == 2


def test_a_page_no_chain_reaches_is_listed_as_not_judged(
    contract: Contract, tmp_path: Path
) -> None:
    orphan = interaction(f"{TAGS}?page_size=2&cursor=lost", page(["c"]))
    outcome = replayed(contract, tmp_path, GET_ats_tags=[orphan])
    assert outcome.findings == []
    (item,) = outcome.meta["judged"]["not_judged"]
    assert "'lost'" in item["reason"] and item["source"].endswith("#0")


@pytest.mark.parametrize(
    ("request_headers", "request_body", "expected", "rule"),
    [
        (
            {"Authorization": ["Bearer ***"]},
            {"tag": {"name": "senior"}},
            "required header parameter `X-Integration-Id` is missing",
            "header parameter `X-Integration-Id` of POST /ats/candidates/{candidate_id}/tags "
            "is `required: true`",
        ),
        (HEADERS, {"tag": {}}, "its body is invalid: 'name' is a required property", "schema:"),
        (HEADERS, None, "it carried no body", "errata request-bodies-not-marked-required"),
    ],
)
def test_a_success_to_a_request_it_must_refuse(
    contract: Contract, tmp_path: Path, request_headers, request_body, expected, rule
) -> None:
    answer = interaction(
        ADD_TAG,
        json.dumps({"status": "success", "data": {}, "warnings": []}),
        method="POST",
        headers=request_headers,
        request_body=request_body,
    )
    outcome = replayed(contract, tmp_path, POST_ats_candidates_C1_tags=[answer])
    (finding,) = outcome.findings
    assert finding.check == "recorded_request"
    assert finding.message.startswith("the target accepted a request it must refuse")
    assert expected in finding.message and rule in (finding.rule or "")


def test_a_200_to_a_list_request_without_integration_id(contract: Contract, tmp_path: Path) -> None:
    answer = interaction(TAGS, page(["a"]), headers={"Authorization": ["Bearer ***"]})
    outcome = replayed(contract, tmp_path, GET_ats_tags=[answer])
    (finding,) = outcome.findings
    assert finding.check == "recorded_request" and "X-Integration-Id" in finding.message


def test_the_terminal_summary_states_what_was_judged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "cassettes" / "sandbox"
    folder.mkdir(parents=True)
    recorded = [*chain([["a", "b"], ["c"]], "x"), *chain([["a", "b"]], "y")]
    document = {"interactions": recorded, "version": 1}
    (folder / "GET_ats_tags.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    code = main(["replay", str(folder.parent), "--report-dir", str(tmp_path / "reports")])
    assert code == 0
    assert "judged 3 interactions and 2 page chains; not judged: 0" in capsys.readouterr().err
