"""The recording flags of ``kombo-conformance run`` and the recorder they configure.

Wiring (in ``cli/run.py``)::

    add_record_arguments(parser)
    recorder = recorder_from_args(args, api_key=settings.api_key or SANDBOX_API_KEY)
    ... ConformanceRun(..., recorder=recorder) ...
    if recorder is not None:
        recorder.save()
"""

from __future__ import annotations

import argparse

from kombo_conformance.cassettes.layout import DEFAULT_DIRECTORY, MAX_INTERACTIONS
from kombo_conformance.cassettes.record import CassetteRecorder


def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("recording cassettes")
    group.add_argument(
        "--record",
        action="store_true",
        help="write every exchange of this run as vcrpy cassettes, one file per operation "
        "under <cassette dir>/<connector>/ (replay them with `kombo-conformance replay`); "
        "existing cassettes of the recorded operations are replaced atomically",
    )
    group.add_argument(
        "--cassette-dir",
        metavar="DIR",
        default=str(DEFAULT_DIRECTORY),
        help=f"where --record writes cassettes (default: {DEFAULT_DIRECTORY}/)",
    )
    group.add_argument(
        "--no-redact-pii",
        dest="redact_pii",
        action="store_false",
        help="record personal data as the target returned it. By default, names, email "
        "addresses, phone numbers, note contents and attachment contents (and file names) "
        "of candidates and users are replaced by stable fakes before they are written; "
        "this flag keeps the real values. API keys, bearer tokens and the Authorization "
        f"header are masked either way. At most {MAX_INTERACTIONS} distinct interactions "
        "are kept per operation",
    )


def recorder_from_args(args: argparse.Namespace, *, api_key: str) -> CassetteRecorder | None:
    """The recorder ``--record`` asks for (None without it); ``api_key`` is masked."""
    if not getattr(args, "record", False):
        return None
    return CassetteRecorder(
        args.cassette_dir, redact_pii=getattr(args, "redact_pii", True), secrets=[api_key]
    )
