"""What may reach a cassette: secrets always masked, personal data faked unless disabled.

Secrets go through :class:`kombo_conformance.redact.Redactor` (the Authorization header and
other secret headers, secret-named query parameters and body keys, the known API keys by
value in any string, bearer tokens in text); personal data through :class:`PiiFaker`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from kombo_conformance.cassettes.pii import PiiFaker
from kombo_conformance.redact import Redactor, env_secrets


class Sanitizer:
    """Scrubs URLs, headers, JSON bodies and text of one recording (fakes stay stable)."""

    def __init__(self, secrets: Iterable[str | None] = (), *, redact_pii: bool = True) -> None:
        self.redactor = Redactor([*secrets, *env_secrets()])
        self.pii = PiiFaker() if redact_pii else None

    def url(self, url: str) -> str:
        masked = self.redactor.url(url)
        if self.pii is None:
            return masked
        parts = urlsplit(masked)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        faked = [(k, self.pii.value(v, k)) for k, v in pairs]
        if faked == pairs:
            return urlunsplit(parts._replace(path=self.pii.text(parts.path)))
        query = urlencode(faked, safe="*,:{}[]/")
        return urlunsplit(parts._replace(path=self.pii.text(parts.path), query=query))

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
