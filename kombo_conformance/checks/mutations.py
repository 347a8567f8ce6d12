"""Fixed, data-driven body mutations: the invalid bodies (to be refused) and valid edge cases
(to be accepted) that a request schema and the declared prose rules call for.

**Schema** mutations, recognised by structure (never by path or field name):

- an array with ``maxItems`` m: m + 2 items (invalid), exactly m (edge);
- a string with a ``pattern`` and no ``format``: a value outside the pattern;
- typed items: an array whose items are an ``anyOf`` of objects told apart by a ``type``
  ``const``: one of each (edge), one lacking a required object (invalid);
- a date: a ``date-time`` string with a ``pattern``: impossible calendar dates;
- a ``name`` string of an array item: non-ASCII text (edge).

**Prose** mutations, one per declared prose rule (``contracts/errata.yaml``, read through
``contract/prose_rules.py``) that applies in the body: the example body changed so that it
breaks that rule and no other (invalid; judged by the rule's ``refused_with``), and, for a
rule offering a choice (``then.anyOf``), each branch the example does not take, taken
alone (edge).

Values are fixed so that a verdict is reproducible. Each mutation names its ``rule``:
``schema`` (a keyword at its place in the request schema) or ``prose`` (the declared
sentence and errata id). An edge case that needs a URL a target would fetch uses the one
the user chose (``--data-url``) and is otherwise not sent (``Mutation.unsent`` says why),
never sent to a host the user did not choose.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from kombo_conformance.checks.examples import FORMAT_SAMPLES, SAMPLE_DATA, branches, minimal
from kombo_conformance.checks.rules import keyword
from kombo_conformance.contract import Errata, prose_rules
from kombo_conformance.contract.errata import RefusedWith
from kombo_conformance.contract.prose_rules import ITEMS, NOTHING, Fill, Site, put

Path = tuple[str, ...]  # object keys; "*" steps into the first array item (or a given index)
IMPOSSIBLE_DATES = {"feb-30": "2023-02-30T00:00:00Z", "month-13": "2023-13-01T00:00:00Z"}
UNICODE_NAME = "Lebenslauf Jürgen Müller - 履歴書.pdf"
NO_DATA_URL = "{name} edge case not sent: pass --data-url (a file URL you own)"
#: A URL only for building bodies: an edge case carrying it is skipped, never sent.
PLACEHOLDER_URL = FORMAT_SAMPLES["uri"]


@dataclass(frozen=True)
class Mutation:
    name: str  # stable slug: the finding's pointer
    kind: Literal["invalid", "edge"]
    description: str
    apply: Callable[[Any], Any | None]  # a mutated copy of the body, None if not applicable
    source: Literal["schema", "prose"] = "schema"  # where the rule is stated
    rule: str = ""  # the rule, cited: "schema: maxItems 5 at ..." or "prose: '...'"
    refused_with: RefusedWith | None = None  # a prose rule's declared refusal
    needs: str = ""  # what an edge case must carry that only the user can give (a URL)

    def unsent(self, base: Any, mutated: Any) -> str | None:
        """Why ``mutated`` must not be sent: an edge case (a target would act on it) that
        carries the placeholder URL, which only the user's ``--data-url`` replaces."""
        added = PLACEHOLDER_URL in json.dumps(mutated) and PLACEHOLDER_URL not in json.dumps(base)
        return (
            NO_DATA_URL.format(name=self.needs or self.name)
            if self.kind == "edge" and added
            else None
        )


def _pointer(path: Path) -> str:
    """Where a path lies in the request schema: ``request body #/properties/a/items``."""
    steps = "".join("/items" if key == ITEMS else f"/properties/{key}" for key in path)
    return f"request body #{steps}"


def _walk(schema: Any, path: Path = ()) -> Iterator[tuple[Path, dict[str, Any]]]:
    for branch in branches(schema):
        yield path, branch
        for key, sub in (branch.get("properties") or {}).items():
            yield from _walk(sub, (*path, key))
        if isinstance(branch.get("items"), dict):
            yield from _walk(branch["items"], (*path, ITEMS))


def _fill(data_url: str | None) -> Fill:
    """Fixed values for a property a mutation must add: the schema's own ``minimal`` value,
    else the first sample that the schema accepts (URLs first for a ``..._url``/``url``)."""
    url = data_url or PLACEHOLDER_URL

    def fill(name: str, schema: dict[str, Any]) -> Any:
        parts = [p for p in schema.get("allOf", [schema]) if isinstance(p, dict)]
        samples = [url] if name.endswith("url") else []
        samples += [minimal(p, name) for p in parts]
        samples += [SAMPLE_DATA, *FORMAT_SAMPLES.values(), url, "application/pdf", "x", 1, True]
        return next((v for v in samples if prose_rules.valid(schema, v)), NOTHING)

    return fill


def _seeded(site_schema: dict[str, Any], path: Path, found: list[Site], fill: Fill) -> Any:
    """A small object for the place ``path`` honouring every rule there (None if none)."""
    obj = minimal(site_schema)
    for site in (s for s in found if s.path == path):
        if not isinstance(obj, dict) or not prose_rules.holds(site.rule, obj):
            options = (site.rule.then or {}).get("anyOf") or [site.rule.then]
            fixed = copy.deepcopy(obj)
            if not prose_rules.make_match(options[0], fixed, site, fill, found):
                return None
            obj = fixed
    return obj if prose_rules.satisfied(found, path, obj) else None


def _place(
    body: Any, path: Path, schema: dict[str, Any], found: list[Site], fill: Fill
) -> tuple[Any, Path, Any] | None:
    """(body, concrete path, object) for the object at ``path``: the body's own first one,
    else a seeded one put in (arrays get it as their only item)."""
    first = prose_rules.first_instance(body, path)
    if first is not None:
        return body, first[0], first[1]
    obj = _seeded(schema, path, found, fill)
    if obj is None:
        return None
    parent = path[:-1] if path and path[-1] == ITEMS else path
    with_it = put(body, parent, [obj] if parent != path else obj)
    return (with_it, path, obj) if with_it is not None else None


def _prose_mutations(
    schema: Any, errata: Errata | None, found: list[Site], data_url: str | None
) -> Iterator[Mutation]:
    fill = _fill(data_url)
    by_rule: dict[str, list[Site]] = {}
    for site in found:
        by_rule.setdefault(site.rule.id, []).append(site)
    tolerant = errata.tolerant(schema) if errata is not None else schema

    def still_valid(body: Any) -> bool:
        return prose_rules.valid(tolerant, body)

    for rule_id, places in by_rule.items():
        rule = places[0].rule

        def broken(body: Any, places: list[Site] = places) -> Any | None:
            for site in places:
                placed = _place(body, site.path, site.schema, found, fill)
                if placed is None:
                    continue
                base, where, obj = placed
                out = prose_rules.breaking(site, obj, fill, found)
                others = [s for s in found if s.rule.id != site.rule.id]
                if out is not None and prose_rules.satisfied(others, site.path, out):
                    mutated = put(base, where, out)
                    if mutated is not None and still_valid(mutated):
                        return mutated
            return None

        yield Mutation(
            rule_id,
            "invalid",
            f"a body breaking prose rule {rule_id} at {_pointer(places[0].path)}",
            broken,
            "prose",
            rule.cite(),
            refused_with=rule.refused_with,
        )
        yield from _choices(places, found, fill, still_valid, data_url)


def _choices(
    places: list[Site],
    found: list[Site],
    fill: Fill,
    still_valid: Callable[[Any], bool],
    data_url: str | None,
) -> Iterator[Mutation]:
    """Edge cases of a rule offering a choice: each ``anyOf`` branch taken alone."""
    site = places[0]
    for index, branch in enumerate((site.rule.then or {}).get("anyOf") or []):
        label = "+".join(branch.get("required", [])) or f"branch-{index}"

        def alone(body: Any, branch: dict[str, Any] = branch) -> Any | None:
            placed = _place(body, site.path, site.schema, found, fill)
            if placed is None:
                return None
            base, where, obj = placed
            for taken_label, out in prose_rules.alternatives(site, obj, fill, found):
                if taken_label == "+".join(branch.get("required", [])) and (
                    prose_rules.satisfied(found, site.path, out)
                ):
                    mutated = put(base, where, out)
                    return mutated if mutated is not None and still_valid(mutated) else None
            return None

        yield Mutation(
            f"{site.rule.id}:{label}",
            "edge",
            f"only {label} (prose rule {site.rule.id})",
            alone,
            "prose",
            site.rule.cite(),
            needs=label,
        )


def _array_mutations(
    path: Path, node: dict[str, Any], found: list[Site], data_url: str | None
) -> Iterator[Mutation]:
    top = node["maxItems"]
    items = node.get("items") if isinstance(node.get("items"), dict) else {}
    fill = _fill(data_url)
    slug = path[-1] if path else "body"
    rule = keyword("maxItems", top, _pointer(path))

    def sized(count: int) -> Callable[[Any], Any | None]:
        def apply(body: Any) -> Any | None:
            placed = _place(body, (*path, ITEMS), items, found, fill)
            return put(placed[0], path, [placed[2]] * count) if placed else None

        return apply

    yield Mutation(
        f"{slug}-{top + 2}", "invalid", f"{top + 2} {slug} (max {top})", sized(top + 2), rule=rule
    )
    yield Mutation(f"{slug}-{top}", "edge", f"exactly {top} {slug}", sized(top), rule=rule)


def _first_present(paths: list[Path], value: Any) -> Callable[[Any], Any | None]:
    """Put ``value`` at the first of ``paths`` whose object the body has."""

    def apply(body: Any) -> Any | None:
        path = next((p for p in paths if prose_rules.first_instance(body, p[:-1])), None)
        return put(body, path, value) if path is not None else None

    return apply


def _pattern_mutation(pattern: str, paths: list[Path]) -> Mutation | None:
    outside = next(
        (v for v in prose_rules.BREAKERS if isinstance(v, str) and not _matches(pattern, v)), None
    )
    if outside is None:
        return None
    slug = paths[0][-1]
    return Mutation(
        f"{slug}-outside-pattern",
        "invalid",
        f"a {slug} outside its pattern: {outside!r}",
        _first_present(paths, outside),
        rule=keyword("pattern", pattern, " or ".join(map(_pointer, paths))),
    )


def _matches(pattern: str, value: str) -> bool:
    return prose_rules.valid({"pattern": pattern}, value)


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
        f"{path[-1]}-mixed",
        "edge",
        "one item of each type (" + ", ".join(t for t, _ in typed) + ")",
        lambda body: put(body, path, items),
        rule=keyword("anyOf", "of " + ", ".join(t for t, _ in typed), _pointer((*path, ITEMS))),
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
                f"a {const} item without {objects[0]}",
                lambda body, b=broken: put(body, path, [b]),
                rule=keyword(
                    "required", branch["required"], _pointer((*path, ITEMS)) + f"/anyOf/{index}"
                ),
            )


def _unicode_name(paths: list[Path]) -> Mutation:
    return Mutation(
        "unicode-name",
        "edge",
        "a non-ASCII " + " or ".join("/".join(p for p in path if p != ITEMS) for path in paths),
        _first_present(paths, UNICODE_NAME),
        rule=keyword("type", "string", " or ".join(map(_pointer, paths))),
    )


def _is_plain_string(node: dict[str, Any]) -> bool:
    return node.get("type") == "string" and not {"enum", "const", "format", "pattern"} & set(node)


def date_sites(schema: Any) -> list[tuple[Path, dict[str, Any]]]:
    """Where the schema has Kombo timestamps (``date-time`` with a ``pattern``)."""
    return [
        (path, node)
        for path, node in _walk(schema)
        if node.get("format") == "date-time" and node.get("pattern")
    ]


def _schema_mutations(schema: Any, found: list[Site], data_url: str | None) -> Iterator[Mutation]:
    patterns: dict[str, list[Path]] = {}
    names: list[Path] = []
    dates = False
    for path, node in _walk(schema):
        if node.get("type") == "array" and isinstance(node.get("maxItems"), int):
            yield from _array_mutations(path, node, found, data_url)
        if node.get("type") == "array" and _typed_branches(node):
            yield from _attribute_mutations(path, node)
        if node.get("format") == "date-time" and node.get("pattern") and not dates:
            dates = True
            yield from (
                Mutation(
                    f"date-{slug}",
                    "invalid",
                    f"an impossible date {value}",
                    lambda body, p=path, v=value: put(body, p, v),
                    rule=keyword("format", node["format"], _pointer(path)),
                )
                for slug, value in IMPOSSIBLE_DATES.items()
            )
        elif node.get("pattern") and "format" not in node:
            patterns.setdefault(node["pattern"], []).append(path)
        if len(path) > 1 and path[-1] == "name" and _is_plain_string(node):
            names.append(path)
    for pattern, paths in patterns.items():
        if (mutation := _pattern_mutation(pattern, paths)) is not None:
            yield mutation
    if names:
        yield _unicode_name(names)


def mutations(
    schema: Any,
    errata: Errata | None = None,
    data_url: str | None = None,
    found: list[Site] | None = None,
) -> list[Mutation]:
    """Every mutation the request schema and the prose rules at ``found``
    (:func:`prose_rules.sites`) call for, in a fixed order; ``data_url`` is the file URL the
    user chose (None: edge cases needing one are skipped)."""
    found = found or []
    return [
        *_schema_mutations(schema, found, data_url),
        *_prose_mutations(schema, errata, found, data_url),
    ]
