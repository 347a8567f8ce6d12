"""Fixed, data-driven body mutations: shapes recognised in a request schema, and for each
the invalid values (to be refused) and the valid edge cases (to be accepted).

Recognised shapes (by structure, never by path):

- *attachment*: an object with ``name`` and ``data``/``data_url``; in an array with
  ``maxItems`` m the array too (m + 2 items invalid, exactly m valid);
- *typed attributes*: an array whose items are an ``anyOf`` of objects told apart by a
  ``type`` ``const`` (TEXT / SUB_RESULT);
- *date*: a ``date-time`` string with a ``pattern`` (impossible calendar dates);
- *conditional date*: a property whose description says it must be provided "when" an
  enum property has certain backticked values (``completed_at`` when ``status`` is
  ``COMPLETED``).

Values are fixed so that a verdict is reproducible. Each mutation names its ``rule``:
``schema`` (a keyword at its place in the request schema) or ``prose`` (a sentence of a
description, with the ``prose-rule`` erratum that encodes it). The ``data_url`` edge case
points at a file: it uses the URL the user chose (``--data-url``) and is otherwise skipped
(``skip`` says why), never sent to a host the user did not choose.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from kombo_conformance.checks.examples import SAMPLE_DATA, branches, minimal
from kombo_conformance.checks.rules import keyword, sentence
from kombo_conformance.contract import Errata, Erratum

Path = tuple[str, ...]  # object keys; "*" steps into the first array item
IMPOSSIBLE_DATES = {"feb-30": "2023-02-30T00:00:00Z", "month-13": "2023-13-01T00:00:00Z"}
UNICODE_NAME = "Lebenslauf Jürgen Müller - 履歴書.pdf"
NO_DATA_URL = "data_url edge case not sent: pass --data-url (a file URL you own)"


@dataclass(frozen=True)
class Mutation:
    name: str  # stable slug: the finding's pointer
    kind: Literal["invalid", "edge"]
    description: str
    apply: Callable[[Any], Any | None]  # a mutated copy of the body, None if not applicable
    source: Literal["schema", "prose"] = "schema"  # where the rule is stated
    rule: str = ""  # the rule, cited: "schema: maxItems 5 at ..." or "prose: '...'"
    skip: str | None = None  # why it is not sent (then it is only named in the verdict note)


def _pointer(path: Path) -> str:
    """Where a path lies in the request schema: ``request body #/properties/a/items``."""
    steps = "".join("/items" if key == "*" else f"/properties/{key}" for key in path)
    return f"request body #{steps}"


def _mentioned(schema: Any) -> set[str]:
    """Property names a schema requires or describes, at any depth."""
    if isinstance(schema, list):
        return {name for item in schema for name in _mentioned(item)}
    if not isinstance(schema, dict):
        return set()
    names = set(schema.get("properties") or {}) | set(schema.get("required") or [])
    return names | {name for value in schema.values() for name in _mentioned(value)}


def _erratum(errata: Errata | None, properties: set[str], prop: str) -> Erratum | None:
    """The ``prose-rule`` erratum that encodes a rule about ``prop`` of an object schema."""
    for entry in errata.of_rule("prose-rule") if errata is not None else ():
        if (entry.match and set(entry.match) <= properties) or prop in _mentioned(entry.schema):
            return entry
    return None


def _prose(schema: dict[str, Any], prop: str, needle: str, errata: Errata | None) -> str:
    """``prose: '<sentence>' (errata id ...)`` for a rule stated in ``prop``'s description."""
    props = schema.get("properties") or {}
    text = str((props.get(prop) or {}).get("description") or "")
    erratum = _erratum(errata, set(props), prop)
    cited = re.findall(r'"([^"]+)"', erratum.reason) if erratum is not None else []
    cited = [c for c in cited if needle.casefold() in c.casefold()]
    if needle.casefold() in text.casefold():
        quoted = f"'{sentence(text, needle)}' (`{prop}` description)"
    elif cited:
        quoted = f"'{cited[0]}' (as the erratum quotes it)"
    else:
        quoted = erratum.reason if erratum is not None else f"the rule on `{prop}`"
    return f"prose: {quoted}" + (f" (errata id {erratum.id})" if erratum is not None else "")


def _walk(schema: Any, path: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
    for branch in branches(schema):
        yield path, branch
        for key, sub in (branch.get("properties") or {}).items():
            yield from _walk(sub, (*path, key))
        if isinstance(branch.get("items"), dict):
            yield from _walk(branch["items"], (*path, "*"))


def _is_attachment(schema: dict[str, Any]) -> bool:
    props = schema.get("properties") or {}
    return "name" in props and ("data" in props or "data_url" in props)


def put(body: Any, path: Path, value: Any) -> Any | None:
    """A copy of body with value at path (objects created as needed), None if unreachable."""
    out = copy.deepcopy(body) if body is not None else {}
    node = out
    for i, key in enumerate(path):
        last = i == len(path) - 1
        if key == "*":
            if not isinstance(node, list) or not node:
                return None
            if last:
                node[0] = value
            node = node[0]
            continue
        if not isinstance(node, dict):
            return None
        if last:
            if value is _DELETE:
                node.pop(key, None)
            else:
                node[key] = value
        else:
            node = node.setdefault(key, {} if path[i + 1] != "*" else [])
    return out


_DELETE = object()


def _attachment(schema: dict[str, Any], **fields: Any) -> dict[str, Any]:
    base = minimal(schema) or {}
    base.update({"name": "report.pdf", "content_type": "application/pdf", "data": SAMPLE_DATA})
    for key, value in fields.items():
        if value is _DELETE:
            base.pop(key, None)
        else:
            base[key] = value
    return {k: v for k, v in base.items() if k in (schema.get("properties") or {})}


def _attachment_mutations(
    path: Path,
    schema: dict[str, Any],
    parent: dict[str, Any] | None,
    errata: Errata | None,
    data_url: str | None,
) -> Iterator[Mutation]:
    in_array = parent is not None
    site = path[:-1] if in_array else path
    props = schema.get("properties") or {}

    def one(**fields: Any) -> Callable[[Any], Any | None]:
        value = _attachment(schema, **fields)
        return lambda body: put(body, site, [value] if in_array else value)

    if in_array and isinstance(parent.get("maxItems"), int):
        top = parent["maxItems"]
        many = [_attachment(schema, name=f"file-{i}.pdf") for i in range(top + 2)]
        rule = keyword("maxItems", top, _pointer(site))
        yield Mutation(
            f"attachments-{top + 2}",
            "invalid",
            f"{top + 2} attachments (max {top})",
            lambda body: put(body, site, many),
            rule=rule,
        )
        exact = many[:top]
        yield Mutation(
            f"attachments-{top}",
            "edge",
            f"exactly {top} attachments",
            lambda body: put(body, site, exact),
            rule=rule,
        )
    yield Mutation(
        "attachment-without-data",
        "invalid",
        "an attachment with neither data nor data_url",
        one(data=_DELETE, data_url=_DELETE),
        "prose",
        _prose(schema, "data", "either", errata),
    )
    yield _not_base64(path, schema, one(data="this is not base64!"), errata)
    if (props.get("content_type") or {}).get("pattern"):
        yield Mutation(
            "attachment-bad-content-type",
            "invalid",
            "a content_type that is not type/subtype",
            one(content_type="pdf"),
            rule=keyword(
                "pattern", props["content_type"]["pattern"], _pointer((*path, "content_type"))
            ),
        )
    yield Mutation(
        "attachment-unicode-name",
        "edge",
        "a non-ASCII file name",
        one(name=UNICODE_NAME),
        rule=keyword("type", "string", _pointer((*path, "name"))),
    )
    if "data_url" in props:
        yield Mutation(
            "attachment-data-url-only",
            "edge",
            "an attachment with data_url only",
            one(data=_DELETE, content_type=_DELETE, data_url=data_url),
            "prose",
            _prose(schema, "data_url", "either", errata),
            skip=None if data_url else NO_DATA_URL,
        )


def _not_base64(
    path: Path, schema: dict[str, Any], apply: Callable[[Any], Any | None], errata: Errata | None
) -> Mutation:
    """``data`` that is not base64: a schema rule when ``contentEncoding``/``format`` says
    so, else the description's ("Base64-encoded contents")."""
    data = (schema.get("properties") or {}).get("data") or {}
    encoded = next(
        ((k, data[k]) for k in ("contentEncoding", "format") if data.get(k) in ("base64", "byte")),
        None,
    )
    rule = (
        keyword(*encoded, _pointer((*path, "data")))
        if encoded
        else _prose(schema, "data", "base64", errata)
    )
    return Mutation(
        "attachment-data-not-base64",
        "invalid",
        "attachment data that is not base64",
        apply,
        "schema" if encoded else "prose",
        rule,
    )


def _typed_branches(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    items = schema.get("items")
    found = []
    for branch in (items or {}).get("anyOf", []) if isinstance(items, dict) else []:
        const = ((branch.get("properties") or {}).get("type") or {}).get("const")
        if isinstance(const, str):
            found.append((const, branch))
    return found


def _attribute_mutations(path: Path, schema: dict[str, Any]) -> Iterator[Mutation]:
    typed = _typed_branches(schema)
    if len(typed) < 2:
        return
    items = [minimal(branch) for _, branch in typed]
    yield Mutation(
        "attributes-mixed",
        "edge",
        "one attribute of each type (" + ", ".join(t for t, _ in typed) + ")",
        lambda body: put(body, path, items),
        rule=keyword("anyOf", "of " + ", ".join(t for t, _ in typed), _pointer((*path, "*"))),
    )
    for index, (const, branch) in enumerate(typed):
        props = branch.get("properties") or {}
        objects = [
            k
            for k in branch.get("required", [])
            if k != "type" and (props.get(k) or {}).get("type") == "object"
        ]
        if objects:
            broken = {k: v for k, v in minimal(branch).items() if k != objects[0]}
            yield Mutation(
                f"{const.lower()}-without-{objects[0]}",
                "invalid",
                f"a {const} attribute without {objects[0]}",
                lambda body, b=broken: put(body, path, [b]),
                rule=keyword(
                    "required", branch["required"], _pointer((*path, "*")) + f"/anyOf/{index}"
                ),
            )


_WHEN = re.compile(r"(?:required|provided)\b.*\bwhen\b.*?`(\w+)`", re.I | re.S)


def _conditional_mutations(schema: dict[str, Any], errata: Errata | None) -> Iterator[Mutation]:
    props = schema.get("properties") or {}
    for name, prop in props.items():
        match = _WHEN.search(str(prop.get("description", "")))
        trigger = props.get(match.group(1)) if match else None
        if not match or not isinstance(trigger, dict) or not trigger.get("enum"):
            continue
        values = [v for v in re.findall(r"`(\w+)`", prop["description"]) if v in trigger["enum"]]
        if values:
            field, value = match.group(1), values[0]
            yield Mutation(
                f"{value.lower()}-without-{name}",
                "invalid",
                f"{field} {value} without {name}",
                lambda body, f=field, v=value, n=name: put(put(body, (f,), v), (n,), _DELETE),
                "prose",
                _prose(schema, name, "when", errata),
            )


def date_sites(schema: Any) -> list[tuple[Path, dict[str, Any]]]:
    """Where the schema has Kombo timestamps (``date-time`` with a ``pattern``)."""
    return [
        (path, node)
        for path, node in _walk(schema)
        if node.get("format") == "date-time" and node.get("pattern")
    ]


def mutations(
    schema: Any, errata: Errata | None = None, data_url: str | None = None
) -> list[Mutation]:
    """Every mutation the request schema's shapes call for, in a fixed order; ``errata``
    name the prose rules, ``data_url`` is the file URL the user chose (None: that edge
    case is skipped)."""
    found: list[Mutation] = []
    dates_done = False
    parents: dict[Path, dict[str, Any]] = {}
    for path, node in _walk(schema):
        parents[path] = node
        if _is_attachment(node) and not any(m.name.startswith("attachment-") for m in found):
            parent = parents.get(path[:-1]) if path and path[-1] == "*" else None
            found += _attachment_mutations(path, node, parent, errata, data_url)
        elif node.get("type") == "array" and _typed_branches(node):
            found += _attribute_mutations(path, node)
        elif node.get("format") == "date-time" and node.get("pattern") and not dates_done:
            dates_done = True
            found += [
                Mutation(
                    f"date-{slug}",
                    "invalid",
                    f"an impossible date {value}",
                    lambda body, p=path, v=value: put(body, p, v),
                    rule=keyword("format", node["format"], _pointer(path)),
                )
                for slug, value in IMPOSSIBLE_DATES.items()
            ]
    if isinstance(schema, dict):
        found += _conditional_mutations(schema, errata)
    return found
