"""Error envelopes: every operation has the default error response of its use case, and
examples only use the codes their envelope declares.

Which envelope a schema is, is read from its ``error.code`` enum (see
:mod:`kombo_conformance.contract.conventions`): use-case codes (``ATS.*``, ``INTEGRATION.*``)
mark the ATS envelope, ``PLATFORM.*`` alone the general one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from kombo_conformance.contract.conventions import ErrorEnvelope
from kombo_conformance.contract.examples import iter_examples
from kombo_conformance.spec.context import Issue, LintContext

# Kombo's convention: ATS and Assessment (which is ATS-based) share the ATS envelope, LMS
# uses the general one. A use case not listed must agree with the majority of its operations.
ENVELOPE_OF_USE_CASE = {"ats": "ats", "assessment": "ats", "lms": "general"}


def envelope_of(schema: Any) -> ErrorEnvelope | None:
    """The error envelope a (resolved) schema is, if it is one: ``error.code`` with an enum."""
    if not isinstance(schema, dict):
        return None
    error = (schema.get("properties") or {}).get("error")
    code = ((error or {}).get("properties") or {}).get("code") if isinstance(error, dict) else None
    if not isinstance(code, dict) or not isinstance(code.get("enum"), list):
        return None
    return ErrorEnvelope(schema=schema, codes=frozenset(c for c in code["enum"] if c))


def _code_of(value: Any) -> Any:
    error = value.get("error") if isinstance(value, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def example_error_code_outside_enum(ctx: LintContext) -> Iterator[Issue]:
    """An error example whose ``error.code`` is not in its own envelope's code enum."""
    for example in iter_examples(ctx.document):
        envelope = envelope_of(ctx.resolve(example.schema))
        code = _code_of(example.value)
        if envelope is None or code is None or code in envelope.codes:
            continue
        yield Issue(
            example.pointer,
            f"error code {code!r} is not in this {envelope.use_case} envelope's code enum "
            f"({len(envelope.codes)} codes)",
            details={"code": code, "envelope": envelope.use_case},
        )


def missing_default_error_response(ctx: LintContext) -> Iterator[Issue]:
    """An operation without a ``default`` response carrying a JSON error envelope."""
    for key, op in ctx.contract.operations.items():
        if op.conventions.error_envelope is None:
            yield Issue(
                f"{op.pointer}/responses",
                "no default error response with a JSON error envelope (error.code enum)",
                operation=key,
            )


def _expected_envelopes(ctx: LintContext) -> dict[str, str]:
    votes: dict[str, Counter[str]] = {}
    for op in ctx.contract.operations.values():
        if op.conventions.error_envelope is not None:
            votes.setdefault(op.use_case, Counter())[op.conventions.error_envelope.use_case] += 1
    majority = {case: count.most_common(1)[0][0] for case, count in votes.items()}
    return majority | ENVELOPE_OF_USE_CASE


def wrong_error_envelope(ctx: LintContext) -> Iterator[Issue]:
    """An operation whose default response is the other use case's envelope."""
    expected = _expected_envelopes(ctx)
    for key, op in ctx.contract.operations.items():
        envelope = op.conventions.error_envelope
        want = expected.get(op.use_case)
        if envelope is not None and want is not None and envelope.use_case != want:
            yield Issue(
                f"{op.pointer}/responses/default",
                f"{op.use_case} operations use the {want} error envelope, this one the "
                f"{envelope.use_case} one (codes: {', '.join(sorted(envelope.codes)[:3])}, ...)",
                operation=key,
                details={"expected": want, "found": envelope.use_case},
            )
