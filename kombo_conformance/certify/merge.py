"""``certify --merge DIR...``: one matrix and verdict from the shards' certification.json."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kombo_conformance.certify import certification_json
from kombo_conformance.certify.result import Certification
from kombo_conformance.errors import UsageError


def merge(directories: Sequence[str | Path]) -> Certification:
    """The union of the shards' connectors (sorted by slug) and operations. A connector
    certified by two shards is a usage error: the shards were not split consistently."""
    parts = [certification_json.load(d) for d in directories]
    connectors, seen, operations = [], {}, {}
    for directory, part in zip(directories, parts, strict=True):
        for connector in part.connectors:
            if connector.slug in seen:
                raise UsageError(
                    f"connector {connector.slug!r} is in both {seen[connector.slug]} and "
                    f"{directory}: each shard must certify different connectors (--shard I/N)"
                )
            seen[connector.slug] = directory
            connectors.append(connector)
        operations.update(dict.fromkeys(part.operations))
    modes = sorted({str(p.meta.get("mode", "")) for p in parts})
    environments = sorted({str(p.meta["environment"]) for p in parts if p.meta.get("environment")})
    meta = {
        "mode": "merge",
        "merged": [str(Path(d)) for d in directories],
        "source_modes": modes,
        "environment": ", ".join(environments) or None,
        "duration_s": round(sum(float(p.meta.get("duration_s", 0.0)) for p in parts), 3),
    }
    return Certification(
        connectors=sorted(connectors, key=lambda c: c.slug),
        operations=list(operations),
        meta=meta,
        stale=[e for p in parts for e in p.stale],
        expired=list({e.fingerprint: e for p in parts for e in p.expired}.values()),
        baseline_file=next((p.baseline_file for p in parts if p.baseline_file), None),
    )
