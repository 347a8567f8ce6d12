"""``status_code``: the rules on HTTP status that the contract's ``200`` + ``default`` cannot
express.

- success is 200 (Kombo documents no other success status);
- an error envelope (``status: error``) never comes with a 2xx;
- a 5xx is a finding for any request, valid or not;
- an error status (4xx, 5xx) carries a JSON error body (its shape is ``error_envelope``'s
  concern, its media type ``media_type``'s);
- status and ``error.code`` of a 4xx agree, per :data:`STATUS_OF_CODE`.

Each rule broken is its own finding: a 5xx with an HTML body breaks two.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.envelopes import says_error
from kombo_conformance.checks.finding import finding
from kombo_conformance.checks.rules import ERRORS
from kombo_conformance.exchange import Exchange
from kombo_conformance.findings import Finding


@dataclass(frozen=True)
class CodeStatus:
    """``codes`` (a regex over error.code) must come with a status passing ``ok``; when
    ``exclusive``, that status must come with one of those codes too (or a null code)."""

    codes: str
    expected: str
    ok: Callable[[int], bool]
    exclusive: bool = False
    rule: str = ""


STATUS_OF_CODE: tuple[CodeStatus, ...] = (
    CodeStatus(
        r"PLATFORM\.AUTHENTICATION_INVALID",
        "401",
        lambda s: s == 401,
        exclusive=True,
        rule="securitySchemes ApiKey (HTTP bearer): RFC 9110 answers bad credentials with 401",
    ),
    # 404 too: an unknown path or id is invalid input that Kombo has no NOT_FOUND code for
    CodeStatus(
        r"PLATFORM\.INPUT_INVALID",
        "400 (404 for an unknown id)",
        lambda s: s in (400, 404),
        rule=f"{ERRORS}: validation errors (PLATFORM.INPUT_INVALID) are client errors",
    ),
    CodeStatus(
        r"INTEGRATION\.\w+_NOT_AVAILABLE",
        "a 4xx",
        lambda s: 400 <= s < 500,
        rule=f"{ERRORS}: an unsupported model or action is refused (a client error)",
    ),
)
SERVER_ERROR = (
    "the contract documents a 200 and a `default` error envelope; a 5xx is the server "
    "failing, not an answer (schemathesis: not_a_server_error)"
)
SUCCESS_IS_200 = "responses: the contract documents 200 as the only success status"
ERROR_ENVELOPE = "responses.default: an error is the JSON error envelope (`status: error`)"


Problem = tuple[str, str]  # (message, rule source)


def _code_status_problem(status: int, code: str | None) -> Problem | None:
    if code is None:
        return None
    for rule in STATUS_OF_CODE:
        matches = re.fullmatch(rule.codes, code) is not None
        if matches and not rule.ok(status):
            return f"expected {rule.expected} with error.code {code}, got {status}", rule.rule
        if rule.exclusive and rule.ok(status) and not matches:
            return f"expected error.code /{rule.codes}/ with {status}, got {code}", rule.rule
    return None


def _problems(exchange: Exchange) -> list[Problem]:
    """Every rule on status the exchange breaks (a 5xx with an HTML body breaks two)."""
    status, body = exchange.status, exchange.json
    problems: list[Problem] = []
    if status >= 500:
        problems.append((f"expected no 5xx for any request, got {status}", SERVER_ERROR))
    if status < 400 and says_error(body):
        message = f"expected a 4xx with an error envelope, got {status} with `status: error`"
        problems.append((message, ERROR_ENVELOPE))
    elif status < 400 and status != 200:
        problems.append((f"expected 200 for a successful request, got {status}", SUCCESS_IS_200))
    if status >= 400 and not isinstance(body, dict):
        message = f"expected a JSON error envelope with {status}, got a non-JSON or non-object body"
        problems.append((message, ERROR_ENVELOPE))
    if 400 <= status < 500 and (mismatch := _code_status_problem(status, exchange.error_code)):
        problems.append(mismatch)
    return problems


def status_code(ctx: CheckContext, exchange: Exchange) -> list[Finding]:
    """HTTP status follows Kombo's rules (see the module docstring); one finding per rule
    broken."""
    return [
        finding(ctx, "status_code", message, exchange, rule=rule)
        for message, rule in _problems(exchange)
    ]
