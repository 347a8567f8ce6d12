"""Kombo's cursor pagination: a list operation is a GET whose 200 body has ``data.next``
and ``data.results``; it must accept ``cursor`` and ``page_size``, ``next`` must be a
nullable string and ``results`` an array."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kombo_conformance.contract.conventions import PAGINATION_PARAMETERS
from kombo_conformance.spec.context import Issue, LintContext


def _types(schema: Any) -> set[str]:
    kind = schema.get("type") if isinstance(schema, dict) else None
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def _page(success: Any) -> dict[str, Any] | None:
    """The ``data`` properties of a success schema shaped like a page, else None."""
    if not isinstance(success, dict):
        return None
    data = (success.get("properties") or {}).get("data")
    props = data.get("properties") if isinstance(data, dict) else None
    return props if isinstance(props, dict) and {"next", "results"} <= props.keys() else None


def list_pagination_convention(ctx: LintContext) -> Iterator[Issue]:
    """A paginated list operation that breaks the cursor convention."""
    for key, op in ctx.contract.operations.items():
        page = _page(op.conventions.success_schema) if op.method == "GET" else None
        if page is None:
            continue
        problems = [
            f"does not accept the {name!r} query parameter"
            for name in sorted(PAGINATION_PARAMETERS - op.conventions.query_parameters.keys())
        ]
        if _types(page["next"]) != {"string", "null"}:
            problems.append(f"data.next is {sorted(_types(page['next']))}, not a nullable string")
        if _types(page["results"]) != {"array"}:
            problems.append(f"data.results is {sorted(_types(page['results']))}, not an array")
        for problem in problems:
            yield Issue(op.pointer, f"list operation {problem}", operation=key)
