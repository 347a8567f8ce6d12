"""What a schema means, as opposed to how it is described."""

from __future__ import annotations

import json
from typing import Any

ANNOTATIONS = frozenset(
    {"description", "summary", "title", "example", "examples", "externalDocs", "$comment",
     "deprecated", "x-codeSamples"}
)  # fmt: skip


def meaning(node: Any) -> Any:
    """node without annotations and ``x-`` extensions (what it accepts, not its prose)."""
    if isinstance(node, dict):
        return {
            k: meaning(v)
            for k, v in node.items()
            if k not in ANNOTATIONS and not str(k).startswith("x-")
        }
    if isinstance(node, list):
        return [meaning(v) for v in node]
    return node


def canonical(node: Any) -> str:
    """A stable text for comparing meanings (key order does not matter)."""
    return json.dumps(meaning(node), sort_keys=True, default=str)
