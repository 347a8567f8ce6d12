"""Independent judges of order result bodies (``PUT /assessment/orders/{id}/result``).

Two layers, neither taken from the code under test (``kombo_conformance.contract.prose_rules``
and ``strategies`` must not grade their own output):

* the contract's JSON schema, ``contracts/assessment.yaml``
  ``PutAssessmentOrdersAssessmentOrderIdResultRequestBody``, checked by ``jsonschema``
  (Draft 2020-12, formats asserted);
* the rules the contract states only in prose (declared in ``contracts/errata.yaml``:
  ``order-result-completed-at-when-final`` and the ``attachment-*`` rules), each written
  out below next to the sentence it comes from.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from tests.strategies.seed_schemas import ORDER_RESULT, contract_schema, validator

ORDER_RESULT_V = validator(contract_schema("assessment", ORDER_RESULT))


def _decodes_as_base64(value: Any) -> bool:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError, ValueError):
        return False
    return True


def broken_attachment_rules(item: dict[str, Any]) -> set[str]:
    """The prose rules of one ``attachments`` item that ``item`` breaks."""
    broken = set()
    # data_url, data: "You must provide either this or `data_url`."
    if "data" not in item and "data_url" not in item:
        broken.add("neither-data-nor-data-url")
    # content_type: "If you provide `data`, this is required."
    if "data" in item and "content_type" not in item:
        broken.add("data-without-content-type")
    # data: "Base64-encoded contents of the file you want to upload."
    if "data" in item and not _decodes_as_base64(item["data"]):
        broken.add("data-not-base64")
    # content_type: "validate that the content type you provide is actually meaningful (and
    # not something generic like `application/octet-stream`)"
    if item.get("content_type") == "application/octet-stream":
        broken.add("generic-content-type")
    return broken


def broken_order_result_rules(body: dict[str, Any]) -> set[str]:
    """The prose rules of the order result body that ``body`` breaks."""
    broken = set()
    # completed_at: "Please make sure this value is provided when the `status` is of the type
    # `COMPLETED` or `CANCELLED`."
    if body.get("status") in ("COMPLETED", "CANCELLED") and "completed_at" not in body:
        broken.add("final-status-without-completed-at")
    for item in body.get("attachments", []):
        broken |= broken_attachment_rules(item)
    return broken


def assert_valid_order_result(body: dict[str, Any]) -> None:
    """``body`` passes the contract's schema and breaks none of its prose rules."""
    ORDER_RESULT_V.validate(body)
    assert broken_order_result_rules(body) == set(), body
