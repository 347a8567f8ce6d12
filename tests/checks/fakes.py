"""Stand-in targets for probe tests: a fake list (``FakeList.send`` is a ``ctx.send``) that
shows one behaviour at a time, without a server, and a clock for read-after-write."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from kombo_conformance.checks.context import CheckContext
from kombo_conformance.contract import Contract
from kombo_conformance.exchange import Exchange, Request

BASE = "http://fake.invalid/v1"
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
STATUSES = ("OPEN", "COMPLETED", "CANCELLED", "REJECTED")  # GET /assessment/orders' list


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def reply(request: Request, status: int, body: object, operation: str) -> Exchange:
    """An exchange as a target returns it (the URL carries the query)."""
    query = ("?" + urlencode(request.query)) if request.query else ""
    return Exchange(
        request=request,
        url=BASE + request.path + query,
        status=status,
        headers={"content-type": "application/json"},
        content=json.dumps(body).encode(),
        operation=operation,
    )


@dataclass
class FakeList:
    """A list of ``total`` records (made on demand) behind one list operation.

    Record ``i``: id ``id<i>``, status cycling through STATUSES, ``changed_at`` one second
    per two records (so pairs share a timestamp), every ``deleted_every``-th deleted.
    Switches: ``short_every`` (every n-th page holds one record fewer, ``next`` set),
    ``inclusive`` (``updated_after`` keeps records changed exactly at it), ``ignore``
    (filters it does not apply), ``unsupported`` (filters on fields the integration does
    not support: nothing comes back unless ``ignore_unsupported_filters=true``, which ignores
    them), ``leak_deleted``, ``fail_page`` (a 500 on that page).
    """

    operation: str = "GET /assessment/orders"
    total: int = 100
    short_every: int = 0
    inclusive: bool = True
    ignore: frozenset[str] = frozenset()
    deleted_every: int = 0
    leak_deleted: bool = False
    unsupported: frozenset[str] = frozenset()  # filters that empty the list (unless ignored)
    fail_page: int | None = None
    requests: list[Request] = field(default_factory=list)
    _pages: dict[str, tuple[int, int]] = field(default_factory=dict)  # cursor: (page, offset)

    def record(self, i: int) -> dict[str, object]:
        deleted = self.deleted_every and i % self.deleted_every == self.deleted_every - 1
        return {
            "id": f"id{i:06d}",
            "remote_id": f"remote{i:06d}",
            "status": STATUSES[i % len(STATUSES)],
            "changed_at": stamp(EPOCH + timedelta(seconds=i // 2)),
            "remote_deleted_at": stamp(EPOCH) if deleted else None,
        }

    def _keeps(self, record: dict[str, object], query: dict[str, str]) -> bool:
        def on(name: str) -> bool:
            return name in query and name not in self.ignore

        if any(name in query for name in self.unsupported):
            return query.get("ignore_unsupported_filters") == "true"

        if record["remote_deleted_at"] and not (
            self.leak_deleted or query.get("include_deleted") == "true"
        ):
            return False
        if on("ids") and record["id"] not in query["ids"].split(","):
            return False
        if on("remote_ids") and record["remote_id"] not in query["remote_ids"].split(","):
            return False
        if on("statuses") and record["status"] not in query["statuses"].split(","):
            return False
        if on("status") and record["status"] != query["status"]:
            return False
        if on("updated_after"):
            changed, threshold = parse(str(record["changed_at"])), parse(query["updated_after"])
            return changed >= threshold if self.inclusive else changed > threshold
        return True

    def _indices(self, query: dict[str, str]) -> list[int] | range:
        if "ids" in query and "ids" not in self.ignore:
            wanted = [int(i[2:]) for i in query["ids"].split(",") if i[2:].isdigit()]
            return sorted(i for i in wanted if i < self.total)
        return range(self.total)

    def send(self, request: Request) -> Exchange:
        self.requests.append(request)
        query = dict(request.query)
        cursor = query.pop("cursor", None)
        size = int(query.pop("page_size", "100"))
        number, offset = self._pages.get(cursor, (1, 0)) if cursor else (1, 0)
        if number == self.fail_page:
            return reply(request, 500, {"status": "error"}, self.operation)
        if self.short_every and number % self.short_every == 0:
            size -= 1
        results, position = [], offset
        indices = self._indices(query)
        while position < len(indices) and len(results) < size:
            record = self.record(indices[position])
            position += 1
            if self._keeps(record, query):
                results.append(record)
        next_cursor = None
        if position < len(indices):
            next_cursor = f"c{len(self._pages)}"
            self._pages[next_cursor] = (number + 1, position)
        body = {"status": "success", "data": {"next": next_cursor, "results": results}}
        return reply(request, 200, body, self.operation)


def fake_context(
    contract: Contract, fake: FakeList, *, strict: bool = False, connector: str = "sandbox"
) -> CheckContext:
    return CheckContext(
        contract=contract,
        operation=contract.operation(fake.operation),
        connector=connector,
        profile=contract.profiles.get(connector),
        send=fake.send,
        strict=strict,
    )


@dataclass
class Clock:
    """A fake ``monotonic``/``sleep`` pair: sleeping moves the time on, instantly."""

    now: float = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
