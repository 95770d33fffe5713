"""Reading untrusted corpus files: resource limits, raw bytes, strict UTF-8 decoding, shown paths.

Nothing here parses JSON; it gets bytes off the disk safely (no links, no oversized files)
and turns them into text, reporting every fault as a :class:`~newsanno.problems.Problem`.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from newsanno import corpus
from newsanno.atomic import NotRegular, read_named
from newsanno.problems import Problem

DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits applied to every file read from an untrusted corpus."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    # Not a resource limit but the report's: locate and hint at most this many problems per file
    # (0: all).  A text report capped at N per file (--max-problems) shows no more, so a file with
    # 200,000 broken spans pays for finding and counting them, not for placing each one.
    detail: int = 0


DEFAULT_LIMITS = Limits()


def read_bytes(path: Path, limits: Limits) -> tuple[bytes | None, list[Problem]]:
    """Read a corpus file, refusing links and files over the size limit."""
    # One lstat answers "link?", "regular file?" and "how big?" (for a file that is no link,
    # lstat and stat agree); an lstat that fails means what is_symlink/is_file would: missing.
    try:
        info: os.stat_result | None = os.lstat(path)
    except OSError:
        info = None
    if info is not None and stat.S_ISLNK(info.st_mode):
        return None, [
            Problem(corpus.display(path), "file is a symbolic link; links may escape the corpus and are refused", "layout.symlink")
        ]
    if info is None or not stat.S_ISREG(info.st_mode):
        return None, [Problem(corpus.display(path), "required file is missing", "layout.missing_file")]
    size = info.st_size
    if size > limits.max_file_bytes:
        return None, [
            Problem(
                corpus.display(path),
                f"file is {size} bytes, over the limit of {limits.max_file_bytes}",
                "file.too_large",
                hint="raise the limit with --max-file-bytes if the file is genuine",
            )
        ]
    try:
        # The lstat above could be stale: the read itself refuses a link, a pipe or a device too.
        return read_named(path, max_bytes=limits.max_file_bytes), []
    except NotRegular as exc:
        return None, [Problem(corpus.display(path), f"file {exc.strerror}", "layout.symlink")]
    except OSError:
        return None, [Problem(corpus.display(path), "required file is missing", "layout.missing_file")]


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode_text(data: bytes, display: str, *, require_lf: bool = True) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 strictly, rejecting a byte-order mark and (optionally) CR line ends."""
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [
            Problem(
                display,
                "file starts with a UTF-8 byte-order mark",
                "encoding.bom",
                line=1,
                column=1,
                hint="save the file as UTF-8 without BOM",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line, col = line_col(good, len(good))
        return None, [
            Problem(
                display,
                f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}",
                "encoding.utf8",
                line=line,
                column=col,
                hint="save the file as UTF-8",
            )
        ]
    if require_lf and "\r" in text:
        line, col = line_col(text, text.index("\r"))
        problems.append(
            Problem(
                display,
                "carriage return found; line ends must be LF",
                "encoding.crlf",
                line=line,
                column=col,
                hint="convert line ends to LF (dos2unix)",
            )
        )
    return text, problems


def shown_paths(folder: Path) -> tuple[str, dict[str, str]]:
    """``corpus.display`` of the folder and of each of its files, with one ``relative_to`` instead of five."""
    cwd = Path.cwd()
    try:
        base = str(folder.relative_to(cwd))
        files = {name: name if base == "." else f"{base}/{name}" for name in corpus.FILES}
    except ValueError:
        base = str(folder)
        files = {name: name if base == "." else f"{base}/{name}" for name in corpus.FILES}
        if base == "/" or str(cwd) in files.values():  # the root, or a file path that is the working directory
            files = {name: corpus.display(folder / name) for name in corpus.FILES}
    return base, files


class ProseError(ValueError):
    """A prose file (CHANGELOG.md, CARD.md) that is not UTF-8, is a link or a special file; the message is located."""


def read_prose(path: Path) -> str:
    """The text of a prose file the build or the release history reads; raises :class:`ProseError`
    with one located line (file:line:column) instead of a UnicodeDecodeError."""
    try:
        data = read_named(path)
    except OSError as exc:
        raise ProseError(f"{corpus.display(path)}: {exc.strerror or 'cannot be read'}") from None
    text, problems = decode_text(data, corpus.display(path), require_lf=False)
    if text is None:
        first = problems[0]
        raise ProseError(f"{first.file}:{first.line}:{first.column}: {first.message} ({first.hint})")
    return text
