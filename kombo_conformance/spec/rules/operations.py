"""Operation-level soundness: request bodies and documented status codes."""

from __future__ import annotations

from collections.abc import Iterator

from kombo_conformance.contract.effects import EXTENSION
from kombo_conformance.spec.context import Issue, LintContext

VACUOUS_STATUSES = frozenset({"200", "default"})


def request_body_not_required(ctx: LintContext) -> Iterator[Issue]:
    """A request body without ``required: true``: an empty request is then valid."""
    for key, op in ctx.contract.operations.items():
        if op.definition.get("requestBody") and not op.conventions.request_required:
            yield Issue(
                f"{op.pointer}/requestBody",
                "request body is not marked required, so a request without a body is valid; "
                "add `required: true`",
                severity="warning",
                operation=key,
            )


def vacuous_status_codes(ctx: LintContext) -> Iterator[Issue]:
    """Only ``200`` and ``default`` documented: any status is then valid and checks on it
    (4xx for bad input, 404 for unknown ids) can never fail."""
    for key, op in ctx.contract.operations.items():
        statuses = set(map(str, op.definition.get("responses") or {}))
        if statuses and statuses <= VACUOUS_STATUSES:
            yield Issue(
                f"{op.pointer}/responses",
                f"only {', '.join(sorted(statuses))} documented: every status code conforms, "
                "so status checks are vacuous; document the 4xx/5xx the operation returns",
                severity="warning",
                operation=key,
            )


def write_without_effects(ctx: LintContext) -> Iterator[Issue]:
    """A write operation without ``x-kombo-effects``: nothing says what it changes, so
    ``read_after_write`` can only check that a created id is listed, and the sandbox answers
    it from the response schema without changing its store (contracts/README.md, "Write
    effects")."""
    for key, op in ctx.contract.operations.items():
        if op.method != "GET" and EXTENSION not in op.definition:
            yield Issue(
                op.pointer,
                f"write operation declares no `{EXTENSION}`: what it changes is not checked "
                "and the sandbox does not carry it out; declare its effects (`changes: []` "
                "when it changes nothing readable)",
                severity="warning",
                operation=key,
            )
