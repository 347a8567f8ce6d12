"""The one ordinary request a probe sends to exercise an operation."""

from __future__ import annotations

from typing import Any

from kombo_conformance.checks.examples import UNRESOLVED, base_body, safe_example
from kombo_conformance.checks.lookup import Lookup
from kombo_conformance.exchange import Request

PLACEHOLDER_ID = "conformance-probe-id"


def ordinary_request(
    lookup: Lookup, headers: dict[str, str] | None = None, *, real_ids: bool = True
) -> Request | None:
    """A valid-looking request for ``lookup.ctx.operation`` (None if no ids can be found).

    With ``real_ids=False`` path ids are placeholders and the body keeps its example ids:
    enough for requests refused before the ids matter (authentication).
    """
    op = lookup.ctx.operation
    if real_ids:
        path = lookup.path(op)
        body: Any = base_body(lookup, op) if op.conventions.request_schema else None
        if path is None or body is UNRESOLVED:
            return None
    else:
        path = op.path
        for name in op.conventions.path_parameters:
            path = path.replace("{" + name + "}", PLACEHOLDER_ID)
        body = safe_example(op, lookup.ctx.data_url) if op.conventions.request_schema else None
    query = {"page_size": "1"} if op.conventions.is_list else {}
    return Request(op.method, path, query=query, headers=dict(headers or {}), body=body)
