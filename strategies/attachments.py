"""``attachments`` of an assessment order result.

Schema (seed 001)::

    type: array
    maxItems: 5
    items:
      required: [name]
      name: string
      content_type: string, pattern ^[\\w.-]+\\/[\\w.-]+$
      data_url: string, format uri
      data: string                     # base64

Prose rules the schema cannot express:

* "You must provide either ``data`` or ``data_url``."
* ``content_type`` "If you provide ``data``, this is required. If you provide ``data_url``,
  this is optional."
* ``data`` is "Base64-encoded contents of the file".
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from hypothesis import strategies as st

from strategies.tagged import Tagged, without
from strategies.urls import data_urls

MAX_ATTACHMENTS = 5
CONTENT_TYPE_PATTERN = r"^[\w.-]+\/[\w.-]+$"

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


def content_types() -> st.SearchStrategy[str]:
    """Meaningful ``type/subtype`` values that match the pattern (never octet-stream)."""
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


def inline_attachment() -> st.SearchStrategy[Attachment]:
    """``{name, content_type, data}``: inline base64 content, so ``content_type`` is required."""
    return st.fixed_dictionaries(
        {"name": file_names(), "content_type": content_types(), "data": base64_data()}
    )


def linked_attachment(data_url: str | None = None) -> st.SearchStrategy[Attachment]:
    """``{name, data_url[, content_type]}``: downloaded by Kombo, ``content_type`` optional.

    ``data_url`` is the user's file URL; without it links point at an unresolvable host
    (``strategies.urls``).
    """
    return st.fixed_dictionaries(
        {"name": file_names(), "data_url": data_urls(data_url)},
        optional={"content_type": content_types()},
    )


def attachment(data_url: str | None = None) -> st.SearchStrategy[Attachment]:
    """A valid attachment: exactly one of ``data`` / ``data_url``."""
    return st.one_of(inline_attachment(), linked_attachment(data_url))


def attachments(
    min_size: int = 0, max_size: int = MAX_ATTACHMENTS, data_url: str | None = None
) -> st.SearchStrategy[list]:
    """Lists of valid attachments, at most ``maxItems`` (5) long."""
    if max_size > MAX_ATTACHMENTS:
        raise ValueError(f"maxItems is {MAX_ATTACHMENTS}; use too_many_attachments() for more")
    return st.lists(attachment(data_url), min_size=min_size, max_size=max_size)


def is_base64(value: str) -> bool:
    """Strict standard base64 (padded, no whitespace)."""
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return False
    return len(value) % 4 == 0


def attachment_rule_violations(item: Attachment) -> list[str]:
    """The prose rules ``item`` breaks (the schema accepts all of these)."""
    found = []
    if "data" not in item and "data_url" not in item:
        found.append("neither-data-nor-data-url")
    if "data" in item and "content_type" not in item:
        found.append("data-without-content-type")
    if isinstance(item.get("data"), str) and not is_base64(item["data"]):
        found.append("data-not-base64")
    return found


def too_many_attachments(
    data_url: str | None = None,
) -> st.SearchStrategy[Tagged[list[Attachment]]]:
    """6..10 valid attachments: breaks ``maxItems: 5``."""
    return st.lists(attachment(data_url), min_size=MAX_ATTACHMENTS + 1, max_size=10).map(
        lambda items: Tagged(items, "more-than-5-attachments")
    )


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


def _not_base64() -> st.SearchStrategy[str]:
    return st.one_of(
        base64_data().map(lambda s: s.rstrip("=")[:-1] or "A"),  # wrong length
        base64_data().map(lambda s: "!" + s),  # outside the alphabet
        st.sampled_from(["not base64", "data:application/pdf;base64,JVBERi0=", "Zm9v\nYmFy"]),
    )


def invalid_attachment(data_url: str | None = None) -> st.SearchStrategy[Tagged[Attachment]]:
    """Attachments that break the schema or a prose rule, tagged with why and which."""
    inline, linked = inline_attachment(), linked_attachment(data_url)
    cases: list[st.SearchStrategy[Tagged[Attachment]]] = [
        st.fixed_dictionaries(
            {"name": file_names()}, optional={"content_type": content_types()}
        ).map(lambda a: Tagged(a, "neither-data-nor-data-url", "prose")),
        inline.map(
            lambda a: Tagged(
                without(a, "content_type"),
                "data-without-content-type",
                "prose",
            )
        ),
        st.builds(
            lambda a, d: Tagged({**a, "data": d}, "data-not-base64", "prose"), inline, _not_base64()
        ),
        st.builds(
            lambda a, c: Tagged({**a, "content_type": c}, "bad-content-type"),
            st.one_of(inline, linked),
            st.sampled_from(BAD_CONTENT_TYPES),
        ),
        st.one_of(inline, linked).map(lambda a: Tagged(without(a, "name"), "missing-name")),
    ]
    return st.one_of(cases)


def content_type_matches(value: str) -> bool:
    """``content_type`` against its pattern, searched like jsonschema does."""
    return re.search(CONTENT_TYPE_PATTERN, value) is not None
