"""Rules stated only in prose: a description says what the schema does not encode.

``prose_only_rule`` reports each such sentence (an advisory) and says whether a ``prose-rule``
erratum declares it (then generation, the checks and the sandbox enforce it) or not (then
nothing tests it). ``declared_prose_rule`` checks the declarations themselves against the
contract: the quoted sentence is still there, and the declared refusal codes are ones the
operations it applies to document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from kombo_conformance.contract import Erratum, pointer, prose_rules
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


def _same(sentence: str, quoted: str | None) -> bool:
    def plain(text: str) -> str:
        return " ".join(text.replace("*", "").split()).casefold()

    return quoted is not None and (
        plain(quoted) in plain(sentence) or plain(sentence) in plain(quoted)
    )


def _applies(rule: Erratum, where: str, schema: dict[str, Any]) -> bool:
    """The declared rule speaks of the object schema at ``where``."""
    props = set(schema.get("properties") or {})
    return (rule.pointer or "").lstrip("#") == where or (
        bool(rule.match) and set(rule.match) <= props
    )


def _named(rule: Erratum) -> set[str]:
    """The properties a rule is about: its own, and those its ``when``/``then`` name."""
    names = {rule.property_name or ""}
    for schema in (rule.when, rule.then):
        for part in [schema or {}, *((schema or {}).get("anyOf") or [])]:
            names |= set(part.get("required") or []) | set(part.get("properties") or {})
    return names


def _declaring(ctx: LintContext, where: str, schema: dict[str, Any], name: str, sentence: str):
    return next(
        (
            rule
            for rule in ctx.contract.errata.of_rule("prose-rule")
            if name in _named(rule)
            and _same(sentence, rule.sentence)
            and _applies(rule, where, schema)
        ),
        None,
    )


def prose_only_rule(ctx: LintContext) -> Iterator[Issue]:
    """A property whose description states a rule its object schema does not encode.

    State transitions ("can only be updated ... if its current value is OPEN") cannot be
    encoded in a schema at all; a ``lock`` prose rule declares them.
    """
    for node in ctx.schemas:
        for name, prop in (node.schema.get("properties") or {}).items():
            if not isinstance(prop, dict):
                continue
            for kind, sentence in stated_rules(prop.get("description")):
                if kind != "state transition" and _encoded(node.schema, name):
                    continue
                declared = _declaring(ctx, node.pointer, node.schema, name, sentence)
                said = (
                    "not declared in contracts/errata.yaml: nothing tests it"
                    if declared is None
                    else f"declared as prose rule {declared.id}: order_status_lock and the "
                    "sandbox enforce it"
                    if declared.lock
                    else f"declared as prose rule {declared.id}: generation, the checks and the "
                    "sandbox enforce it"
                )
                yield Issue(
                    pointer.join(*pointer.split(node.pointer), "properties", name),
                    f"{kind} rule stated only in prose: {sentence!r} ({said})",
                    severity="advisory",
                    details={"kind": kind, "sentence": sentence}
                    | ({"declared": declared.id} if declared else {}),
                )


def _descriptions(ctx: LintContext, rule: Erratum) -> list[tuple[str, str]]:
    """(pointer, description) of ``rule``'s property wherever the rule applies."""
    return [
        (node.pointer, str(prop.get("description") or ""))
        for node in ctx.schemas
        if _applies(rule, node.pointer, node.schema)
        for name, prop in (node.schema.get("properties") or {}).items()
        if name == rule.property_name and isinstance(prop, dict)
    ]


def declared_prose_rule(ctx: LintContext) -> Iterator[Issue]:
    """A declared prose rule that no longer matches the contract: its sentence is not in
    any description of its property where it applies, or it declares refusal codes an
    operation it applies to does not document. A rule applying nowhere (a contract
    without that schema) is not reported."""
    errata = ctx.contract.errata
    for rule in errata.of_rule("prose-rule"):
        places = _descriptions(ctx, rule)
        where = rule.pointer or (places[0][0] if places else "/")
        if places and not any(_same(text, rule.sentence) for _, text in places):
            yield Issue(
                where,
                f"prose rule {rule.id} quotes {rule.sentence!r}, which no description of "
                f"`{rule.property_name}` where it applies says (changed or removed?)",
                severity="warning",
                source=str(errata.source) if errata.source else None,
                details={"declared": rule.id},
            )
        for operation in ctx.contract.operations.values():
            envelope = operation.conventions.error_envelope
            applies = rule in errata.locks(operation.key) or any(
                site.rule.id == rule.id for site in prose_rules.sites(ctx.contract, operation)
            )
            if not applies or envelope is None:
                continue
            documented = envelope.codes | errata.extra_codes(operation.error_response_ref)
            for code in (c for c in rule.refused_with.codes if c not in documented):
                yield Issue(
                    where,
                    f"prose rule {rule.id} allows refusal code {code}, which {operation.key} "
                    "does not document",
                    severity="warning",
                    operation=operation.key,
                    source=str(errata.source) if errata.source else None,
                    details={"declared": rule.id, "code": code},
                )
