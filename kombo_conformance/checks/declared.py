"""``declared_coverage``: a connector's declaration (``GET /integrations/{integration_id}``)
against what the target does.

Per read model and write action: declared available or not, against how its operation
answered (served, or ``INTEGRATION.*_NOT_AVAILABLE``). Per model field: the claim
(``coverage_status`` and ``is_available``) against the records seen:

- declared delivered (``SUPPORTED``, available) but null or absent in every record seen: a
  ``warning`` below :data:`MIN_SAMPLE` records, an ``error`` from there on;
- declared not delivered (``UNSUPPORTED``, ``NOT_IMPLEMENTED`` or not available) but filled
  (not null, ``""``, ``[]`` or ``{}``) in some record: an ``error``;
- a model or action declared available that answered ``*_NOT_AVAILABLE``, or declared not
  available and served: an ``error``.

Not judged: fields the contract has no place for (nothing could show them), a field only
deleted records carry (the contract's ``x-kombo-deleted-marker``: :func:`deletion_markers`)
while never seen filled, a parent field holding an available nested model's records, and
models with no record seen. Action input fields are reported (sent in how many served
requests) but not judged: an accepted input does not show what the remote did with it.
Every finding's ``rule`` is the declaration's own words: request, item, field, status.

:func:`judge` does it for any exchanges; the probe :func:`declared_coverage` (``run``) for
the operation under test, on its own sample (:data:`SAMPLE_PAGES` pages of the list, or one
write built from the documented example with real ids; the engine runs probes only on
operations the declaration says are available, so the reverse is ``availability``'s in a
run). ``certify`` judges every claim on everything the run saw
(:mod:`kombo_conformance.certify.declared`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from kombo_conformance.certify.coverage import filled, model_records, populated
from kombo_conformance.certify.matrix import DECLARED_CHECK as CHECK
from kombo_conformance.certify.matrix import Evidence
from kombo_conformance.checks.context import CheckContext
from kombo_conformance.checks.examples import UNRESOLVED, base_body
from kombo_conformance.checks.lookup import Lookup
from kombo_conformance.checks.session import ProbeResult, Session
from kombo_conformance.contract import Contract
from kombo_conformance.contract.datapoints import in_contract
from kombo_conformance.contract.declaration import Declaration, DeclaredField, DeclaredItem
from kombo_conformance.contract.records import deletion_markers
from kombo_conformance.exchange import Exchange, Request
from kombo_conformance.findings import Finding, Severity

MIN_SAMPLE = 5  # records seen before "declared SUPPORTED, never filled" is an error
SAMPLE_PAGES, PAGE_SIZE = 2, 100  # the probe's sample of a list: up to 200 records

ClaimVerdict = Literal["confirmed", "contradicted", "unconfirmed", "not judged", "no claim"]
CLAIM_VERDICTS: tuple[ClaimVerdict, ...] = (
    "confirmed", "contradicted", "unconfirmed", "not judged", "no claim"
)  # fmt: skip


@dataclass
class FieldClaim:
    """One declared field: the claim, what was seen, the verdict and why."""

    field: str
    claim: str  # e.g. "SUPPORTED" or "UNSUPPORTED, not available"
    seen: int  # records seen (models) or served requests (actions)
    filled: int  # of those, how many carried it
    verdict: ClaimVerdict
    why: str = ""


@dataclass
class ItemClaim:
    """One declared read model or write action."""

    kind: str
    id: str
    label: str
    operations: list[str]
    items: str | None
    claim: str  # e.g. "SUPPORTED, available"
    observed: str  # e.g. "served", "INTEGRATION.*_NOT_AVAILABLE", "not sent"
    verdict: ClaimVerdict
    fields: list[FieldClaim] = field(default_factory=list)


def _observed(evidence: Evidence) -> str:
    if not evidence.requests:
        return "not sent"
    if evidence.not_available:
        return "INTEGRATION.*_NOT_AVAILABLE"
    if evidence.served:
        return "served"
    return "rejected" if evidence.rejected else "errors only"


def _combined(evidence: Mapping[str, Evidence], operations: Sequence[str]) -> Evidence:
    total = Evidence()
    for name in vars(total):
        setattr(
            total, name, sum(getattr(evidence[op], name) for op in operations if op in evidence)
        )
    return total


class _Judge:
    """Judges claims one by one, filing findings."""

    def __init__(
        self,
        declaration: Declaration,
        contract: Contract,
        exchanges: Sequence[Exchange],
        evidence: Mapping[str, Evidence],
    ) -> None:
        self.declaration = declaration
        self.contract = contract
        self.exchanges = exchanges
        self.evidence = evidence
        self.findings: list[Finding] = []

    def report(
        self,
        item: DeclaredItem,
        operation: str,
        message: str,
        *,
        severity: Severity = "error",
        declared: DeclaredField | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        subject = f"{item.noun} {item.key} ({item.id})"
        pointer = item.pointer + (f"/fields/{declared.id}" if declared else "")
        status = declared.claim if declared else item.claim
        self.findings.append(
            Finding(
                check=CHECK,
                message=f"{self.declaration.tool_label} ({self.declaration.tool}), {subject}"
                f"{f', field {declared.id}' if declared else ''}: {message}",
                severity=severity,
                connector=self.declaration.tool,
                operation=operation,
                pointer=pointer,
                rule=f"{self.declaration.source}: {pointer} is {status}",
                details={
                    "kind": item.noun,
                    "item": item.id,
                    **({"field": declared.id} if declared else {}),
                    "declared": status,
                    **(details or {}),
                },
            )
        )

    def availability(self, item: DeclaredItem) -> tuple[str, ClaimVerdict]:
        if not item.operations:
            return "no operation in the contract", "not judged"
        evidence = _combined(self.evidence, item.operations)
        observed = _observed(evidence)
        if item.items:  # nested records: their availability is their parent's
            return observed, "not judged"
        if not (evidence.served or evidence.not_available):
            return observed, "unconfirmed"
        wrong = "not_available" if item.is_available else "served"
        shown = [op for op in item.operations if getattr(self.evidence.get(op, Evidence()), wrong)]
        if not shown:
            return observed, "confirmed"
        answered = "answered INTEGRATION.*_NOT_AVAILABLE" if item.is_available else "was served"
        for operation in shown:
            self.report(item, operation, f"declared {item.claim}, but {operation} {answered} "
                        f"({self.evidence[operation].describe()})")  # fmt: skip
        return observed, "contradicted"

    def _holds_nested(self, item: DeclaredItem, name: str) -> str | None:
        """The available nested model whose records live in ``name`` of ``item``'s records."""
        for other in self.declaration.models:
            if (other.items and other.is_available and other.operations == item.operations
                    and (other.items == name or other.items.startswith(f"{name}."))):  # fmt: skip
                return other.id
        return None

    def model_field(
        self,
        item: DeclaredItem,
        declared: DeclaredField,
        records: list[dict[str, Any]],
        deleted: dict[str, str],
    ) -> FieldClaim:
        seen = len(records)
        count = sum(populated(r, declared.id) for r in records)
        nonempty = sum(filled(r, declared.id) for r in records)
        claim = declared.claims_filled
        out = FieldClaim(declared.id, declared.claim, seen, count, "no claim")
        where = item.where
        nested = self._holds_nested(item, declared.id) if claim is False else None
        if not in_contract(self.contract, item.point, declared.id):
            out.verdict, out.why = "not judged", "the contract has no such field"
        elif not seen:
            out.verdict, out.why = "not judged", "no record seen"
        elif claim is True and count:
            out.verdict = "confirmed"
        elif claim is True and declared.id in deleted:
            out.verdict, out.why = "not judged", deleted[declared.id]
        elif claim is True:
            small = seen < MIN_SAMPLE
            out.verdict = "unconfirmed" if small else "contradicted"
            out.why = f"null or absent in all {seen} records seen" + (
                f" (fewer than {MIN_SAMPLE}: a warning)" if small else ""
            )
            self.report(
                item,
                item.operations[0],
                f"declared {declared.claim}, but null or absent in every one of the {seen} "
                f"records seen ({where})",
                severity="warning" if small else "error",
                declared=declared,
                details={"records": seen, "filled": 0, "min_sample": MIN_SAMPLE},
            )
        elif nested is not None:
            out.verdict, out.why = "not judged", f"holds the records of {nested} (available)"
        elif claim is False and nonempty:
            out.verdict, out.why = "contradicted", f"filled in {nonempty} of {seen} records"
            self.report(
                item,
                item.operations[0],
                f"declared {declared.claim}, but filled in {nonempty} of the {seen} records "
                f"seen ({where})",
                declared=declared,
                details={"records": seen, "filled": nonempty},
            )
        elif claim is False:
            out.verdict = "confirmed"
        return out

    def action_field(
        self, item: DeclaredItem, declared: DeclaredField, served: list[Exchange]
    ) -> FieldClaim:
        params = self.contract.operations[item.operations[0]].conventions.path_parameters
        if declared.id in params:
            sent = len(served)
        else:
            sent = sum(filled(e.request.body, declared.id) for e in served)
        verdict: ClaimVerdict = "no claim"
        why = "inputs are reported, not judged: a served request does not show their effect"
        if not in_contract(self.contract, item.point, declared.id):
            verdict, why = "not judged", "the contract has no such input"
        return FieldClaim(declared.id, declared.claim, len(served), sent, verdict, why)

    def item(self, item: DeclaredItem) -> ItemClaim:
        observed, verdict = self.availability(item)
        out = ItemClaim(
            item.noun, item.id, item.label, list(item.operations), item.items, item.claim,
            observed, verdict,
        )  # fmt: skip
        if not item.operations:
            return out
        if item.kind == "write_action":
            served = [
                e for e in self.exchanges
                if e.operation in item.operations and 200 <= e.status < 300
            ]  # fmt: skip
            out.fields = [self.action_field(item, f, served) for f in item.fields]
            return out
        records = [
            r for op in item.operations for r in model_records(self.exchanges, op, item.items)
        ]
        deleted = deletion_markers(self.contract.operations[item.operations[0]])
        out.fields = [self.model_field(item, f, records, deleted) for f in item.fields]
        return out


def judge(
    declaration: Declaration,
    contract: Contract,
    items: Sequence[DeclaredItem],
    exchanges: Sequence[Exchange],
    evidence: Mapping[str, Evidence],
) -> tuple[list[ItemClaim], list[Finding]]:
    """Every claim of ``items`` (of ``declaration``, already located) against
    ``exchanges`` and the ``evidence`` per operation; findings as in the module docstring."""
    judged = _Judge(declaration, contract, exchanges, evidence)
    claims = [judged.item(i) for i in items]
    return claims, judged.findings


def _sample(session: Session, ctx: CheckContext) -> list[Exchange]:
    """The operation's answers to judge: up to :data:`SAMPLE_PAGES` pages of a list, or one
    write of the documented example with real ids (none when it cannot be built)."""
    operation = ctx.operation
    lookup = Lookup(session)
    path = lookup.path(operation)
    if path is None:
        session.inconclusive(f"no records found to build a {operation.key} request: not judged")
        return []
    if not operation.conventions.is_list:
        body = base_body(lookup, operation)
        if body is UNRESOLVED:
            session.inconclusive(f"no records found to build a {operation.key} body: not judged")
            return []
        return [session.send(Request(operation.method, path, body=body))]
    pages, query = [], {"page_size": str(PAGE_SIZE)}
    while len(pages) < SAMPLE_PAGES:
        page = session.send(Request("GET", path, query=query))
        pages.append(page)
        data = page.json.get("data") if isinstance(page.json, dict) else None
        cursor = data.get("next") if isinstance(data, dict) else None
        if not 200 <= page.status < 300 or not isinstance(cursor, str):
            break
        query = {"page_size": str(PAGE_SIZE), "cursor": cursor}
    return pages


def declared_coverage(ctx: CheckContext) -> ProbeResult:
    """The declaration's claims about this operation (its models, nested models included,
    or its action) against a sample of its answers."""
    session = Session(ctx, CHECK)
    declaration, key = ctx.declaration, ctx.operation.key
    if not session.live or declaration is None:
        return session.result()
    items = [  # restricted to this operation: its findings name it
        replace(i, point=replace(i.point, operations=(key,)))
        for i in declaration.items
        if i.point and key in i.operations
    ]
    answers = _sample(session, ctx) if items else []
    if not answers:
        return session.result()
    evidence = Evidence()
    for answer in answers:
        evidence.add(answer)
    claims, found = judge(declaration, ctx.contract, items, answers, {key: evidence})
    for item in found:  # with the request that showed it, and its curl
        session.report(item.message, answers[0], severity=item.severity, pointer=item.pointer,
                       details=item.details, rule=item.rule)  # fmt: skip
    seen = max((f.seen for c in claims if c.kind == "model" for f in c.fields), default=0)
    session.note(
        f"{', '.join(c.id for c in claims)} of {declaration.source} judged on "
        + (f"{seen} records" if seen else f"{len(answers)} answers")
    )
    return session.result()
