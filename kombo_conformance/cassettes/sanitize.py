"""What may reach a cassette: secrets always masked, personal data faked unless disabled.

Secrets go through :class:`kombo_conformance.redact.Redactor` (the Authorization header and
other secret headers, secret-named query parameters and body keys, the known API keys by
value in any string, bearer tokens in text); personal data through :class:`PiiFaker`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from kombo_conformance.cassettes.pii import PiiFaker
from kombo_conformance.redact import Redactor, env_secrets

QUERY_SAFE = "*,:{}[]/"
PATH_SAFE = "/{}*:@,"


class Sanitizer:
    """Scrubs URLs, headers, JSON bodies and text of one recording (fakes stay stable)."""

    def __init__(self, secrets: Iterable[str | None] = (), *, redact_pii: bool = True) -> None:
        self.redactor = Redactor([*secrets, *env_secrets()])
        self.pii = PiiFaker() if redact_pii else None

    def url(self, url: str) -> str:
        """Masked and faked, also inside percent-encoded query values and path segments."""
        parts = urlsplit(self.redactor.url(url))
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        cleaned = [(self.text(k), self._query_value(k, v)) for k, v in pairs]
        if cleaned != pairs:
            parts = parts._replace(query=urlencode(cleaned, safe=QUERY_SAFE))
        path = unquote(parts.path)
        if self.text(path) != path:
            parts = parts._replace(path=quote(self.text(path), safe=PATH_SAFE))
        return urlunsplit(parts)

    def _query_value(self, name: str, value: str) -> str:
        masked = self.redactor.text(value)
        return masked if self.pii is None else self.pii.value(masked, name)

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        masked = self.redactor.headers(headers)
        if self.pii is None:
            return masked
        return {name: self.pii.value(value, name) for name, value in masked.items()}

    def body(self, body: Any) -> Any:
        masked = self.redactor.body(body)
        return masked if self.pii is None else self.pii.value(masked)

    def text(self, text: str) -> str:
        masked = self.redactor.text(text)
        return masked if self.pii is None else self.pii.text(masked)
