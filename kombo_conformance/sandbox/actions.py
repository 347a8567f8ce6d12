"""Operations that are not lists: what they do and what they answer.

- a write with declared effects (``x-kombo-effects``) is carried out by :mod:`effects`;
- a read of records outside a list operation (``data.results`` of a sub-resource, an
  array such as ``data.packages``) is answered by :mod:`reads`;
- anything else answers data generated from its response schema.

The answer is ``(data, warnings)``; ``data`` is a plain value or a ``(collection, entity)``
pair the app renders against the response's ``data`` schema.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

from kombo_conformance.contract import Contract, Operation
from kombo_conformance.sandbox import effects, reads
from kombo_conformance.sandbox.data import Generator
from kombo_conformance.sandbox.envelopes import SandboxError
from kombo_conformance.sandbox.faults import Faults
from kombo_conformance.sandbox.personalities import Personality
from kombo_conformance.sandbox.store import Dataset

Result = tuple[Any, list[str]]
Targets = dict[str, tuple[str, dict[str, Any]]]  # record name -> (collection, entity)


def targets_of(dataset: Dataset, op: Operation, params: dict[str, str]) -> Targets:
    """The records the path parameters name (``application_id`` -> ``application``); a
    404 when one does not exist."""
    found: Targets = {}
    for param, value in params.items():
        stem = param[:-3] if param.endswith("_id") else param
        coll = dataset.collection_for(op.use_case, stem)
        entity = dataset.live(coll, value)
        if entity is None:
            raise SandboxError(
                404,
                "PLATFORM.INPUT_INVALID",
                f"No {stem.replace('_', ' ')} with id {value!r}.",
                "Not found.",
            )
        found[stem] = (coll, entity)
    return found


@dataclass
class ActionContext:
    dataset: Dataset
    contract: Contract
    operation: Operation
    personality: Personality
    faults: Faults
    params: dict[str, str]
    body: Any
    targets: Targets = field(default_factory=dict)

    def fallback(self, key: str) -> ActionContext | None:
        """This request as the operation ``key`` (a connector's ``fallback`` quirk): its path
        ids are this request's, or fields of the same name of the records it addresses
        (an application's ``candidate_id``). None when that operation declares no effects
        or an id is not found."""
        op = self.contract.operations.get(key)
        if op is None or op.key == self.operation.key or op.key not in self.contract.effects:
            return None
        params: dict[str, str] = {}
        for name in op.conventions.path_parameters:
            known = [self.params.get(name)] + [e.get(name) for _, e in self.targets.values()]
            value = next((v for v in known if isinstance(v, str)), None)
            if value is None:
                return None
            params[name] = value
        targets = targets_of(self.dataset, op, params)
        return replace(self, operation=op, params=params, targets=targets)


def answer(ctx: ActionContext) -> Result:
    """Carry out a non-list operation: (data, warnings)."""
    declared = ctx.contract.effects.get(ctx.operation.key)
    if declared is not None:
        return effects.apply(ctx, declared)
    if ctx.operation.method == "GET":
        data = reads.serve(ctx.dataset, ctx.operation, ctx.params)
        if data is not None:
            return data, []
    return default_data(ctx), []


def default_data(ctx: ActionContext) -> Any:
    """Data generated from the response schema (an action with nothing declared to answer)."""
    schema = (ctx.operation.conventions.success_schema or {}).get("properties", {}).get("data")
    gen = Generator(random.Random(f"{ctx.dataset.seed}:{ctx.operation.key}"))
    return gen.value(schema or {"type": "object"}, "data")
