"""Profile drift: where a hand profile (``contracts/connectors/<slug>.yaml``) and the target's
declaration (``GET /integrations/{integration_id}``) disagree.

The declaration drives the run; the hand profile is only compared with it, and every
difference is a ``profile_drift`` warning naming the connector, the model or action and its
operation, the field, the hand profile's value and the declared one:

- an operation listed by one and not the other (where the declaration speaks: an operation
  no model or action of it is at is the hand profile's to say);
- for a model or action present in both: a field the hand profile lists (``fields`` or
  ``not_in_contract``) that the declaration does not declare delivered, and the reverse.

Models and actions only one side describes are compared at the operation level only (most
hand profiles list operations without fields).
"""

from __future__ import annotations

from kombo_conformance.contract import ConnectorProfile
from kombo_conformance.contract.datapoints import entry_fields, profile_entry
from kombo_conformance.contract.declaration import Declaration, DeclaredItem
from kombo_conformance.findings import Finding

CHECK = "profile_drift"


def _finding(
    declaration: Declaration,
    hand: ConnectorProfile,
    operation: str,
    pointer: str,
    what: str,
    hand_value: str,
    declared_value: str,
) -> Finding:
    return Finding(
        check=CHECK,
        message=(
            f"{what}: hand profile {hand.source.name} says {hand_value}, "
            f"{declaration.source} declares {declared_value} (the declaration drives the run)"
        ),
        severity="warning",
        connector=declaration.tool,
        operation=operation,
        pointer=pointer,
        rule=f"{declaration.source} compared with {hand.source.name}",
        details={"hand": hand_value, "declared": declared_value},
    )


def _item_drift(
    declaration: Declaration, hand: ConnectorProfile, item: DeclaredItem
) -> list[Finding]:
    """Field differences for a model or action both describe (the hand profile's entry of
    the same operation and ``items``); one declared not available differs by its operation."""
    section = getattr(hand, item.section)
    entry = profile_entry(section, item.point) if item.point and item.is_available else None
    if entry is None:
        return []
    declared = {f.id: f for f in item.fields}
    listed = set(entry_fields(entry))
    found = []
    for name in sorted(listed | {n for n, f in declared.items() if f.claims_filled}):
        claimed = declared.get(name)
        if (name in listed) == bool(claimed and claimed.claims_filled):
            continue
        found.append(
            _finding(
                declaration,
                hand,
                entry["operation"],
                f"{item.section}/{item.key}/fields/{name}",
                f"{item.noun} {item.key} ({item.id}, {item.where}) field {name}",
                "listed" if name in listed else "not listed",
                claimed.claim if claimed else "nothing (the field is not in the declaration)",
            )
        )
    return found


def profile_drift(declaration: Declaration, hand: ConnectorProfile | None) -> list[Finding]:
    """Every difference between ``hand`` and ``declaration`` (none without a hand profile)."""
    if hand is None:
        return []
    available = declaration.available_operations()
    listed = {op for op in hand.operations if not declaration.silent_on(op)}
    found = []
    for operation in sorted(listed ^ available):
        items = ", ".join(i.id for i in declaration.at(operation))
        declared = f"{items} {'available' if operation in available else 'not available'}"
        found.append(
            _finding(
                declaration,
                hand,
                operation,
                f"operations/{operation}",
                f"operation {operation}",
                "listed" if operation in listed else "not listed",
                declared,
            )
        )
    for item in declaration.items:
        found += _item_drift(declaration, hand, item)
    return found
