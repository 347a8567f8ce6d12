"""Reproductions: a one-line ``curl`` that replays a request, with no secret in it.

The Authorization header becomes ``"Authorization: Bearer $KOMBO_API_KEY"`` (double
quotes, so the shell expands the variable): the line runs as-is after
``export KOMBO_API_KEY=...``. Every other secret is masked as ``***``. All other arguments
are quoted with :func:`shlex.quote`.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable, Mapping
from typing import Any

from kombo_conformance.findings import RequestRecord
from kombo_conformance.redact import API_KEY_ENV, Redactor

_SCHEME = re.compile(r"[A-Za-z]+")


def _authorization_arg(name: str, value: str) -> str:
    """``"Authorization: <scheme> $KOMBO_API_KEY"``, quoted so the variable expands."""
    scheme, _, rest = str(value).partition(" ")
    scheme = scheme if rest and _SCHEME.fullmatch(scheme) else "Bearer"
    # ``name`` is "authorization" in some casing and ``scheme`` is letters only, so
    # nothing in the double-quoted word other than the variable is special to the shell.
    return f'"{name}: {scheme} ${API_KEY_ENV}"'


def _body_text(body: Any, redactor: Redactor) -> tuple[str, bool]:
    """The masked request body as sent, and whether it is JSON."""
    if isinstance(body, bytes | bytearray):
        body = bytes(body).decode("utf-8", errors="replace")
    if isinstance(body, str):
        return redactor.text(body), False
    return json.dumps(redactor.body(body), ensure_ascii=False, separators=(",", ":")), True


def curl_command(
    method: str,
    url: str,
    headers: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    body: Any = None,
    redactor: Redactor | None = None,
) -> str:
    """A runnable one-line curl for the request, secrets masked (see the module docstring)."""
    redactor = redactor or Redactor()
    pairs = list(headers.items() if isinstance(headers, Mapping) else headers or ())
    masked = redactor.headers(pairs)
    words = ["curl", "-sS", "-X", shlex.quote(method.upper()), shlex.quote(redactor.url(url))]
    for name, value in pairs:
        if name.lower() == "authorization":
            words += ["-H", _authorization_arg(name, value)]
        else:
            words += ["-H", shlex.quote(f"{name}: {masked[name]}")]
    if body is not None:
        data, is_json = _body_text(body, redactor)
        if is_json and not any(name.lower() == "content-type" for name, _ in pairs):
            words += ["-H", shlex.quote("Content-Type: application/json")]
        words += ["--data-raw", shlex.quote(data)]
    return " ".join(words)


def curl_for(request: RequestRecord, redactor: Redactor | None = None) -> str:
    """:func:`curl_command` for a finding's recorded request."""
    return curl_command(request.method, request.url, request.headers, request.body, redactor)
