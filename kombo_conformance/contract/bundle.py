"""Bundle a set of OpenAPI files into one document whose `$ref`s are all internal.

Contracts may be split across files (``ats.yaml`` referring to ``shared.yaml#/components/...``)
or be one self-contained document (a user's full Kombo spec). Either way the rest of the
suite sees a single document: external references to ``components`` are rewritten to
internal ones and the referenced components are merged in. Two files defining the same
component differently, or the same operation twice, is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kombo_conformance.contract import pointer
from kombo_conformance.contract.source import read_document
from kombo_conformance.errors import ContractError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class Bundle:
    """A merged OpenAPI document and where each of its parts came from."""

    document: dict[str, Any]
    origins: dict[str, Path] = field(default_factory=dict)

    def source_of(self, ptr: str) -> Path | None:
        """The file that defined the part of the document at ``ptr`` (longest prefix wins)."""
        best: tuple[int, Path | None] = (-1, None)
        for prefix, path in self.origins.items():
            if (ptr == prefix or ptr.startswith(prefix + "/")) and len(prefix) > best[0]:
                best = (len(prefix), path)
        return best[1]


class _Bundler:
    def __init__(self) -> None:
        self.document: dict[str, Any] = {"openapi": "3.1.0", "paths": {}, "components": {}}
        self.origins: dict[str, Path] = {}
        self._loaded: dict[Path, dict[str, Any]] = {}
        self._merged: set[Path] = set()

    def load(self, path: Path) -> dict[str, Any]:
        path = path.resolve()
        if path not in self._loaded:
            doc = read_document(path)
            if not isinstance(doc, dict):
                raise ContractError(path, "/", "an OpenAPI document must be a mapping")
            version = doc.get("openapi")
            if not isinstance(version, str) or not version.startswith("3.1"):
                raise ContractError(
                    path, "/openapi", f"expected an OpenAPI 3.1 document, found openapi={version!r}"
                )
            self._loaded[path] = doc
        return self._loaded[path]

    def merge(self, path: Path) -> None:
        path = path.resolve()
        if path in self._merged:
            return
        self._merged.add(path)
        doc = self.load(path)
        for key in ("info", "servers", "security", "jsonSchemaDialect"):
            if key in doc and key not in self.document:
                self.document[key] = doc[key]
        tags = self.document.setdefault("tags", [])
        for tag in doc.get("tags", []):
            if tag not in tags:
                tags.append(tag)
        for route, item in (doc.get("paths") or {}).items():
            target = self.document["paths"].setdefault(route, {})
            for key, value in item.items():
                where = pointer.join("paths", route, key)
                if key in target and target[key] != value:
                    raise ContractError(
                        path, where, f"also defined in {self.origins.get(where, 'another file')}"
                    )
                target[key] = self._rewrite(value, path, where)
                self.origins.setdefault(where, path)
        for kind, entries in (doc.get("components") or {}).items():
            for name, value in (entries or {}).items():
                self._add_component(path, kind, name, value)

    def _add_component(self, path: Path, kind: str, name: str, value: Any) -> None:
        where = pointer.join("components", kind, name)
        value = self._rewrite(value, path, where)
        existing = self.document["components"].setdefault(kind, {})
        if name in existing and existing[name] != value:
            raise ContractError(
                path,
                where,
                f"component {kind}/{name} is defined differently in {self.origins[where]}",
            )
        existing[name] = value
        self.origins.setdefault(where, path)

    def _rewrite(self, node: Any, path: Path, where: str) -> Any:
        """Copy node, turning `other.yaml#/components/...` into internal references."""
        if isinstance(node, list):
            return [self._rewrite(v, path, f"{where}/{i}") for i, v in enumerate(node)]
        if not isinstance(node, dict):
            return node
        out = {
            k: self._rewrite(v, path, f"{where}/{pointer.escape(str(k))}") for k, v in node.items()
        }
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            out["$ref"] = self._external(ref, path, where)
        return out

    def _external(self, ref: str, path: Path, where: str) -> str:
        file_part, _, fragment = ref.partition("#")
        if "://" in file_part:
            raise ContractError(
                path, where, f"remote $ref {ref!r} is not supported; use a local file"
            )
        target = (path.parent / file_part).resolve()
        tokens = pointer.split(fragment)
        if len(tokens) != 3 or tokens[0] != "components":
            raise ContractError(
                path, where, f"external $ref {ref!r} must point at #/components/<kind>/<name>"
            )
        if not target.is_file():
            raise ContractError(path, where, f"$ref {ref!r} points at a missing file {target}")
        self.merge(target)
        try:
            pointer.resolve(self._loaded[target], tokens)
        except KeyError:
            raise ContractError(path, where, f"dangling $ref {ref!r}: no such component") from None
        return "#" + pointer.join(*tokens)


def _check_internal_refs(bundle: Bundle) -> None:
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                try:
                    pointer.resolve(bundle.document, pointer.split(ref))
                except KeyError:
                    source = bundle.source_of(where) or "the contract"
                    raise ContractError(source, where, f"dangling $ref {ref!r}") from None
            for key, value in node.items():
                walk(value, f"{where}/{pointer.escape(str(key))}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    walk(bundle.document, "")


def bundle_files(paths: list[Path]) -> Bundle:
    """Merge the given OpenAPI files (and the files they reference) into one Bundle."""
    if not paths:
        raise ContractError("<no files>", "/", "no contract files were given")
    bundler = _Bundler()
    for path in paths:
        bundler.merge(path)
    if not bundler.document["components"]:
        del bundler.document["components"]
    result = Bundle(bundler.document, bundler.origins)
    _check_internal_refs(result)
    return result
