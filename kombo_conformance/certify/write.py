"""Writing the certification reports: each rendered, masked once more, written atomically."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from kombo_conformance.atomic import write_text_atomic
from kombo_conformance.certify import (
    certification_html,
    certification_json,
    certification_junit,
    certification_md,
)
from kombo_conformance.certify.result import Certification
from kombo_conformance.redact import Redactor, env_secrets

WRITERS: tuple[tuple[str, Callable[[Certification], str]], ...] = (
    (certification_json.FILENAME, certification_json.render),
    (certification_html.FILENAME, certification_html.render),
    (certification_md.FILENAME, certification_md.render),
    (certification_junit.FILENAME, certification_junit.render),
)


def write_certification(
    certification: Certification, directory: str | Path, secrets: Iterable[str | None] = ()
) -> list[Path]:
    """Write every report into ``directory``; ``secrets`` (the API key) are masked as a last
    defence, with ``KOMBO_API_KEY`` from the environment."""
    redactor = Redactor([*secrets, *env_secrets()])
    return [
        write_text_atomic(Path(directory) / filename, redactor.text(render(certification)))
        for filename, render in WRITERS
    ]
