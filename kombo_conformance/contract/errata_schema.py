"""The JSON Schema of ``contracts/errata.yaml``: what each kind of erratum must declare.

``load_errata`` validates the file against it, so a typo (``rule: prose-rul``, a ``when``
that is not a schema, a lock without ``open`` values) is a contract error naming the entry,
never a rule that silently never applies.
"""

from __future__ import annotations

from typing import Any

RULES = (
    "nullable-enum-omits-null",
    "invalid-example",
    "prose-rule",
    "undocumented-codes",
    "request-body-required",
)

PROSE_RULE_KEYS = ("property", "sentence", "when", "then", "lock", "refused_with")
_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
_SCHEMA = {"type": ["object", "boolean"]}  # a JSON Schema

_REFUSED_WITH = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "status": {
            "type": "array",
            "items": {"type": "integer", "minimum": 400, "maximum": 499},
            "minItems": 1,
        },
        "codes": _STRINGS,
    },
}

_LOCK = {
    "type": "object",
    "additionalProperties": False,
    "required": ["field", "open", "operations"],
    "properties": {
        "field": {"type": "string", "minLength": 1},
        "open": {"type": "array", "minItems": 1},
        "operations": {
            "type": "array",
            "items": {"type": "string", "pattern": r"^[A-Z]+ /"},
            "minItems": 1,
        },
    },
}

_PROSE_RULE = {
    "required": ["property", "sentence"],
    "anyOf": [{"required": ["pointer"]}, {"required": ["match"]}],
    "oneOf": [{"required": ["then"]}, {"required": ["lock"]}],
    "not": {"required": ["when", "lock"]},
}

ERRATA_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["errata"],
    "properties": {
        "errata": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "rule", "reason"],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "rule": {"enum": list(RULES)},
                    "reason": {"type": "string", "minLength": 1},
                    "pointer": {"type": "string", "pattern": "^#?/"},
                    "match": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["properties"],
                        "properties": {"properties": _STRINGS},
                    },
                    "codes": _STRINGS,
                    "property": {"type": "string", "minLength": 1},
                    "sentence": {"type": "string", "minLength": 1},
                    "when": _SCHEMA,
                    "then": _SCHEMA,
                    "lock": _LOCK,
                    "refused_with": _REFUSED_WITH,
                },
                "allOf": [
                    {
                        "if": {"properties": {"rule": {"const": "prose-rule"}}},
                        "then": _PROSE_RULE,
                        "else": {"not": {"anyOf": [{"required": [k]} for k in PROSE_RULE_KEYS]}},
                    },
                    {
                        "if": {"properties": {"rule": {"enum": ["invalid-example"]}}},
                        "then": {"required": ["pointer"]},
                    },
                    {
                        "if": {"properties": {"rule": {"const": "undocumented-codes"}}},
                        "then": {"required": ["pointer", "codes"]},
                    },
                ],
            },
        }
    },
}
