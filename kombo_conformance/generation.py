"""Generated requests: schemathesis turns the contract into Hypothesis-generated cases.

Generation reads the *strict* view of the contract (kombo_conformance.contract.strict), so
"valid" requests honour the rules the spec states only in prose, and it pins the
``X-Integration-Id`` header so that negative generation mutates the request, not the
integration selection. Runs are reproducible: the same seed gives the same cases.

No generated request names a host the user did not choose: every URL in a body (``data_url``,
``result_url``, any ``format: uri`` string, positive or negative mode) is the user's
``data_url``, or without one a host under the reserved ``.invalid`` TLD; ``strategies.urls``
declares how, and this module applies it to the contract's examples, the generators and, as
a last check, every case.
"""

from __future__ import annotations

import contextlib
from typing import Any, Literal

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.generation.case import Case

from kombo_conformance.contract import Contract, Operation
from kombo_conformance.contract.bundle import HTTP_METHODS
from kombo_conformance.contract.resolve import Resolver
from strategies.schemathesis_hooks import Installation, install
from strategies.urls import confine_examples, names_only_allowed_hosts

CURSOR_PARAMETERS = frozenset({"cursor"})

Mode = Literal["positive", "negative"]
MODES: dict[Mode, GenerationMode] = {
    "positive": GenerationMode.POSITIVE,
    "negative": GenerationMode.NEGATIVE,
}


class CaseGenerator:
    """Generates schemathesis cases for the operations of one contract."""

    def __init__(self, contract: Contract, *, seed: int = 0, data_url: str | None = None) -> None:
        """``data_url``: a file URL the user owns, the only URL generated bodies may carry;
        without it they carry URLs on an unresolvable ``.invalid`` host."""
        self.contract = contract
        self.seed = seed
        self.data_url = data_url
        document = generation_document(contract, data_url=data_url)
        self.schema = schemathesis.openapi.from_dict(document)
        # Extra query parameters only make servers that ignore them look wrong (flaky ST201).
        self.schema.config.generation.update(allow_extra_parameters=False)
        # The project's Kombo strategies (``strategies/``) replace generic generation wherever
        # the document has a shape they answer to (dates, URLs, attributes, attachments, ...).
        self._strategies: Installation = install(document, self.schema, data_url=data_url)

    def cases(
        self,
        operation: Operation,
        *,
        mode: Mode,
        count: int,
        integration_id: str,
        path_parameters: dict[str, Any] | None = None,
    ) -> list[Case]:
        """Up to ``count`` distinct cases for operation (fewer when the space is smaller)."""
        self._strategies.activate()  # formats are process-global; another generator may have won
        api_operation = self.schema[operation.path][operation.method]
        strategy = api_operation.as_strategy(
            generation_mode=MODES[mode],
            headers={"X-Integration-Id": integration_id},
            path_parameters=path_parameters or None,
        )
        found: list[Case] = []

        @hypothesis.settings(
            max_examples=count,
            database=None,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
            verbosity=hypothesis.Verbosity.quiet,
        )
        @hypothesis.seed(self.seed)
        @hypothesis.given(case=strategy)
        def collect(case: Case) -> None:
            # Last line of defence (strategies.urls): Hypothesis also draws short literals of
            # local code ("http://...") into any text; a body naming another host is not sent.
            hypothesis.assume(names_only_allowed_hosts(case.body, self.data_url))
            found.append(case)

        # Unsatisfiable: nothing left to vary (e.g. negating an operation with no inputs).
        with contextlib.suppress(hypothesis.errors.Unsatisfiable):
            collect()
        return found


def generation_document(contract: Contract, *, data_url: str | None = None) -> dict[str, Any]:
    """The strict view of the contract, minus what generation must not invent.

    - ``security``: the Target authenticates every request itself and the ``auth`` probe
      tests missing and wrong keys explicitly, so negative generation must not spend cases
      on (or misjudge) a dropped Authorization header.
    - the ``cursor`` of list operations: a cursor is opaque, valid only as a ``next`` the
      server issued, so a generated one is rightly refused; the ``pagination`` probe follows
      real cursors instead.
    - hosts in examples: schemathesis mixes the contract's examples into positive cases, so
      every URL in an example or default becomes ``data_url`` (or moves to the ``.invalid``
      host); schemas are untouched.
    """
    document = contract.errata.strict(contract.document)
    document.pop("security", None)
    confine_examples(document, data_url)
    resolver = Resolver(document)
    for route, item in (document.get("paths") or {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or method not in HTTP_METHODS:
                continue
            operation.pop("security", None)
            key = f"{method.upper()} {route}"
            if key in contract.operations and contract.operations[key].conventions.is_list:
                operation["parameters"] = [
                    p for p in operation.get("parameters", []) if not _is_cursor(resolver.deref(p))
                ]
    return document


def _is_cursor(parameter: Any) -> bool:
    return (
        isinstance(parameter, dict)
        and parameter.get("in") == "query"
        and parameter.get("name") in CURSOR_PARAMETERS
    )
