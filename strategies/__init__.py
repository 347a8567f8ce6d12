"""Hypothesis strategies for the Kombo unified API contract.

One module per schema shape; ``registry.strategy_for(schema)`` maps a JSON schema to the
strategy that answers it, and ``schemathesis_hooks.install(document)`` wires them into
schemathesis. Rules stated only in prose are data (``contracts/errata.yaml``): valid bodies
honour them through the strict schema (``bodies.request_bodies``), and ``prose.rule_breaking``
breaks them one at a time. ``urls`` decides every URL a generated body may carry: the user's
``data_url``, else a host under the reserved ``.invalid`` TLD.
"""

from strategies.attachments import (
    attachment,
    attachments,
    invalid_attachment,
    too_many_attachments,
)
from strategies.attributes import (
    attributes,
    invalid_attribute,
    sub_result_attribute,
    text_attribute,
)
from strategies.bodies import request_bodies
from strategies.dates import (
    AmbiguousDate,
    DateVerdict,
    ambiguous_dates,
    classify_date,
    invalid_dates,
    pattern_dates,
)
from strategies.ids import cursors, id_lists, invalid_cursors, kombo_ids, remote_ids
from strategies.prose import rule_breaking
from strategies.queries import invalid_page_sizes, list_queries, page_sizes
from strategies.registry import shape_of, strategy_for
from strategies.remote_fields import connector_remote_fields, remote_fields
from strategies.tagged import Tagged
from strategies.urls import data_urls

__all__ = [
    "AmbiguousDate",
    "DateVerdict",
    "Tagged",
    "ambiguous_dates",
    "attachment",
    "attachments",
    "attributes",
    "classify_date",
    "connector_remote_fields",
    "cursors",
    "data_urls",
    "id_lists",
    "invalid_attachment",
    "invalid_attribute",
    "invalid_cursors",
    "invalid_dates",
    "invalid_page_sizes",
    "kombo_ids",
    "list_queries",
    "page_sizes",
    "pattern_dates",
    "remote_fields",
    "remote_ids",
    "request_bodies",
    "rule_breaking",
    "shape_of",
    "strategy_for",
    "sub_result_attribute",
    "text_attribute",
    "too_many_attachments",
]
