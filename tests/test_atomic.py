"""Atomic writes: old content survives any failure and no temporary file is left behind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kombo_conformance.atomic import write_bytes_atomic, write_text_atomic


def _leftovers(directory: Path, keep: str) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name != keep)


def test_writes_new_file_and_creates_parent_directories(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "report.json"
    assert write_text_atomic(target, "héllo") == target
    assert target.read_text(encoding="utf-8") == "héllo"
    assert _leftovers(target.parent, keep="report.json") == []


def test_replaces_existing_content_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_failing_producer_mid_write_keeps_old_file_and_removes_temp(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("previous report")

    def chunks() -> Iterator[str]:
        yield "first half of a new report\n"
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError, match="renderer crashed"):
        write_text_atomic(target, chunks())
    assert target.read_text() == "previous report"
    assert _leftovers(tmp_path, keep="summary.md") == []


def test_failing_replace_keeps_old_file_and_removes_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "junit.xml"
    target.write_text("<old/>")

    def broken_replace(src: str, dst: str) -> None:
        assert Path(src).read_text() == "<new/>"  # the new content was fully written first
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "<new/>")
    assert target.read_text() == "<old/>"
    assert _leftovers(tmp_path, keep="junit.xml") == []


def test_chunks_are_concatenated(tmp_path: Path) -> None:
    target = write_text_atomic(tmp_path / "x", iter(["a", "b", "c"]))
    assert target.read_text() == "abc"
