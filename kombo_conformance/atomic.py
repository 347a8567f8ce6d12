"""Atomic file writes: a reader sees the old file or the new one, never half of either.

The content goes to a temporary file in the target's directory, is flushed and fsynced,
then ``os.replace``-d over the target. On any exception the temporary file is removed and
the previous file is left untouched.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

Chunks = bytes | Iterable[bytes]
TextChunks = str | Iterable[str]


def write_bytes_atomic(path: str | Path, data: Chunks) -> Path:
    """Atomically replace ``path`` with ``data`` (bytes, or an iterable of byte chunks).

    Chunks are written as they are produced, so a producer that fails part-way leaves
    the old file intact. Parent directories are created. Returns the path written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_name = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
    # 0o666 is narrowed by the umask, as for any new file; an existing file keeps its mode.
    fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in [data] if isinstance(data, bytes | bytearray) else data:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(target, tmp_name)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(target.parent)
    return target


def write_text_atomic(path: str | Path, text: TextChunks, encoding: str = "utf-8") -> Path:
    """Atomically replace ``path`` with ``text`` (a string or an iterable of string chunks)."""
    chunks = [text] if isinstance(text, str) else text
    return write_bytes_atomic(path, (chunk.encode(encoding) for chunk in chunks))


def _keep_mode(target: Path, tmp_name: Path) -> None:
    """Give the replacement the permissions of the file it replaces, if there is one."""
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return
    os.chmod(tmp_name, mode)


def _fsync_dir(directory: Path) -> None:
    """Persist the rename itself (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
