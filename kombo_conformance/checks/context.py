"""What a check is given: the contract, the operation, the connector, and a way to send."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kombo_conformance.contract import ConnectorProfile, Contract, Operation
from kombo_conformance.contract.declaration import Declaration
from kombo_conformance.exchange import Exchange, Request

Send = Callable[[Request], Exchange]


@dataclass
class CheckContext:
    """Everything a check needs besides the exchange under judgement.

    ``send`` performs a follow-up request against the same target and integration; it is
    None when replaying cassettes, and checks that need follow-ups then judge only what was
    recorded. The header contract of ``send`` (the engine implements it):

    - ``Authorization: Bearer <api key>`` and ``X-Integration-Id: <integration>`` are added
      to every request that does not set them in ``Request.headers``;
    - an explicit value for either header (any casing of the name) is sent as given, so a
      probe can send a wrong token or an unknown integration;
    - the value ``""`` means *omit this header*: the request goes out without it;
    - the returned ``Exchange`` carries ``connector`` and the ``operation`` its request
      matched (a probe's follow-ups often exercise other operations, e.g. a list to fetch
      ids, and are judged against those), and its ``request.headers`` are the headers as
      sent (secrets are masked by the checks
      when they build findings, via :mod:`kombo_conformance.redact`).

    ``consistency_timeout`` bounds how long a probe waits for a write to show in reads
    (Kombo serves lists from synced copies); ``data_url`` is a URL the user chose for
    request bodies that point at a file (None: such cases are skipped, never sent to a host
    the user did not choose).

    ``declaration`` is what the target declared about the integration (``GET
    /integrations/{integration_id}``, see :mod:`kombo_conformance.learn`), None when it
    gave none; ``profile`` is then the profile it makes.

    ``notes`` is scratch space shared by the checks of one context (e.g. fetched ids);
    ``notes["secrets"]`` may list extra secret values to mask in findings.
    """

    contract: Contract
    operation: Operation
    connector: str
    profile: ConnectorProfile | None = None
    send: Send | None = None
    strict: bool = False
    consistency_timeout: float = 10.0  # how long read-after-write polls before it judges
    data_url: str | None = None  # the URL a `data_url` edge case may use; None: skip that case
    declaration: Declaration | None = None
    notes: dict[str, object] = field(default_factory=dict)
