"""The layout of a raw corpus: ``<root>/<document_id>/{source.txt,text.txt,document.json,annotations.json}``.

A folder may also hold the two independent annotations a gold was adjudicated from and the
adjudication record (:data:`OPTIONAL_FILES`); the build reads no rows from them.
Beside it: :mod:`~newsanno.corpus.profiles` (each publisher's page layout, as data) and
:mod:`~newsanno.corpus.normalize` (``source.txt`` -> canonical text and header fields).
"""

from __future__ import annotations

import re
from pathlib import Path

from newsanno.problems import Problem

SOURCE = "source.txt"
TEXT = "text.txt"
DOCUMENT = "document.json"
ANNOTATIONS = "annotations.json"
FILES = (SOURCE, TEXT, DOCUMENT, ANNOTATIONS)
ANNOTATIONS_A = "annotations.a.json"  # annotator A before adjudication
ANNOTATIONS_B = "annotations.b.json"  # the second, independent annotator
ADJUDICATION = "adjudication.json"  # their disagreements and how each was decided
OPTIONAL_FILES = (ANNOTATIONS_A, ANNOTATIONS_B, ADJUDICATION)

DOCUMENT_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def display(path: Path) -> str:
    """A path as shown to the user: relative to the working directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def discover(root: Path) -> tuple[list[Path], list[Problem]]:
    """The document folders under ``root``, sorted by id, and problems with the layout.

    Symlinks are refused (a link could point outside the corpus); hidden entries such as
    ``.DS_Store`` are ignored; any other non-folder entry is reported.
    """
    if not root.is_dir():
        return [], [Problem(display(root), "raw corpus folder does not exist", "layout.missing_root")]
    folders: list[Path] = []
    problems: list[Problem] = []
    resolved_root = root.resolve()  # once, not per folder: resolving walks every component
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.name.startswith("."):
            continue
        bad = check_folder(root, entry, resolved_root)
        problems.extend(bad)
        if not bad:
            folders.append(entry)
    return folders, problems


def check_folder(root: Path, folder: Path, resolved_root: Path | None = None) -> list[Problem]:
    """Problems that make ``folder`` unusable as a document folder of ``root``.

    ``resolved_root`` is ``root.resolve()``, for callers that check many folders.
    """
    if folder.is_symlink():
        return [
            Problem(display(folder), "document folder is a symbolic link; links may escape the corpus and are refused", "layout.symlink")
        ]
    resolved_root = resolved_root or root.resolve()
    resolved = folder.resolve()
    try:
        resolved.relative_to(resolved_root)
    except ValueError:
        return [Problem(display(folder), f"path lies outside the raw corpus {display(root)}", "layout.outside_root")]
    if resolved.parent != resolved_root:
        return [Problem(display(folder), "a document folder must be a direct child of the raw corpus folder", "layout.nested")]
    if not folder.is_dir():
        return [Problem(display(folder), "unexpected file in the raw corpus folder; expected only document folders", "layout.stray_file")]
    if not DOCUMENT_ID.fullmatch(folder.name):
        return [
            Problem(
                display(folder),
                f"document id {folder.name!r} is not a slug [a-z0-9][a-z0-9-]*",
                "layout.bad_id",
                hint="rename the folder using lower-case letters, digits and hyphens",
            )
        ]
    return []


def select(raw: Path, paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Document folders named on a command line: all of ``raw``, or those named (a file names its folder)."""
    if not paths:
        return discover(raw)
    folders: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        folder = path if path.is_dir() or not path.suffix else path.parent
        try:
            folder.absolute().relative_to(raw.absolute())
        except ValueError:
            problems.append(
                Problem(str(path), f"not inside the raw corpus {raw}", "layout.outside_root", hint="pass --raw DIR for a corpus elsewhere")
            )
            continue
        if not folder.exists() and not folder.is_symlink():
            problems.append(Problem(str(path), "no such document folder", "layout.missing_folder"))
            continue
        bad = check_folder(raw, folder)
        problems.extend(bad)
        if not bad and folder not in folders:
            folders.append(folder)
    return sorted(folders), problems
