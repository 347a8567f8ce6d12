"""--shard I/N: a deterministic partition of the connectors."""

from __future__ import annotations

import pytest

from kombo_conformance.certify.shard import parse_shard, shard
from kombo_conformance.errors import UsageError

SLUGS = ["workday", "ashby", "lever", "homerun", "moodle", "gem", "sandbox"]


@pytest.mark.parametrize("total", [1, 2, 3, 7, 9])
def test_every_connector_in_exactly_one_shard(total: int) -> None:
    parts = [shard(SLUGS, i, total) for i in range(1, total + 1)]
    assert sorted(s for part in parts for s in part) == sorted(SLUGS)
    assert parts == [shard(list(reversed(SLUGS)), i, total) for i in range(1, total + 1)]


def test_round_robin_over_sorted_slugs() -> None:
    assert shard(SLUGS, 1, 3) == ["ashby", "lever", "workday"]
    assert shard(SLUGS, 3, 3) == ["homerun", "sandbox"]


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "a/b", "1", "1/2/3"])
def test_bad_shard_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="must be I/N"):
        parse_shard(text)


def test_parse() -> None:
    assert parse_shard(" 2/4 ") == (2, 4)
