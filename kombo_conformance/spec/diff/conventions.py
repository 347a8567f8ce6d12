"""Kombo's conventions (see ``contract.conventions``) compared per operation: the error
envelope switching between ATS and general, and the list envelope appearing or going away.
Changes to the error ``code`` enum and to pagination or filter parameters are classified
where they are found (``operations.CODE_RULES``, ``OperationDiffer.parameters``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kombo_conformance.contract import Operation
from kombo_conformance.spec.diff.model import Node

if TYPE_CHECKING:
    from kombo_conformance.spec.diff.operations import OperationDiffer


def convention_changes(differ: OperationDiffer, before: Operation, after: Operation) -> None:
    """Error envelope switched; list envelope removed or added."""
    op = after.key
    old_envelope, new_envelope = before.conventions.error_envelope, after.conventions.error_envelope
    if old_envelope and new_envelope and old_envelope.use_case != new_envelope.use_case:
        differ.out.add(
            "error_envelope_changed",
            f"the error envelope changed from the {old_envelope.use_case} to the "
            f"{new_envelope.use_case} one",
            op,
            "response default",
            Node(None, before.pointer + "/responses/default"),
            Node(None, after.pointer + "/responses/default"),
        )
    if before.conventions.is_list != after.conventions.is_list:
        rule = "list_envelope_removed" if before.conventions.is_list else "list_envelope_added"
        message = (
            "no longer a paginated list" if before.conventions.is_list else "now a paginated list"
        )
        differ.out.add(
            rule,
            message,
            op,
            "response 200",
            Node(None, before.pointer + "/responses/200"),
            Node(None, after.pointer + "/responses/200"),
        )
