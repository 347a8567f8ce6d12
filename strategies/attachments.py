"""Lists of files to upload (``attachments`` of an assessment order result, say), drawn from
their schema.

Give it the schema of the strict document (``Errata.strict``): there the declared prose
rules (``contracts/errata.yaml``: one of two contents, a type with inline content, base64
content) are part of the item schema. Which properties an item sends comes from that schema
alone: its ``required`` list, then a subset of the other declared properties that the whole
item schema, rules included, accepts. Nothing here names a property.

Values are realistic where the schema leaves freedom, chosen by what a property's schema
(its own facets plus what the rules add to it) accepts, not by its name:

* a string whose pattern accepts MIME types and refuses a file name: meaningful
  ``type/subtype`` values (never ``application/octet-stream``);
* a string constrained to base64 (a rule's pattern, say): base64 of a few bytes;
* a string described as a "file name": human-readable names with an extension;
* URI formats: ``strategies.urls`` (the user's ``--data-url``, else a ``.invalid`` host);
* anything else: the schema's own generator (``strategies.bodies``).

``strategies.prose`` breaks the declared rules one at a time; ``invalid_attachment`` breaks
the item schema itself.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from itertools import combinations
from typing import Any

import jsonschema_rs
from hypothesis import reject
from hypothesis import strategies as st

from kombo_conformance.contract.prose_rules import valid
from strategies.bodies import request_bodies
from strategies.tagged import Tagged, without

#: The longest list drawn (a generation size; limits come from the schema's ``maxItems``).
MAX_DRAWN = 5

Schema = dict[str, Any]
Attachment = dict[str, Any]

COMMON_CONTENT_TYPES = (
    "application/pdf",
    "application/json",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "text/plain",
    "text/csv",
    "text/html",
    "image/png",
    "image/jpeg",
    "image/webp",
)
EXTENSIONS = ("pdf", "docx", "xlsx", "csv", "txt", "png", "jpg", "json", "zip", "tar.gz")
#: Values that tell a MIME-typed string from the rest: accepted, and refused.
MIME_PROBES, NOT_MIME = ("application/pdf", "image/png", "text/csv"), "Resume.pdf"
#: base64 of a PDF header and of a PNG signature; text that is not base64.
BASE64_PROBES, NOT_BASE64 = ("JVBERi0xLjQK", "iVBORw0KGgo="), "not base64!"
FILE_NAME = re.compile(r"\bfile ?name\b", re.IGNORECASE)
BAD_CONTENT_TYPES = (
    "application/pdf; charset=binary",
    "pdf",
    "image/svg+xml",
    "application/",
    "/pdf",
    "",
    "text/plain/extra",
    "application /pdf",
)


def content_types() -> st.SearchStrategy[str]:
    """Meaningful ``type/subtype`` values (never octet-stream)."""
    return st.one_of(
        st.sampled_from(COMMON_CONTENT_TYPES),
        st.from_regex(r"\A(application|text|image|audio|video)/[a-z0-9][a-z0-9._-]{0,30}\Z"),
    )


def file_names() -> st.SearchStrategy[str]:
    """Human-readable names with a file extension, including non-ASCII letters."""
    stem = st.text(
        alphabet=st.characters(categories=("L", "N"), include_characters=" -_()"),
        min_size=1,
        max_size=40,
    ).filter(lambda s: s.strip() != "")
    return st.builds(lambda s, ext: f"{s}.{ext}", stem, st.sampled_from(EXTENSIONS))


def base64_data() -> st.SearchStrategy[str]:
    """Standard, padded base64 of 1..192 bytes."""
    return st.binary(min_size=1, max_size=192).map(lambda raw: base64.b64encode(raw).decode())


def _properties(schema: Any) -> dict[str, Schema]:
    props = schema.get("properties") if isinstance(schema, dict) else None
    return props if isinstance(props, dict) else {}


def _constraints(item: Schema, name: str) -> Schema:
    """What ``item`` asks of property ``name``: its own schema and what the ``allOf`` parts
    (the declared rules, in the strict document) add to it, their ``then`` included."""
    parts = [_properties(item).get(name, {})]
    for part in item.get("allOf") or []:
        for where in (part, (part or {}).get("then")):
            if name in _properties(where):
                parts.append(_properties(where)[name])
    return {"allOf": parts}


def _accepts(schema: Schema) -> Callable[[Any], bool]:
    """A fast judge of values against ``schema`` (formats asserted), for every draw."""
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid


def _accepts_only(schema: Schema, probes: tuple[str, ...], refused: str) -> bool:
    return all(valid(schema, p) for p in probes) and not valid(schema, refused)


def is_mime_typed(schema: Schema) -> bool:
    """A string schema that accepts MIME types and refuses a file name."""
    return _accepts_only(schema, MIME_PROBES, NOT_MIME)


def _value(item: Schema, name: str, data_url: str | None) -> st.SearchStrategy[Any]:
    """A realistic value for property ``name`` where its schema allows one, else the
    schema's own."""
    schema = _constraints(item, name)
    own = _properties(item).get(name, {})
    accepts = _accepts(schema)
    if is_mime_typed(schema):
        realistic = content_types()
    elif _accepts_only(schema, BASE64_PROBES, NOT_BASE64):
        realistic = base64_data()
    elif FILE_NAME.search(str(own.get("description", ""))):
        realistic = file_names()
    else:
        return request_bodies(schema, data_url)
    return realistic.filter(accepts)


#: Up to this many optional properties, every subset of them is tried; beyond, random ones.
ALL_SUBSETS_UP_TO = 6


@st.composite
def _item(
    draw: st.DrawFn,
    values: dict[str, st.SearchStrategy[Any]],
    required: list[str],
    accepts: Callable[[Any], bool],
) -> Attachment:
    drawn = {name: draw(strategy) for name, strategy in values.items()}
    optional = [name for name in values if name not in required]

    def item(chosen: tuple[str, ...]) -> Attachment:
        return {name: drawn[name] for name in [*required, *chosen]}

    if len(optional) <= ALL_SUBSETS_UP_TO:
        subsets = [c for n in range(len(optional) + 1) for c in combinations(optional, n)]
    else:
        subsets = [tuple(draw(st.lists(st.sampled_from(optional), unique=True)))]
    allowed = [c for c in subsets if accepts(item(c))]
    if not allowed:
        reject()  # no subset of these values honours the rules
    return item(draw(st.sampled_from(allowed)))


def attachment(item: Schema, data_url: str | None = None) -> st.SearchStrategy[Attachment]:
    """Items valid against ``item``: its required properties and a subset of the others
    (which subset: whatever ``item``, with the rules it holds, accepts)."""
    values = {name: _value(item, name, data_url) for name in _properties(item)}
    required = [name for name in item.get("required") or [] if name in values]
    return _item(values, required, _accepts(item))


def attachments(
    schema: Schema, data_url: str | None = None, max_size: int = MAX_DRAWN
) -> st.SearchStrategy[list[Attachment]]:
    """Lists of items valid against the array ``schema``, between its ``minItems`` and its
    ``maxItems`` long (at most ``max_size``, a generation size)."""
    low = schema.get("minItems", 0)
    high = max(low, min(schema.get("maxItems", max_size), max_size))
    return st.lists(attachment(schema["items"], data_url), min_size=low, max_size=high)


def too_many_attachments(
    schema: Schema, data_url: str | None = None
) -> st.SearchStrategy[Tagged[list[Attachment]]]:
    """``maxItems`` + 1 to + 5 valid items: breaks the array ``schema``'s ``maxItems``."""
    limit = schema["maxItems"]
    return st.lists(
        attachment(schema["items"], data_url), min_size=limit + 1, max_size=limit + 5
    ).map(lambda items: Tagged(items, f"more-than-{limit}-attachments"))


def invalid_attachment(
    item: Schema, data_url: str | None = None
) -> st.SearchStrategy[Tagged[Attachment]]:
    """Items that break ``item`` itself, tagged with why: a MIME-typed property set to a
    value its pattern refuses (``bad-content-type``), or a required property left out
    (``missing-<name>``). Prose rules: ``strategies.prose``."""
    valid_items = attachment(item, data_url)
    cases: list[st.SearchStrategy[Tagged[Attachment]]] = []
    for name, own in _properties(item).items():
        bad = [v for v in BAD_CONTENT_TYPES if not valid(own, v)]
        if is_mime_typed(own) and bad:
            cases.append(
                st.builds(
                    lambda a, v, n=name: Tagged({**a, n: v}, "bad-content-type"),
                    valid_items,
                    st.sampled_from(bad),
                )
            )
    for name in item.get("required") or []:
        cases.append(valid_items.map(lambda a, n=name: Tagged(without(a, n), f"missing-{n}")))
    return st.one_of(cases)


def describes_files(schema: Schema) -> bool:
    """An array of objects one of whose properties is MIME-typed: files to upload."""
    items = schema.get("items") if isinstance(schema, dict) else None
    return isinstance(items, dict) and any(is_mime_typed(p) for p in _properties(items).values())
