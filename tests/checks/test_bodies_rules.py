"""negative_bodies / edge_bodies: schema rules want 400 PLATFORM.INPUT_INVALID, prose rules
the refusal their declaration allows; the data_url edge case only ever uses the user's URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from kombo_conformance.checks import PROBES
from kombo_conformance.checks.mutations import Mutation, mutations
from kombo_conformance.contract import prose_rules
from kombo_conformance.exchange import Exchange, Request
from tests.checks.factory import error_body
from tests.checks.fakes import reply

ORDER_RESULT = "PUT /assessment/orders/{assessment_order_id}/result"
ATTACHMENT = "POST /ats/candidates/{candidate_id}/attachments"

Answer = Callable[[Mutation], tuple[int, object]]


def every_mutation(ctx, data_url: str | None = None) -> list[Mutation]:
    found = prose_rules.sites(ctx.contract, ctx.operation)
    schema = ctx.operation.conventions.request_schema
    return mutations(schema, ctx.contract.errata, data_url, found)


def answering(ctx, answer: Answer) -> list[Mutation]:
    """Make ``ctx.send`` answer each mutated body with ``answer(mutation)``; everything
    else goes to the sandbox. Returns the mutations recognised, in order."""
    sandbox_send = ctx.send
    every = every_mutation(ctx)
    base: list[object] = []
    seen: list[Mutation] = []

    def send(request: Request) -> Exchange:
        if request.method == "GET":
            return sandbox_send(request)
        if not base:
            base.append(request.body)
            return sandbox_send(request)
        mutation = next(m for m in every if m.apply(base[0]) == request.body)
        seen.append(mutation)
        status, body = answer(mutation)
        return reply(request, status, body, ctx.operation.key)

    ctx.send = send
    return seen


def remote_for_prose(mutation: Mutation) -> tuple[int, object]:
    """A correct server whose connected tool refuses prose-only rules."""
    code = "REMOTE.INPUT_INVALID" if mutation.source == "prose" else "PLATFORM.INPUT_INVALID"
    return 400, error_body(code)


@pytest.mark.parametrize("operation", [ORDER_RESULT, ATTACHMENT])
def test_remote_input_invalid_for_a_prose_rule_is_no_finding(
    sandbox, live_context, operation
) -> None:
    ctx = live_context(sandbox, "sandbox", operation)
    seen = answering(ctx, remote_for_prose)
    result = PROBES["negative_bodies"](ctx)
    assert {m.source for m in seen} == {"schema", "prose"}
    assert result.findings == [] and result.verdict == "passed"


def test_a_schema_rule_refused_with_another_code_is_a_warning(sandbox, live_context) -> None:
    ctx = live_context(sandbox, "sandbox", ORDER_RESULT)
    answering(ctx, lambda m: (400, error_body("REMOTE.INPUT_INVALID")))
    result = PROBES["negative_bodies"](ctx)
    every = every_mutation(ctx)
    schema = {m.name for m in every if (m.kind, m.source) == ("invalid", "schema")}
    assert {f.severity for f in result.findings} == {"warning"}
    assert {f.pointer for f in result.findings} == schema
    assert all("PLATFORM.INPUT_INVALID" in f.rule for f in result.findings)
    strict = live_context(sandbox, "sandbox", ORDER_RESULT, strict=True)
    answering(strict, lambda m: (400, error_body("REMOTE.INPUT_INVALID")))
    assert {f.severity for f in PROBES["negative_bodies"](strict).findings} == {"error"}


def test_a_prose_rule_refused_without_a_documented_code_is_a_warning(sandbox, live_context) -> None:
    ctx = live_context(sandbox, "sandbox", ORDER_RESULT)
    answering(
        ctx,
        lambda m: (400, error_body(None if m.source == "prose" else "PLATFORM.INPUT_INVALID")),
    )
    result = PROBES["negative_bodies"](ctx)
    assert result.findings and {f.severity for f in result.findings} == {"warning"}
    assert all(f.rule.startswith("not stated in the contract") for f in result.findings)


def test_an_accepted_prose_rule_violation_is_an_error_citing_the_sentence(
    sandbox, live_context
) -> None:
    ctx = live_context(sandbox, "sandbox", ORDER_RESULT)
    answering(
        ctx,
        lambda m: (
            (200, {"status": "success", "data": {}, "warnings": []})
            if m.name == "order-result-completed-at-when-final"
            else remote_for_prose(m)
        ),
    )
    (accepted,) = PROBES["negative_bodies"](ctx).findings
    pointer = "order-result-completed-at-when-final"
    assert (accepted.severity, accepted.pointer) == ("error", pointer)
    assert "Please make sure this value is provided when the `status`" in accepted.rule
    assert "errata id order-result-completed-at-when-final" in accepted.rule


def test_an_accepted_schema_rule_violation_is_an_error(sandbox, live_context) -> None:
    ctx = live_context(sandbox, "sandbox", ORDER_RESULT)
    answering(
        ctx,
        lambda m: (
            (200, {"status": "success", "data": {}, "warnings": []})
            if m.name == "attachments-7"
            else remote_for_prose(m)
        ),
    )
    (accepted,) = PROBES["negative_bodies"](ctx).findings
    assert (accepted.severity, accepted.pointer) == ("error", "attachments-7")
    assert accepted.rule.startswith("schema: maxItems 5 at request body #/properties/attachments")


def test_every_mutation_names_its_rule(sandbox, live_context) -> None:
    for operation in (ORDER_RESULT, ATTACHMENT):
        ctx = live_context(sandbox, "sandbox", operation)
        for mutation in every_mutation(ctx, "https://files.example.org/a.pdf"):
            assert mutation.rule.startswith(f"{mutation.source}: "), mutation
            if mutation.source == "prose":
                assert "errata id " in mutation.rule


def _data_urls(result) -> list[str]:
    return [
        e.request.body["attachment"]["data_url"]
        for e in result.exchanges
        if isinstance(e.request.body, dict)
        and "data_url" in (e.request.body.get("attachment") or {})
    ]


def test_the_data_url_case_is_skipped_without_a_url_of_the_users(sandbox, live_context) -> None:
    ctx = live_context(sandbox, "sandbox", ATTACHMENT)
    result = PROBES["edge_bodies"](ctx)
    assert result.findings == [] and _data_urls(result) == []
    assert "data_url edge case not sent: pass --data-url" in result.note


def test_the_data_url_case_uses_the_users_url(sandbox, live_context) -> None:
    url = "https://files.example.org/conformance.pdf"
    ctx = live_context(sandbox, "sandbox", ATTACHMENT, data_url=url)
    result = PROBES["edge_bodies"](ctx)
    assert result.findings == [] and _data_urls(result) == [url]
    assert "data_url" not in result.note


def test_a_refused_example_is_inconclusive(sandbox, live_context) -> None:
    ctx = live_context(sandbox, "sandbox", ORDER_RESULT)
    sandbox_send = ctx.send

    def refuse_writes(request: Request) -> Exchange:
        exchange = sandbox_send(request)
        if request.method == "GET":
            return exchange
        return replace(exchange, status=400, content=b'{"status": "error", "error": {}}')

    ctx.send = refuse_writes
    result = PROBES["negative_bodies"](ctx)
    assert [(f.severity, f.pointer) for f in result.findings] == [("warning", "example")]
    assert result.verdict == "inconclusive"
