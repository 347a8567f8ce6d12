"""A connector profile as Kombo's coverage declaration (what the sandbox serves as
``GET /integrations/{integration_id}`` and ``GET /tools/{category}``).

Per datapoint of the profile's use cases (:mod:`kombo_conformance.contract.datapoints`):

- **model/action**: ``SUPPORTED`` when the profile lists one of its operations, else
  ``UNSUPPORTED``; ``is_available`` follows.
- **fields**, when the profile describes the datapoint (a ``models``/``actions`` entry): its
  ``fields`` and ``not_in_contract`` fields are ``SUPPORTED``, every other field the
  contract gives the datapoint ``UNSUPPORTED``. Without an entry the profile knows nothing
  about fields: all are ``UNKNOWN``. Fields of an unsupported datapoint are ``UNSUPPORTED``.
- a field is ``is_available`` when its datapoint is and it is not ``UNSUPPORTED``.

The reverse, the profile a declaration makes: :func:`.pull.declared_profile`.
"""

from __future__ import annotations

from collections.abc import Mapping

from kombo_conformance.contract.datapoints import (
    SECTIONS,
    contract_fields,
    datapoints_for,
    entry_fields,
    profile_entry,
)
from kombo_conformance.contract.declaration import (
    SUPPORTED,
    UNKNOWN,
    UNSUPPORTED,
    DeclaredItem,
    declared_item,
)
from kombo_conformance.contract.model import Contract
from kombo_conformance.contract.profiles import ConnectorProfile


def declare(
    contract: Contract,
    profile: ConnectorProfile | None,
    categories: set[str] | None = None,
) -> list[DeclaredItem]:
    """The declaration for a connector (``None``: one that supports every operation with
    unknown field coverage), restricted to ``categories`` (default: the profile's use
    cases)."""
    if categories is None and profile is not None:
        categories = set(profile.use_cases)
    out = []
    for point in datapoints_for(contract, categories):
        supported = any(
            (profile.supports(op) if profile else op in contract.operations)
            for op in point.operations
        )
        section = (profile.raw.get(SECTIONS[point.kind]) or {}) if profile else {}
        entry = profile_entry(section, point)
        names = contract_fields(contract, point)
        if entry is not None:
            covered = entry_fields(entry)
            names = list(dict.fromkeys([*covered, *names]))
            statuses = {n: SUPPORTED if n in covered else UNSUPPORTED for n in names}
        else:
            statuses = dict.fromkeys(names, UNKNOWN)
        if not supported:
            statuses = dict.fromkeys(names, UNSUPPORTED)
        status = SUPPORTED if supported else UNSUPPORTED
        out.append(declared_item(point.kind, point.id, point.label, status, statuses, point))
    return out


def restated(
    item: DeclaredItem, status: str | None = None, fields: Mapping[str, str] | None = None
) -> DeclaredItem:
    """``item`` with another status and/or field statuses, availability following them."""
    return declared_item(
        item.kind, item.id, item.label, status or item.coverage_status,
        item.statuses | dict(fields or {}), item.point,
    )  # fmt: skip
