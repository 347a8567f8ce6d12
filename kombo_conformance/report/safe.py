"""The redacted copy of an Outcome that the writers render: nothing secret survives it.

Secrets known by value come from ``outcome.meta["secrets"]`` (a string or a list; the key
itself never reaches a report) and from the ``KOMBO_API_KEY`` environment variable.
Findings without a reproduction get a curl built from their request.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kombo_conformance.findings import Case, Finding, Outcome, RequestRecord, ResponseExcerpt
from kombo_conformance.redact import Redactor, env_secrets
from kombo_conformance.repro import curl_for

SECRETS_META_KEY = "secrets"


def redactor_for(outcome: Outcome) -> Redactor:
    declared = outcome.meta.get(SECRETS_META_KEY) or ()
    if isinstance(declared, str):
        declared = (declared,)
    return Redactor([*map(str, declared), *env_secrets()])


def _optional(value: str | None, redactor: Redactor) -> str | None:
    return None if value is None else redactor.text(value)


def _request(request: RequestRecord, redactor: Redactor) -> RequestRecord:
    return RequestRecord(
        method=redactor.text(request.method),
        url=redactor.url(request.url),
        headers=redactor.headers(request.headers),
        body=redactor.body(request.body),
    )


def redact_finding(finding: Finding, redactor: Redactor) -> Finding:
    """Every text field masked; a missing reproduction built from the request."""
    reproduction = finding.reproduction
    if reproduction is None and finding.request is not None:
        reproduction = curl_for(finding.request, redactor)
    response = finding.response
    return replace(
        finding,
        check=redactor.text(finding.check),
        message=redactor.text(finding.message),
        connector=redactor.text(finding.connector),
        operation=redactor.text(finding.operation),
        pointer=_optional(finding.pointer, redactor),
        source=_optional(finding.source, redactor),
        rule=_optional(finding.rule, redactor),
        request=finding.request and _request(finding.request, redactor),
        response=response and ResponseExcerpt(response.status, redactor.text(response.excerpt)),
        reproduction=_optional(reproduction, redactor),
        details=redactor.body(finding.details),
    )


def redact_case(case: Case, redactor: Redactor) -> Case:
    """Names and the note masked; verdict and ``bounded`` kept."""
    return replace(
        case,
        connector=redactor.text(case.connector),
        operation=redactor.text(case.operation),
        check=redactor.text(case.check),
        note=redactor.text(case.note),
    )


def public_meta(outcome: Outcome, redactor: Redactor) -> dict[str, Any]:
    """``meta`` without the secrets key, every string in it (the record changes included)
    masked."""
    meta = {k: v for k, v in outcome.meta.items() if k != SECRETS_META_KEY}
    return redactor.body(meta)


def redact_outcome(outcome: Outcome) -> tuple[Outcome, Redactor]:
    """A masked copy of ``outcome`` and the redactor to pass final output through."""
    redactor = redactor_for(outcome)
    safe = Outcome(
        command=redactor.text(outcome.command),
        findings=[redact_finding(f, redactor) for f in outcome.findings],
        cases=[redact_case(c, redactor) for c in outcome.cases],
        started_at=redactor.text(outcome.started_at),
        duration_s=outcome.duration_s,
        meta=public_meta(outcome, redactor),
    )
    return safe, redactor
