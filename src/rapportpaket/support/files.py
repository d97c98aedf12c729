"""Atomic writes: the only way output files are written; and the check that an input is a file."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from rapportpaket.errors import UsageError


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic_with(path, lambda handle: handle.write(payload))


def write_atomic_with(path: Path, writer: Callable[[BinaryIO], object]) -> None:
    """Call `writer` with a binary file in `path`'s folder, fsync it, then rename into place.

    A symbolic link is written through (its target is replaced, the link stays); a target
    that exists but is not a regular file (`/dev/null`, a FIFO, a folder) is refused rather
    than replaced by one.
    """
    target = writable_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    # mkstemp creates 0600; published packages get the ordinary mode a new file would get.
    os.fchmod(fd, 0o666 & ~_UMASK)
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def writable_target(path: Path) -> Path:
    """Return the file that writing `path` replaces: a link's target; refuse non-files."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(mode):
        raise UsageError(f"{path}: not a regular file; refusing to replace it")
    return target


def regular_file_problem(path: Path) -> str | None:
    """Return why `path` cannot be read as an input file (missing, a FIFO, a device), or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "file not found"
    except OSError as error:
        return f"cannot be read: {error.strerror or error}"
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a FIFO or a device is never read)"
    return None


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the directory entry itself reaches the disk.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files left by a killed process; return how many were removed."""
    removed = 0
    if not folder.exists():
        return 0
    for tmp in folder.rglob(".*.tmp"):
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed
