"""Atomic writes: whole files or none, the ordinary mode, no temporaries left behind."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

import pytest

from rapportpaket.support.files import remove_stale_temporaries, write_atomic, write_atomic_with


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_atomic_writes_bytes_and_text(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.bin", b"\x00\x01PK")
    write_atomic(tmp_path / "deep" / "er" / "b.txt", "Värmdö")
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01PK"
    assert (tmp_path / "deep" / "er" / "b.txt").read_bytes() == "Värmdö".encode()
    assert leftovers(tmp_path) == [] and leftovers(tmp_path / "deep" / "er") == []


def test_write_atomic_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "rapport.pdf"
    target.write_bytes(b"old and much longer content")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"


def test_mode_is_what_a_new_file_gets_under_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "f.txt"
    write_atomic(target, "x")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~current_umask()


@pytest.mark.parametrize(("umask", "mode"), [(0o027, 0o640), (0o002, 0o664), (0o077, 0o600)])
def test_mode_follows_the_process_umask(tmp_path: Path, umask: int, mode: int) -> None:
    """mkstemp makes 0600 files; a published file gets the mode the umask gives instead."""
    target = tmp_path / "f.txt"
    code = (
        f"import os, sys; os.umask({umask:#o}); "
        "from pathlib import Path; from rapportpaket.support.files import write_atomic; "
        "write_atomic(Path(sys.argv[1]), 'x')"
    )
    subprocess.run([sys.executable, "-c", code, str(target)], check=True)
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "rapport.pdf"
    target.write_bytes(b"old")

    def writer(handle: BinaryIO) -> None:
        handle.write(b"half a file")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError, match="renderer crashed"):
        write_atomic_with(target, writer)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport.pdf"]


def test_a_failing_writer_creates_no_file(tmp_path: Path) -> None:
    def writer(handle: BinaryIO) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic_with(tmp_path / "new.pptx", writer)
    assert list(tmp_path.iterdir()) == []


def test_remove_stale_temporaries(tmp_path: Path) -> None:
    (tmp_path / "0114-upplands-vasby").mkdir()
    stale = [tmp_path / ".rapport.pdf.abc123.tmp", tmp_path / "0114-upplands-vasby" / ".x.tmp"]
    kept = [tmp_path / "rapport.pdf", tmp_path / "notes.tmp", tmp_path / ".keep"]
    for path in stale + kept:
        path.write_bytes(b"x")
    assert remove_stale_temporaries(tmp_path) == 2
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in kept)
    assert remove_stale_temporaries(tmp_path) == 0


def test_remove_stale_temporaries_of_a_missing_folder(tmp_path: Path) -> None:
    assert remove_stale_temporaries(tmp_path / "none") == 0
    assert not (tmp_path / "none").exists()
