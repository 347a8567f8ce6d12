"""Reading a "naftiko" capability listing (seed 003): which operations and query parameters
a published capability says the API has.

The format is YAML-like text that is often mangled: indentation flattened, descriptions
wrapped onto bare lines, the file cut off mid-item. So it is read line by line, by keys
(``path:``, ``method:``, ``- name:`` followed by ``in:``), never with a YAML parser, and
whatever is there is kept. A cut-off file is reported as truncated, with how much of it
was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kombo_conformance.errors import UsageError

KEY = re.compile(r"^(?:-\s+)?([A-Za-z_][\w-]*):\s*(.*?)\s*$")
DECLARED = re.compile(r"\b(\d+)\s+operations\b", re.IGNORECASE)
TRUNCATED = re.compile(r"^#.*\btruncated\b", re.IGNORECASE)
HTTP_METHODS = frozenset({"GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class CapabilityOperation:
    method: str
    path: str
    line: int
    query_parameters: list[str] = field(default_factory=list)
    complete: bool = True  # False for the last operation of a truncated listing

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class Capability:
    source: Path
    operations: list[CapabilityOperation]
    declared: int | None = None  # the operation count the listing announces
    truncated: bool = False
    note: str = ""  # the truncation marker, as written

    @property
    def by_key(self) -> dict[str, CapabilityOperation]:
        return {op.key: op for op in self.operations}

    @property
    def use_cases(self) -> frozenset[str]:
        """First path segments the listing covers (``ats``): the surface to compare."""
        return frozenset(op.path.strip("/").split("/", 1)[0] for op in self.operations)


def _unquote(value: str) -> str:
    return value.strip().strip("'\"")


def parse_capability(text: str, source: Path) -> Capability:
    """Parse capability text; raise UsageError when it lists no operation at all."""
    capability = Capability(source=source, operations=[])
    path: str | None = None
    pending: str | None = None  # the last `- name:` seen, a parameter if `in:` follows
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if TRUNCATED.match(line):
            capability.truncated, capability.note = True, line.lstrip("# -").strip(" -")
            continue
        if capability.declared is None and (found := DECLARED.search(line)) and number <= 10:
            capability.declared = int(found.group(1))
        match = KEY.match(line)
        if match is None:
            continue  # a wrapped description line
        key, value = match.group(1), _unquote(match.group(2))
        if key == "path" and value.startswith("/"):
            path, pending = value, None
        elif key == "method" and value.upper() in HTTP_METHODS and path:
            capability.operations.append(CapabilityOperation(value.upper(), path, number))
            pending = None
        elif key == "name" and line.startswith("-"):
            pending = value
        elif key == "in" and pending and capability.operations:
            if value == "query" and capability.operations[-1].path == path:
                capability.operations[-1].query_parameters.append(pending)
            pending = None
    if not capability.operations:
        raise UsageError(
            f"capability listing {source} names no operations (no `path:` followed by "
            "`method:`); is it a naftiko capability file?"
        )
    count = len(capability.operations)
    if capability.declared is not None and capability.declared > count:
        capability.truncated = True
    if capability.truncated:
        capability.operations[-1].complete = False
    return capability


def load_capability(path: str | Path) -> Capability:
    """Read and parse a capability file; unreadable files are a usage error (exit 2)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read capability listing {path}: {exc}") from None
    return parse_capability(text, path)
