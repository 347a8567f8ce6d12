"""JSON Pointer (RFC 6901) helpers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(*tokens: Any) -> str:
    """Build a pointer from raw tokens: ``join("paths", "/ats/jobs")`` -> ``/paths/~1ats~1jobs``."""
    return "".join("/" + escape(str(t)) for t in tokens)


def split(pointer: str) -> list[str]:
    if pointer in ("", "/", "#", "#/"):
        return []
    return [unescape(t) for t in pointer.lstrip("#").lstrip("/").split("/")]


def resolve(document: Any, tokens: Iterable[str]) -> Any:
    """Follow tokens into document; raise KeyError naming the first missing token."""
    node = document
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(token)
    return node
