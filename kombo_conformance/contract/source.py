"""Reading contract files from disk: YAML or JSON, with errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from kombo_conformance.errors import ContractError

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~6x faster


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A safe YAML loader that refuses duplicate mapping keys (a silent data loss otherwise)."""


def _construct_mapping(
    loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False
) -> dict:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# OpenAPI dates stay strings: YAML 1.1 would turn `2023-04-04` into a datetime.date.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_text(text: str, source: str | Path) -> Any:
    """Parse YAML (a superset of JSON) and raise ContractError with the line on failure."""
    try:
        if str(source).endswith(".json"):
            return json.loads(text)
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except json.JSONDecodeError as exc:
        raise ContractError(source, "/", f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ContractError(source, "/", f"invalid YAML{where}: {problem}") from None


def read_document(path: Path) -> Any:
    """Read and parse one contract file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContractError(path, "/", "file not found") from None
    except IsADirectoryError:
        raise ContractError(path, "/", "is a directory, expected a YAML or JSON file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContractError(path, "/", f"cannot be read: {exc}") from None
    return parse_text(text, path)
