"""The sandbox ASGI app: every contract operation served under ``/v1``.

Routing comes from the contract's paths. Each request goes through the same steps:
fault hooks, route, authentication, integration, rate limit, connector support, request
validation, then one generic handler per convention kind: **list** (filters, cursors,
rendering), or **action/other** (:mod:`actions`: the write effects the contract declares,
a read of records, or generated data; answered in the action envelope). A
:class:`~kombo_conformance.sandbox.realistic.Realism`, when given, is asked at a few of
these steps (see :mod:`realistic`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
import time
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kombo_conformance.contract import Contract, Operation
from kombo_conformance.contract.declaration import DeclaredItem
from kombo_conformance.sandbox import actions, general, validation
from kombo_conformance.sandbox.collections import collections_of
from kombo_conformance.sandbox.data import allows_null
from kombo_conformance.sandbox.envelopes import SandboxError, action_body, error_body, list_body
from kombo_conformance.sandbox.fault_kinds import (
    break_record,
    error_status,
    query_overrides,
    refused_body,
)
from kombo_conformance.sandbox.faults import Faults
from kombo_conformance.sandbox.filters import SPECIAL, FilterError, compile_filter
from kombo_conformance.sandbox.personalities import (
    FALLBACK_INTEGRATION,
    SANDBOX_SLUG,
    Personality,
    personalities,
)
from kombo_conformance.sandbox.realistic import Realism, written_entities
from kombo_conformance.sandbox.store import CursorError, Dataset, decode_cursor
from kombo_conformance.sandbox.store import encode_cursor as _encode

PREFIX = "/v1"
DEFAULT_API_KEY = "sandbox-key"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@dataclass(frozen=True)
class _Route:
    operation: Operation
    pattern: re.Pattern[str]
    params: tuple[str, ...]


class Sandbox:
    """Shared state of one app: contract, datasets, routes."""

    def __init__(
        self,
        contract: Contract,
        *,
        api_key: str,
        seed: int,
        faults: Faults,
        realism: Realism | None = None,
    ) -> None:
        self.contract = contract
        self.api_key = api_key
        self.seed = seed
        self.faults = faults
        faults.require_operations(contract.operations)
        general.require_datapoints(contract, faults)
        self.realism = realism
        self.limiter = realism.limiter() if realism else None
        self.collections = collections_of(contract)
        self.personalities = personalities(contract)
        self.datasets: dict[str, Dataset] = {}
        self.lock = threading.Lock()
        self.counter = itertools.count(1)
        self.routes = [self._route(op) for op in contract.operations.values()]
        # built on first use: the general endpoints' declarations (operation, connector,
        # categories) and each operation's body checks
        self.declarations: dict[tuple[str, str, frozenset[str]], list[DeclaredItem]] = {}
        self.bodies: dict[str, validation.BodyRules | None] = {}

    @staticmethod
    def _route(op: Operation) -> _Route:
        params = tuple(re.findall(r"{([^}]+)}", op.path))
        regex = re.sub(
            r"\\{([^}]+)\\}", lambda m: "(?P<" + m.group(1) + ">[^/]+)", re.escape(op.path)
        )
        return _Route(op, re.compile(f"^{regex}/?$"), params)

    def dataset(self, integration: str) -> Dataset:
        with self.lock:
            found = self.datasets.get(integration)
            if found is None:
                make = self.realism.dataset if self.realism else Dataset
                found = self.datasets[integration] = make(self.collections, self.seed, integration)
            return found

    def body_rules(self, operation: Operation) -> validation.BodyRules | None:
        """What the operation's request bodies are checked against (built once)."""
        if operation.key not in self.bodies:
            self.bodies[operation.key] = validation.body_rules(self.contract, operation)
        return self.bodies[operation.key]

    def match(self, method: str, path: str) -> tuple[_Route | None, dict[str, str], list[str]]:
        """(route, path params, the methods the path allows)."""
        allowed: list[str] = []
        for route in self.routes:
            m = route.pattern.match(path)
            if m:
                if route.operation.method == method:
                    return route, m.groupdict(), [method]
                allowed.append(route.operation.method)
        return None, {}, allowed

    # -- request handling ----------------------------------------------------------------
    async def handle(self, request: Request) -> Response:
        interaction = str(next(self.counter))
        path = request.url.path
        prefixed = path.startswith(PREFIX + "/")
        route, params, allowed = (
            self.match(request.method, path[len(PREFIX) :]) if prefixed else (None, {}, [])
        )
        key = route.operation.key if route else None
        for change in self.faults.changes("delay", key):
            await asyncio.sleep(change["seconds"])
        replaced = self.faults.first("replace-response", key)
        if replaced is not None:
            return Response(
                replaced["body"], replaced["status"], media_type=replaced["content_type"]
            )
        operation: Operation | None = None
        try:
            if not prefixed:
                raise SandboxError(
                    404, "PLATFORM.INPUT_INVALID", f"no such path {path!r}", "Not found."
                )
            if route is None:
                status = 405 if allowed else 404
                raise SandboxError(
                    status,
                    "PLATFORM.INPUT_INVALID",
                    f"{request.method} {path} is not an operation of this API",
                    "Not found." if status == 404 else "Method not allowed.",
                    headers={"Allow": ", ".join(allowed)} if allowed else None,
                )
            operation = route.operation
            self._authenticate(request, operation.key)
            if operation.general:  # about the account or an integration: no X-Integration-Id
                return JSONResponse(general.answer(self, operation, params))
            personality, integration = self._integration(request, operation.key)
            self._rate_limit(integration)
            self._check_support(operation, personality)
            query = validation.query_values(operation, dict(request.query_params))
            raw = await _read_body(request)
            body = validation.parse_body(operation, request.headers.get("content-type"), raw)
            if not self.faults.skips("body-validation", operation.key):
                validation.validate_body(
                    self.body_rules(operation),
                    body,
                    prose_code=self.realism.prose_code(operation, self.contract.errata)
                    if self.realism
                    else validation.INPUT_INVALID,
                )
                refused = refused_body(self.faults, operation, body)
                if refused:
                    raise validation.invalid(f"{refused} (refused by a sandbox fault)")
            dataset = self.dataset(integration)
            with dataset.lock:
                if operation.conventions.is_list:
                    payload = self._list(dataset, operation, personality, query)
                else:
                    payload = self._action(dataset, operation, personality, params, body)
            return JSONResponse(payload)
        except SandboxError as exc:
            status = error_status(self.faults, key, exc.status, exc.code)
            return JSONResponse(
                error_body(
                    operation,
                    exc.code,
                    exc.message,
                    title=exc.title,
                    faults=self.faults,
                    interaction=interaction,
                    errata=self.contract.errata,
                ),
                status_code=status,
                headers=exc.headers,
            )
        except Exception as exc:  # a bug: still answer with the envelope
            return JSONResponse(
                error_body(
                    operation,
                    "PLATFORM.UNKNOWN_ERROR",
                    f"internal error: {type(exc).__name__}: {exc}",
                    faults=self.faults,
                    interaction=interaction,
                    errata=self.contract.errata,
                ),
                status_code=500,
            )

    def _authenticate(self, request: Request, operation: str) -> None:
        if self.faults.skips("authentication", operation):
            return
        header = request.headers.get("authorization", "")
        scheme, _, key = header.partition(" ")
        if scheme.lower() != "bearer" or key.strip() != self.api_key:
            raise SandboxError(
                401,
                "PLATFORM.AUTHENTICATION_INVALID",
                "Send a valid API key as `Authorization: Bearer <key>`."
                if not header
                else "The API key is not valid.",
            )

    def _integration(self, request: Request, operation: str) -> tuple[Personality, str]:
        header = request.headers.get("x-integration-id")
        lax = self.faults.skips("integration-header", operation)
        if not header:
            if lax:
                return self.personalities[SANDBOX_SLUG], FALLBACK_INTEGRATION
            raise SandboxError(
                400,
                "PLATFORM.INPUT_INVALID",
                "The X-Integration-Id header is required (`<connector>:<id>`).",
            )
        try:
            return self.personality_of(header)
        except SandboxError:
            if lax:
                return self.personalities[SANDBOX_SLUG], FALLBACK_INTEGRATION
            raise

    def personality_of(self, integration: str) -> tuple[Personality, str]:
        """The connector an integration id ``<connector>:<id>`` names, and the id; else 404
        ``PLATFORM.INTEGRATION_NOT_FOUND`` (also for ``GET /integrations/{integration_id}``)."""
        slug, sep, ident = integration.strip().partition(":")
        personality = self.personalities.get(slug)
        if not sep or not ident or personality is None:
            known = ", ".join(sorted(self.personalities))
            raise SandboxError(
                404,
                "PLATFORM.INTEGRATION_NOT_FOUND",
                f"No integration {integration!r}: use `<connector>:<id>` with a connector of: "
                f"{known}.",
            )
        return personality, f"{slug}:{ident}"

    def _rate_limit(self, integration: str) -> None:
        wait = self.limiter.retry_after(integration) if self.limiter else None
        if wait is not None:
            raise SandboxError(
                429,
                "PLATFORM.RATE_LIMIT_EXCEEDED",
                f"Rate limit of {self.limiter.rate:g} requests/s exceeded for {integration}; "
                f"retry in {wait} s.",
                "Rate limit exceeded.",
                headers={"Retry-After": str(wait)},
            )

    def _check_support(self, operation: Operation, personality: Personality) -> None:
        override = self.faults.first("support", operation.key)
        supported = override["supported"] if override else personality.supports(operation.key)
        if supported:
            return
        read = operation.method == "GET"
        code = "INTEGRATION.MODEL_NOT_AVAILABLE" if read else "INTEGRATION.ACTION_NOT_AVAILABLE"
        what = "data model" if read else "action"
        raise SandboxError(
            404,
            code,
            f"The {what} behind {operation.key} is not available for {personality.name}.",
        )

    # -- lists -----------------------------------------------------------------------
    def _list(
        self, dataset: Dataset, op: Operation, personality: Personality, query: dict[str, Any]
    ) -> dict[str, Any]:
        """One page: walk the records in ``_seq`` order from the cursor (bisected), testing
        filters only until the page and one more match are found."""
        name = op.path.strip("/")
        schema = op.conventions.record_schema or {}
        faults, realism = self.faults, self.realism
        query = query_overrides(faults, op, query)
        page_size = query.get("page_size", 100)
        include_deleted = query.get("include_deleted") in ("true", True)
        ignore_unsupported = query.get("ignore_unsupported_filters") in ("true", True)
        scope = f"{dataset.integration}|{op.key}"
        after = -1
        if query.get("cursor") is not None:
            try:
                after = decode_cursor(query["cursor"], scope)
            except CursorError as exc:
                raise validation.invalid(f"query parameter cursor: {exc}") from None
        predicates = []
        ids: set[str] | None = None  # the ids filter, answered from the id index
        empty = False
        for key, value in query.items():
            if key in SPECIAL:
                continue
            exclusive = realism is not None and realism.exclusive(key)
            try:
                field, predicate = compile_filter(key, str(value), schema, exclusive=exclusive)
            except FilterError as exc:
                raise validation.invalid(f"query parameter {exc}") from None
            if not personality.covers(op.key, field):
                if ignore_unsupported:
                    continue
                empty = True
            predicates.append((field, predicate))
            if key == "ids":
                ids = {v.strip().casefold() for v in str(value).split(",") if v.strip()} or None
        now = time.monotonic() if dataset.lag_s > 0 else None
        hide_deleted = not include_deleted
        rendered: dict[str, dict[str, Any]] = {}

        def render(entity: dict[str, Any]) -> dict[str, Any]:
            if entity["id"] not in rendered:
                rendered[entity["id"]] = dataset.render(name, entity, schema, now)
            return rendered[entity["id"]]

        def listed(entity: dict[str, Any]) -> dict[str, Any] | None:
            """The entity's state as this list shows it, if the query selects it. A filter
            reads the stored field where it is a plain value, else the rendered record
            (projected lazily: only the properties the filter reads)."""
            state = entity if now is None else dataset.listed(entity, now)
            if state is None or (hide_deleted and dataset.is_deleted(name, state)):
                return None
            lazy = None
            for field, predicate in predicates:
                if field in state and not isinstance(state[field], dict | list):
                    record = state
                else:
                    if lazy is None:
                        lazy = dataset.view(name, state, schema, now)
                    record = lazy
                if not predicate(record):
                    return None
            return state

        seqs, entities = ([], []) if empty else dataset.sequence(name, ids)
        start = bisect_right(seqs, after)
        overlap = faults.first("overlap-pages", op.key)
        if overlap is not None and after >= 0:  # start with the previous page's last records
            back = (i for i in range(start - 1, -1, -1) if listed(entities[i]))
            start = ([start, *itertools.islice(back, overlap["records"])])[-1]
        page: list[dict[str, Any]] = []
        more = False
        for i in range(start, len(entities)):
            state = listed(entities[i])
            if state is None:
                continue
            if len(page) == page_size:
                more = True
                break
            page.append(state)
        if more and realism is not None and realism.short_page(scope, after, page_size):
            page.pop()
        cursor = _encode(scope, page[-1]["_seq"]) if more and page else None
        if cursor is None and faults.first("loop-cursor", op.key) and after >= 0:
            cursor = _encode(scope, -1)
        results = []
        for entity in page:
            record = personality.null_uncovered(op.key, dict(render(entity)), schema)
            if realism is not None:
                record = realism.add_extra_fields(record, schema)
            results.append(break_record(faults, op.key, record))
        success = op.conventions.success_schema or {}
        return list_body(
            results,
            cursor,
            with_warnings="warnings" in (success.get("properties") or {}),
            faults=faults,
            operation=op.key,
        )

    # -- actions and other reads -------------------------------------------------------
    def _action(
        self,
        dataset: Dataset,
        op: Operation,
        personality: Personality,
        params: dict[str, str],
        body: Any,
    ) -> dict[str, Any]:
        ctx = actions.ActionContext(
            dataset,
            self.contract,
            op,
            personality,
            self.faults,
            params,
            body,
            actions.targets_of(dataset, op, params),
        )
        targets = [entity for _, entity in ctx.targets.values()]
        if not self.faults.skips("state-rules", op.key):
            validation.check_locks(self.contract, op, targets, body)  # declared `lock` rules
        written = (
            dataset.snapshot(written_entities(dataset, op.use_case, targets, body))
            if dataset.lag_s > 0
            else []
        )
        try:
            data, warnings = actions.answer(ctx)
        finally:
            dataset.publish(written)  # with a write lag, lists show the change later
        success = op.conventions.success_schema or {}
        data_schema = (success.get("properties") or {}).get("data") or {}
        if isinstance(data, tuple):
            coll, entity = data
            data = dataset.render(coll, entity, data_schema)
            data = personality.null_uncovered(_list_key(self.contract, coll), data, data_schema)
            if self.realism is not None:
                data = self.realism.add_extra_fields(data, data_schema)
        if "warnings" in (success.get("properties") or {}):
            return action_body(data, warnings, faults=self.faults, operation=op.key)
        return {"status": "success", "data": data}


def _list_key(contract: Contract, collection: str) -> str:
    return f"GET /{collection}"


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > validation.MAX_BODY_BYTES:
        raise validation.invalid(f"the request body exceeds {validation.MAX_BODY_BYTES} bytes", 413)
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > validation.MAX_BODY_BYTES:
            raise validation.invalid(
                f"the request body exceeds {validation.MAX_BODY_BYTES} bytes", 413
            )
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(
    contract: Contract | None = None,
    *,
    api_key: str = DEFAULT_API_KEY,
    seed: int = 0,
    faults: Faults | tuple[str, ...] | list[str] = (),
    realism: Realism | None = None,
) -> Starlette:
    """The sandbox as an ASGI app (Starlette); ``realism`` switches on the realistic
    personality (:mod:`kombo_conformance.sandbox.realistic`)."""
    if contract is None:
        from kombo_conformance.sandbox.server import default_contract

        contract = default_contract()
    if not isinstance(faults, Faults):
        faults = Faults(faults)
    sandbox = Sandbox(contract, api_key=api_key, seed=seed, faults=faults, realism=realism)

    async def endpoint(request: Request) -> Response:
        return await sandbox.handle(request)

    # One catch-all route whose pattern also matches paths holding an encoded newline
    # (Starlette's `{path:path}` stops at "\n" and would answer a plain-text 404).
    route = Route("/{path:path}", endpoint, methods=METHODS)
    route.path_regex = re.compile(route.path_regex.pattern, re.DOTALL)
    app = Starlette(routes=[route])
    app.state.sandbox = sandbox
    return app


__all__ = ["DEFAULT_API_KEY", "Sandbox", "allows_null", "collections_of", "create_app", "json"]
