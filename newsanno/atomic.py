"""Atomic file writes: a reader (or a crash) sees the old file or the new one, never a partial file.

Every command that writes a file (format, render, import, export, fix-offsets) and the token
and chart caches write through :func:`write_atomic`.  Whole output folders are swapped in by
:mod:`newsanno.builder.staging`.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

# The errors of a file system that will not take the output: full, over quota, read-only, file too big.
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}


class OutputError(OSError):
    """An output that could not be written, with what is left of the old one (an OSError still,
    so that the caches' ``suppress(OSError)`` keep working).

    ``errno``/``strerror`` are the cause's; ``filename`` the output as the user named it;
    ``intact`` says what the reader still has, e.g. "the old dataset folder is intact".
    """

    def __init__(self, cause: OSError, output: Path, intact: str) -> None:
        # The system's own words for a known errno: pyarrow wraps them in its own ("Error writing bytes...").
        reason = os.strerror(cause.errno) if cause.errno in _NO_ROOM else cause.strerror or str(cause)
        super().__init__(cause.errno, reason, str(output))
        self.intact = intact

    def line(self) -> str:
        """The one line a command prints for it."""
        code = f" [Errno {self.errno}]" if self.errno is not None else ""
        return f"{self.filename}: cannot write: {self.strerror}{code}; {self.intact}"


def no_room(exc: BaseException) -> bool:
    """Whether ``exc`` says the file system will not take more (full, quota, read-only, too big).

    pyarrow's write errors are OSErrors without an errno; their message carries the cause.
    """
    if not isinstance(exc, OSError):
        return False
    return exc.errno in _NO_ROOM or any(os.strerror(code) in str(exc) for code in _NO_ROOM)


# Read once at import (reading the umask means setting it, which is not thread-safe).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to a temporary file next to ``path``, then rename it over ``path``.

    The parent folder is created when missing.  An existing file keeps its permission bits
    (mkstemp would otherwise make it private to the owner); a new one gets the mode a plain
    ``open`` would give it.  ``durable`` syncs the data to disk before the rename; caches,
    whose entries are checked on reading and cheap to recompute, skip that cost.  A failure to
    write (a full or read-only file system, a missing permission) raises :class:`OutputError`
    naming ``path``; the old file, if any, is untouched.
    """
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(exc, path, "the old file is intact" if existed else "nothing was written") from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(exc, path, "the old file is intact" if existed else "nothing was written") from exc
        raise


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


class NotRegular(OSError):
    """A path a command was asked to read that is a symbolic link or a special file (pipe, device, socket, folder)."""


def read_named(path: Path, *, max_bytes: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, read without following a link and without blocking.

    Raises FileNotFoundError when there is nothing there and :class:`NotRegular` (its
    ``strerror`` says which) for a link, a link in the folder above, or anything that is not a
    regular file: a named pipe would block the read forever, a link may lead out of the corpus.
    ``max_bytes`` bounds what is read (a larger file raises NotRegular naming the size).
    """
    if path.parent.is_symlink():
        raise NotRegular(errno.ELOOP, "its folder is a symbolic link; links may escape the corpus and are refused", str(path))
    try:
        # O_NONBLOCK: opening a named pipe for reading must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise NotRegular(errno.ELOOP, "is a symbolic link; links may escape the corpus and are refused", str(path)) from None
        raise
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, "is not a regular file (a folder, pipe, device or socket) and is refused", str(path))
        if max_bytes is not None and info.st_size > max_bytes:
            raise NotRegular(errno.EFBIG, f"is {info.st_size} bytes, over the limit of {max_bytes}", str(path))
        return f.read()


def read_regular(path: Path) -> bytes | None:
    """The bytes of a regular file read without following a symbolic link; None if absent,
    unreadable, a link or a special file (a cache entry must not lead a read out of its folder)."""
    try:
        return read_named(path)
    except OSError:
        return None
