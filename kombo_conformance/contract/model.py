"""The loaded contract: one bundled OpenAPI document, its operations, profiles and errata."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kombo_conformance.contract import pointer
from kombo_conformance.contract.bundle import Bundle
from kombo_conformance.contract.conventions import Conventions, recognise
from kombo_conformance.contract.errata import Errata
from kombo_conformance.contract.profiles import ConnectorProfile
from kombo_conformance.contract.resolve import Resolver
from kombo_conformance.contract.transient import transient_codes


@dataclass(frozen=True)
class Operation:
    """``METHOD /path`` as written in the contract, with its resolved definition."""

    method: str
    path: str
    definition: dict[str, Any] = field(repr=False)
    conventions: Conventions = field(repr=False)
    source: Path | None = None

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def pointer(self) -> str:
        return pointer.join("paths", self.path, self.method.lower())

    @property
    def operation_id(self) -> str | None:
        return self.definition.get("operationId")

    @property
    def error_response_ref(self) -> str | None:
        """The `$ref` of the default (error) response, e.g. ``#/components/responses/X``."""
        return self.definition.get("x-kombo-error-ref")

    @property
    def general(self) -> bool:
        """``x-kombo-general: true``: an operation about the account or an integration, not a
        connector's data (``/check-api-key``, ``/tools/{category}``, ...); every connector
        serves it and no profile lists it (contracts/README.md, General endpoints)."""
        return self.definition.get("x-kombo-general") is True

    @property
    def use_case(self) -> str:
        """Kombo groups operations by their first path segment: ats, assessment, lms, ..."""
        return self.path.strip("/").split("/", 1)[0]

    def __str__(self) -> str:
        return self.key


@dataclass
class Contract:
    """Everything the suite knows about the API under test."""

    bundle: Bundle
    errata: Errata
    profiles: dict[str, ConnectorProfile] = field(default_factory=dict)
    sources: tuple[Path, ...] = ()

    @property
    def document(self) -> dict[str, Any]:
        """The bundled OpenAPI document (internal `$ref`s only), e.g. for schemathesis."""
        return self.bundle.document

    @cached_property
    def resolver(self) -> Resolver:
        return Resolver(self.bundle.document)

    def resolve(self, node: Any) -> Any:
        return self.resolver.resolve(node)

    @cached_property
    def transient_codes(self) -> frozenset[str]:
        """Error codes meaning "try again later" (``x-kombo-transient-codes`` on the error
        responses); the Target retries answers carrying them. Empty when none are declared."""
        return transient_codes(self.bundle, self.resolver)

    @cached_property
    def effects(self) -> dict[str, Any]:
        """What each write operation changes (``x-kombo-effects``, see contract/effects.py),
        by operation key; ContractError naming a bad declaration."""
        from kombo_conformance.contract.effects import load_effects

        return load_effects(self)

    @cached_property
    def prose_sites(self) -> dict[str, list[Any]]:
        """Where the declared prose rules apply in each operation's request body, by
        operation key (see contract/prose_rules.py): found once, read per request."""
        from kombo_conformance.contract.prose_rules import find_sites

        return find_sites(self)

    @cached_property
    def operations(self) -> dict[str, Operation]:
        """Operations by key (``"GET /ats/jobs"``), in document order."""
        from kombo_conformance.contract.bundle import HTTP_METHODS

        found: dict[str, Operation] = {}
        for route, item in (self.document.get("paths") or {}).items():
            item = self.resolver.deref(item)
            shared_params = item.get("parameters", [])
            for method in HTTP_METHODS:
                if method not in item:
                    continue
                definition = dict(self.resolve(item[method]))
                default = (self.resolver.deref(item[method]).get("responses") or {}).get("default")
                if isinstance(default, dict) and isinstance(default.get("$ref"), str):
                    definition["x-kombo-error-ref"] = default["$ref"]
                if shared_params:
                    own = {(p.get("in"), p.get("name")) for p in definition.get("parameters", [])}
                    inherited = [
                        p
                        for p in self.resolve(shared_params)
                        if (p.get("in"), p.get("name")) not in own
                    ]
                    definition["parameters"] = [*inherited, *definition.get("parameters", [])]
                op = Operation(
                    method=method.upper(),
                    path=route,
                    definition=definition,
                    conventions=recognise(definition, method),
                    source=self.bundle.source_of(pointer.join("paths", route, method)),
                )
                found[op.key] = op
        return found

    def operation(self, key: str) -> Operation:
        """The operation ``METHOD /path``."""
        return self.operations[key]

    def source_of(self, ptr: str) -> Path | None:
        return self.bundle.source_of(ptr)
