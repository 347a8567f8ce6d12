"""What a schema means, as opposed to how it is described."""

from __future__ import annotations

import json
from typing import Any

ANNOTATIONS = frozenset(
    {"description", "summary", "title", "example", "examples", "externalDocs", "$comment",
     "deprecated", "x-codeSamples"}
)  # fmt: skip


# keywords whose keys are names (a property called ``title``), not keywords
NAME_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions",
                       "dependentSchemas", "mapping"})  # fmt: skip


def meaning(node: Any, names: bool = False) -> Any:
    """node without annotations and ``x-`` extensions (what it accepts, not its prose);
    ``names``: node maps names to schemas, so every key is kept."""
    if isinstance(node, dict):
        return {
            k: meaning(v, names=not names and k in NAME_MAPS)
            for k, v in node.items()
            if names or (k not in ANNOTATIONS and not str(k).startswith("x-"))
        }
    if isinstance(node, list):
        return [meaning(v) for v in node]
    return node


def canonical(node: Any) -> str:
    """A stable text for comparing meanings (key order does not matter)."""
    return json.dumps(meaning(node), sort_keys=True, default=str)
