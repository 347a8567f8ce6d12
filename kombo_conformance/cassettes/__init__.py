"""Cassettes: record exchanges as vcrpy cassettes, redact them, replay them offline.

- :mod:`.layout` names the files (``<dir>/<connector>/<METHOD>_<path>.yaml``);
- :mod:`.sanitize` (secrets, always) and :mod:`.pii` (personal data, by default) scrub an
  exchange before it is serialised by :mod:`.serialize`;
- :mod:`.record` buffers exchanges and writes cassettes atomically;
- :mod:`.load` reads and validates cassette files, :mod:`.replay` re-judges them against
  the current contracts without network. See docs/cassettes.md.
"""
