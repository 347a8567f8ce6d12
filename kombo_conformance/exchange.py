"""One HTTP request and its response, independent of how it was obtained.

A live run, the pytest plugin and cassette replay all produce ``Exchange`` objects, so every
check works on all of them alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    """A request as sent: ``path`` is relative to the base URL (``/ats/jobs``)."""

    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # JSON-able value, or None for no body
    raw_body: bytes | None = None  # sent verbatim instead of `body` when set (malformed input)


@dataclass(frozen=True)
class Exchange:
    """A request, the operation it exercised, and the response the target gave."""

    request: Request
    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    elapsed_s: float = 0.0
    operation: str = ""  # "METHOD /path" of the contract, "" when it matched none
    connector: str = ""
    source: str | None = None  # e.g. "cassettes/homerun/GET_ats_jobs.yaml#3" when replayed

    @cached_property
    def json(self) -> Any:
        """The parsed JSON body, or None when the body is empty or not JSON."""
        try:
            return json.loads(self.content) if self.content else None
        except (ValueError, UnicodeDecodeError):
            return None

    @property
    def is_json(self) -> bool:
        return self.json is not None

    @property
    def error_code(self) -> str | None:
        body = self.json
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            code = body["error"].get("code")
            return code if isinstance(code, str) else None
        return None

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.url).query, keep_blank_values=True)

    def excerpt(self, limit: int = 500) -> str:
        text = self.content.decode("utf-8", errors="replace")
        return text if len(text) <= limit else text[:limit] + "…"
