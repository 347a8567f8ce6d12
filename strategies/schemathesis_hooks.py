"""Make schemathesis 4.32 generate from our strategies.

Two verified mechanisms, both installed by ``install(document)``:

1. **Format overrides** (cover every Kombo date and every URL anywhere: bodies, query,
   nested)::

       schemathesis.openapi.format("date-time", pattern_dates())
       schemathesis.openapi.format("uri", data_urls(data_url))   # and the other URI_FORMATS

   Registered string formats are merged over the built-in ones
   (``{**get_default_format_strategies(), **STRING_FORMATS}``), so this replaces the built-in
   ``date-time`` generator. For a string with ``format: date-time`` *and* the Kombo ``pattern``
   the engine draws from the format generator, keeps a value that passes both facets
   (checked with ``jsonschema_rs``) and only falls back to pattern-driven generation after
   three misses; ``pattern_dates()`` never misses. Negative mode still mutates these values.
   The schema document is not rewritten, so response validation keeps checking ``date-time``.
   The URI formats draw from ``strategies.urls.data_urls``: the user's ``data_url``, else a
   host under ``.invalid``, so no generated URL names a host anybody owns. Negative mode
   negates ``format`` by drawing plain strings that fail it, never well-formed URLs on other
   hosts. Registered formats are process-global: ``Installation.activate()`` re-registers
   this installation's after another one (with another ``data_url``) replaced them.

2. **Case hook** for realistic values of recognised shapes (attributes, attachments) and
   for description-typed query parameters::

       @schemathesis.hook            # or schema.hook for one loaded schema
       def flatmap_case(context, case): ...

   ``install`` plans, once, from the document: for each operation, the registry strategy of
   the JSON request body (whole body, else recognised top-level properties) and of recognised
   query parameters. The hook replaces those parts of a generated case only when
   ``case.meta.components[location].mode`` is positive, so negative cases stay negative.
   A replaced body is kept only if the operation's body schema accepts it: given the strict
   document (``Errata.strict``, as generation does), that schema holds every declared prose
   rule, so positive cases honour them all, whichever rule a user declares.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from schemathesis.core.parameters import ParameterLocation
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER
from schemathesis.specs.openapi import unregister_string_format

from strategies.dates import pattern_dates
from strategies.registry import shape_of, strategy_for
from strategies.urls import URI_FORMATS, data_urls

DATE_TIME = "date-time"
#: Shapes handled by the format override, so the case hook leaves them alone.
_FORMAT_SHAPES = {"kombo-date"}
_METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}


@dataclass
class OperationPlan:
    """What to replace in one operation's generated cases."""

    body: st.SearchStrategy[Any] | None = None
    body_properties: dict[str, st.SearchStrategy[Any]] = field(default_factory=dict)
    query: dict[str, st.SearchStrategy[Any]] = field(default_factory=dict)
    body_schema: dict[str, Any] | None = None  # what a replaced body must still satisfy
    _validator: Draft202012Validator | None = field(default=None, repr=False, compare=False)

    def accepts(self, body: Any) -> bool:
        if self.body_schema is None:
            return True
        if self._validator is None:
            self._validator = Draft202012Validator(self.body_schema)
        return self._validator.is_valid(body)

    def __bool__(self) -> bool:
        return self.body is not None or bool(self.body_properties) or bool(self.query)


def _resolve(node: Any, document: dict[str, Any], depth: int = 0) -> Any:
    if depth > 64:
        return node
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            target: Any = document
            for part in node["$ref"][2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return _resolve(target, document, depth + 1)
        return {key: _resolve(value, document, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item, document, depth + 1) for item in node]
    return node


def _custom(schema: Any, data_url: str | None) -> st.SearchStrategy[Any] | None:
    if shape_of(schema) in _FORMAT_SHAPES | {None}:
        return None
    return strategy_for(schema, data_url=data_url)


def plan(
    document: dict[str, Any], data_url: str | None = None
) -> dict[tuple[str, str], OperationPlan]:
    """``(METHOD, path) -> OperationPlan`` for every operation with a recognised part."""
    plans: dict[tuple[str, str], OperationPlan] = {}
    for path, item in document.get("paths", {}).items():
        item = _resolve(item, document)
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            found = OperationPlan()
            content = operation.get("requestBody", {}).get("content", {})
            body_schema = content.get("application/json", {}).get("schema")
            if isinstance(body_schema, dict):
                found.body_schema = body_schema
                found.body = _custom(body_schema, data_url)
                if found.body is None:
                    for name, sub in body_schema.get("properties", {}).items():
                        if (strategy := _custom(sub, data_url)) is not None:
                            found.body_properties[name] = strategy
            for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
                if parameter.get("in") != "query":
                    continue
                schema = {"description": parameter.get("description", ""), **parameter["schema"]}
                if (strategy := _custom(schema, data_url)) is not None:
                    found.query[parameter["name"]] = strategy
            if found:
                plans[(method.upper(), path)] = found
    return plans


def _is_positive(case: Any, location: ParameterLocation) -> bool:
    component = case.meta.components.get(location) if case.meta is not None else None
    return component is not None and component.mode.is_positive


def make_case_hook(plans: dict[tuple[str, str], OperationPlan]) -> Callable[..., Any]:
    """A ``flatmap_case`` hook applying ``plans`` to positive components of generated cases."""

    def flatmap_case(context: Any, case: Any) -> st.SearchStrategy[Any]:
        operation = context.operation
        found = plans.get((operation.method.upper(), operation.path)) if operation else None
        if not found:
            return st.just(case)
        draws: dict[str, st.SearchStrategy[Any]] = {}
        body = case.body
        if isinstance(body, dict) and _is_positive(case, ParameterLocation.BODY):
            if found.body is not None:
                draws["body"] = found.body.filter(found.accepts)
            elif present := {k: s for k, s in found.body_properties.items() if k in body}:
                draws["body"] = (
                    st.fixed_dictionaries(present)
                    .map(lambda new: {**body, **new})
                    .filter(found.accepts)
                )
        query = case.query
        present = {k: s for k, s in found.query.items() if k in (query or {})}
        if present and _is_positive(case, ParameterLocation.QUERY):
            draws["query"] = st.fixed_dictionaries(present).map(lambda new: {**query, **new})
        if not draws:
            return st.just(case)

        def apply(values: dict[str, Any]) -> Any:
            for name, value in values.items():
                setattr(case, name, value)
            return case

        return st.fixed_dictionaries(draws).map(apply)

    return flatmap_case


@dataclass
class Installation:
    """Handle returned by ``install``; ``uninstall()`` removes what it registered."""

    plans: dict[tuple[str, str], OperationPlan]
    hook: Callable[..., Any] | None
    dispatcher: Any
    formats: dict[str, st.SearchStrategy[str]] = field(default_factory=dict)

    def activate(self) -> None:
        """Register this installation's string formats, unless they already are."""
        global _active
        if _active is not self:
            for name, strategy in self.formats.items():
                schemathesis.openapi.format(name, strategy)
            _active = self

    def uninstall(self) -> None:
        """Unregister the hook, and the formats while they are this installation's."""
        global _active
        if _active is self:
            for name in self.formats:
                with contextlib.suppress(ValueError):
                    unregister_string_format(name)
            _active = None
        if self.hook is not None:
            self.dispatcher.unregister(self.hook)


#: The installation whose formats are registered now (formats are process-global).
_active: Installation | None = None


def install(
    document: dict[str, Any],
    schema: Any | None = None,
    *,
    data_url: str | None = None,
    date_strategy: st.SearchStrategy[str] | None = None,
    case_hook: bool = True,
) -> Installation:
    """Register our strategies with schemathesis for ``document``.

    ``schema`` (a loaded ``schemathesis`` schema) scopes the case hook to it; without it the
    hook is global. The format overrides (``date-time`` and the URI formats) are always
    process-global. Generated URLs are ``data_url`` when given, else on an unresolvable host.
    """
    urls = data_urls(data_url)
    formats = {
        DATE_TIME: pattern_dates() if date_strategy is None else date_strategy,
        **dict.fromkeys(URI_FORMATS, urls),
    }
    plans = plan(document, data_url) if case_hook else {}
    hook = None
    dispatcher = schema.hooks if schema is not None else GLOBAL_HOOK_DISPATCHER
    if plans:
        hook = make_case_hook(plans)
        (schema.hook if schema is not None else schemathesis.hook)(hook)
    installation = Installation(plans, hook, dispatcher, formats)
    installation.activate()
    return installation
