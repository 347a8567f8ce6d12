"""``--shard I/N``: split the connectors so N CI machines certify in parallel.

The slugs are sorted and dealt round-robin: shard I (1-based) takes the I-th, (I+N)-th, ...
slug. Every connector lands in exactly one shard, the same one on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kombo_conformance.errors import UsageError

_SHARD = re.compile(r"(\d+)/(\d+)")


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; anything else is a usage error."""
    match = _SHARD.fullmatch(text.strip())
    index, total = (int(match[1]), int(match[2])) if match else (0, 0)
    if not match or total < 1 or not 1 <= index <= total:
        raise UsageError(
            f"--shard {text!r} must be I/N with 1 <= I <= N (e.g. --shard 1/4 ... --shard 4/4)"
        )
    return index, total


def shard(slugs: Sequence[str], index: int, total: int) -> list[str]:
    """The slugs of shard ``index`` of ``total`` (round-robin over the sorted slugs)."""
    return sorted(set(slugs))[index - 1 :: total]
