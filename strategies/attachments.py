"""``attachments`` of an assessment order result.

Schema (seed 001)::

    type: array
    maxItems: 5
    items:
      required: [name]
      name: string
      content_type: string, pattern ^[\\w.-]+\\/[\\w.-]+$
      data_url: string, format uri
      data: string

Realistic files: human-readable names, meaningful MIME types, inline base64 content or a link
on a host the user chose. The rules the descriptions state (one of the two contents, a type
with inline content, base64) are declared in ``contracts/errata.yaml``, not here: generation
keeps only values the strict schema (which encodes them) accepts, and
``strategies.prose`` breaks them one at a time.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from hypothesis import strategies as st

from strategies.tagged import Tagged, without
from strategies.urls import data_urls

#: The longest list drawn (a generation size; limits come from the schema's ``maxItems``).
MAX_DRAWN = 5
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
    min_size: int = 0, max_size: int = MAX_DRAWN, data_url: str | None = None
) -> st.SearchStrategy[list]:
    """Lists of attachments, ``min_size`` to ``max_size`` long (pass the schema's
    ``maxItems``)."""
    return st.lists(attachment(data_url), min_size=min_size, max_size=max_size)


def too_many_attachments(
    max_items: int, data_url: str | None = None
) -> st.SearchStrategy[Tagged[list[Attachment]]]:
    """``max_items`` + 1 to + 5 attachments: breaks the schema's ``maxItems``."""
    return st.lists(attachment(data_url), min_size=max_items + 1, max_size=max_items + 5).map(
        lambda items: Tagged(items, f"more-than-{max_items}-attachments")
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


def invalid_attachment(data_url: str | None = None) -> st.SearchStrategy[Tagged[Attachment]]:
    """Attachments that break the schema, tagged with why (prose rules: ``strategies.prose``)."""
    inline, linked = inline_attachment(), linked_attachment(data_url)
    cases: list[st.SearchStrategy[Tagged[Attachment]]] = [
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
