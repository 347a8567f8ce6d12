"""Rules stated only in prose: a description says what the schema does not encode."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from kombo_conformance.contract import pointer
from kombo_conformance.spec.context import Issue, LintContext

# (kind, phrasing) of rules that a description states; matched case-insensitively.
PROSE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(phrase, re.IGNORECASE))
    for kind, phrase in (
        ("one of several fields", r"must provide either|provide either\b|either this or"),
        ("conditionally required", r"required when|make sure this value is provided when"),
        ("conditionally required", r"if you provide [^.]{1,60}, this is required"),
        ("state transition", r"can only be (updated|changed|set)"),
    )
)
# Keywords with which a schema could encode such a rule on its object.
ENCODINGS = ("oneOf", "anyOf", "allOf", "if", "dependentRequired", "dependentSchemas", "not")


def stated_rules(description: Any) -> list[tuple[str, str]]:
    """(kind, sentence) for each prose rule in a description."""
    if not isinstance(description, str):
        return []
    sentences = re.split(r"(?<=[.!?])\s+|\n+", description)
    found = []
    for sentence in sentences:
        for kind, regex in PROSE_RULES:
            if regex.search(sentence):
                found.append((kind, " ".join(sentence.replace("*", "").split())))
                break
    return found


def _encoded(owner: dict[str, Any], name: str) -> bool:
    """Whether the object schema encodes something about property ``name`` structurally."""
    token = json.dumps(name)
    return any(token in json.dumps(owner.get(k), default=str) for k in ENCODINGS if k in owner)


def prose_only_rule(ctx: LintContext) -> Iterator[Issue]:
    """A property whose description states a rule its object schema does not encode.

    State transitions ("can only be updated ... if its current value is OPEN") cannot be
    encoded in a schema at all; they are reported so that tests cover them by hand.
    """
    for node in ctx.schemas:
        for name, prop in (node.schema.get("properties") or {}).items():
            if not isinstance(prop, dict):
                continue
            for kind, sentence in stated_rules(prop.get("description")):
                if kind != "state transition" and _encoded(node.schema, name):
                    continue
                yield Issue(
                    pointer.join(*pointer.split(node.pointer), "properties", name),
                    f"{kind} rule stated only in prose: {sentence!r}",
                    severity="advisory",
                    details={"kind": kind, "sentence": sentence},
                )
