"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never a partial file.

Every command that writes a file (format, render, import, export, fix-offsets) and the token
and chart caches write through :func:`write_atomic`.  Whole output folders are swapped in by
:mod:`newsanno.builder.staging`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Read once at import (reading the umask means setting it, which is not thread-safe).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to a temporary file next to ``path``, then rename it over ``path``.

    The parent folder is created when missing.  An existing file keeps its permission bits
    (mkstemp would otherwise make it private to the owner); a new one gets the mode a plain
    ``open`` would give it.  ``durable`` syncs the data to disk before the rename; caches,
    whose entries are checked on reading and cheap to recompute, skip that cost.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def read_regular(path: Path) -> bytes | None:
    """The bytes of a regular file read without following a symbolic link; None if absent,
    unreadable, or a link (a cache entry must not lead a read out of its folder)."""
    if path.parent.is_symlink():
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        return f.read()
