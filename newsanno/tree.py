"""Listing a folder tree without recursion and without following links, to a bounded depth.

``Path.rglob`` and ``os.walk`` recurse in Python (3,000 nested folders raise RecursionError)
and ``rglob`` follows links; the output folders this package compares, hashes and lists
(``dataset/``, a staged build) are walked here instead: one explicit stack, ``lstat`` only,
links and special files reported apart and never entered or read.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

# Our own trees are three folders deep (dataset/data/<config>/...); far more is not ours.
MAX_DEPTH = 32


class TooDeep(OSError):
    """A tree nested deeper than the bound; ``filename`` is the first folder past it."""


@dataclass
class Tree:
    """What :func:`walk` found, as paths relative to the root, each list sorted."""

    files: list[Path] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)
    links: list[Path] = field(default_factory=list)
    special: list[Path] = field(default_factory=list)  # pipes, sockets, devices


def walk(root: Path, max_depth: int = MAX_DEPTH) -> Tree:
    """Every entry under ``root`` (nothing when it is not a folder); raises :class:`TooDeep` past ``max_depth``."""
    tree = Tree()
    if root.is_symlink() or not root.is_dir():
        return tree
    stack: list[tuple[Path, int]] = [(Path(), 0)]
    while stack:
        relative, depth = stack.pop()
        with os.scandir(root / relative) as entries:
            for entry in entries:
                path = relative / entry.name
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISLNK(mode):
                    tree.links.append(path)
                elif stat.S_ISDIR(mode):
                    if depth + 1 > max_depth:
                        raise TooDeep(errno.ELOOP, f"folders nested deeper than {max_depth} levels", str(root / path))
                    tree.folders.append(path)
                    stack.append((path, depth + 1))
                elif stat.S_ISREG(mode):
                    tree.files.append(path)
                else:
                    tree.special.append(path)
    for found in (tree.files, tree.folders, tree.links, tree.special):
        found.sort()
    return tree


def files(root: Path, max_depth: int = MAX_DEPTH) -> list[Path]:
    """The regular files under ``root`` as absolute-from-root paths (``root / relative``), sorted."""
    return [root / p for p in walk(root, max_depth).files]
