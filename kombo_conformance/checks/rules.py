"""Where a rule comes from, as the text a finding's ``rule`` carries, and how severe a
finding may be when the contract is silent.

Only the contract's own rules are errors. A rule is cited as a schema keyword at its place,
a quoted sentence of a description, or a Kombo docs page; :func:`unstated` gives the
severity of a finding about something the contract does not promise (a ``warning``, an
``error`` only under ``--strict``).
"""

from __future__ import annotations

import re

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.contract import Operation
from kombo_conformance.findings import Severity

FETCHING_DATA = "Kombo docs: Fetching data (https://docs.kombo.dev/getting-started/fetching-data)"
ERRORS = "Kombo docs: Error handling (https://docs.kombo.dev/guides/errors)"

NEXT_CURSOR = (
    f"{FETCHING_DATA}: 'Each request returns either a value on the next field or null. The "
    "value will be a cursor which you can use to get the next page of results.'"
)
FILTERS_AND = (
    f"{FETCHING_DATA}: every filter 'Only return[s] objects' that match it, so filters sent "
    "together narrow together (AND)"
)
VALIDATION_CODE = (
    f"{ERRORS}: 'Kombo validates inputs and rejects the request with a platform validation "
    "error' (PLATFORM.INPUT_INVALID)"
)

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_PARAGRAPH = re.compile(r"\n\s*\n")


def sentence(text: str, needle: str = "") -> str:
    """The first sentence of ``text`` containing ``needle`` (any, without one), unmarked."""
    parts = [
        part
        for paragraph in _PARAGRAPH.split(text.replace("**", ""))
        for part in _SENTENCE.split(" ".join(paragraph.split()))
        if part
    ]
    found = [p for p in parts if needle.casefold() in p.casefold()]
    return (found or parts or [""])[0]


def parameter(operation: Operation, name: str, needle: str = "") -> str:
    """A query parameter's description, quoted (the sentence containing ``needle``)."""
    param = operation.conventions.query_parameters.get(name) or {}
    text = str(param.get("description") or (param.get("schema") or {}).get("description") or "")
    quoted = sentence(text, needle)
    where = f"query parameter `{name}` of {operation.key}"
    return f"{where}: '{quoted}'" if quoted else where


def keyword(name: str, value: object, where: str) -> str:
    """A schema keyword and its value at a place: ``schema: maxItems 5 at ...``."""
    return f"schema: {name} {value} at {where}"


def not_stated(what: str) -> str:
    """The source of a finding about something the contract leaves open."""
    return f"not stated in the contract: {what}"


def unstated(ctx: CheckContext) -> Severity:
    """Severity where the contract is silent: a warning, an error only with ``--strict``."""
    return "error" if ctx.strict else "warning"
