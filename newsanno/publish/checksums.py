"""``dataset/SHA256SUMS``: a ``sha256sum -c`` compatible manifest of every other file in a folder."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "SHA256SUMS"

# sha256sum's text output: 64 hex digits, a space, the mode flag (' ' text, '*' binary), the name.
_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


def file_sha256(path: Path) -> str:
    """The hex sha256 of one file, read in chunks so large shards need no memory."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _walk(root: Path) -> tuple[list[str], list[str]]:
    """(regular files, symbolic links) under ``root`` as sorted relative POSIX paths; links
    are listed, never followed, so nothing outside ``root`` is read or listed."""
    files: list[str] = []
    links: list[str] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in [*dirs, *names]:
            path = here / name
            if path.is_symlink():
                links.append(path.relative_to(root).as_posix())
            elif name in names and path.is_file():
                files.append(path.relative_to(root).as_posix())
    return sorted(files), sorted(links)


def listed_files(root: Path) -> list[str]:
    """Every regular file under ``root`` except the manifest itself, as sorted relative POSIX paths."""
    return [name for name in _walk(root)[0] if name != MANIFEST]


def render(root: Path) -> str:
    """The manifest text for ``root``: one ``<sha256>  <path>`` line per file, sorted by path."""
    return "".join(f"{file_sha256(root / name)}  {name}\n" for name in listed_files(root))


def write(root: Path) -> Path:
    """Write ``root/SHA256SUMS`` and return its path."""
    path = root / MANIFEST
    path.write_text(render(root), encoding="utf-8", newline="\n")
    return path


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One way a folder differs from its manifest."""

    kind: str  # "missing", "changed", "extra", "malformed" or "symlink"
    path: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}" + (f" ({self.detail})" if self.detail else "")


def parse(text: str) -> tuple[dict[str, str], list[Mismatch]]:
    """Manifest lines -> {path: sha256}, with a ``malformed`` entry per unreadable line."""
    entries: dict[str, str] = {}
    bad: list[Mismatch] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            bad.append(Mismatch("malformed", f"{MANIFEST}:{number}", "expected '<64 hex digits>  <path>'"))
            continue
        entries[match.group(2)] = match.group(1)
    return entries, bad


def verify(root: Path) -> list[Mismatch]:
    """Every difference between ``root`` and ``root/SHA256SUMS``; empty when they agree."""
    manifest = root / MANIFEST
    links = _walk(root)[1]
    if links:
        # A dataset folder holds only regular files; a link could make verify hash (and a
        # user load) a file that lies outside the folder.
        return [Mismatch("symlink", name, "symbolic links are not accepted in a dataset folder") for name in links]
    if not manifest.is_file():
        return [Mismatch("missing", MANIFEST, "no manifest to check against")]
    entries, problems = parse(manifest.read_text(encoding="utf-8"))
    present = set(listed_files(root))
    for name, expected in sorted(entries.items()):
        if name not in present:
            problems.append(Mismatch("missing", name))
        else:
            actual = file_sha256(root / name)
            if actual != expected:
                problems.append(Mismatch("changed", name, f"sha256 {actual}, manifest says {expected}"))
    problems.extend(Mismatch("extra", name, "not in the manifest") for name in sorted(present - entries.keys()))
    return problems
