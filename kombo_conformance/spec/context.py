"""What every lint rule reads (the loaded contract) and what it yields (an Issue)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from kombo_conformance.contract import Contract
from kombo_conformance.findings import Severity
from kombo_conformance.spec.walk import SchemaNode, iter_schemas


@dataclass(frozen=True)
class Issue:
    """One problem a rule found; the engine turns it into a Finding named after the rule."""

    pointer: str
    message: str
    severity: Severity = "error"
    operation: str = ""
    source: str | None = None  # default: the contract file that defines ``pointer``
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class LintContext:
    """The contract under lint, with the views rules share (computed once)."""

    contract: Contract
    capability: Any = None  # a spec.capability.Capability when --capability was given

    @property
    def document(self) -> dict[str, Any]:
        return self.contract.document

    @cached_property
    def schemas(self) -> list[SchemaNode]:
        """Every schema object where it is written (``$ref``s are visited at their target)."""
        return list(iter_schemas(self.document))

    def resolve(self, node: Any) -> Any:
        return self.contract.resolve(node)


Rule = Callable[[LintContext], Iterator[Issue]]
