"""Whether a command may write to the output path it was given: the one check every writer runs first.

A careless ``--out`` must never cost a user their data. So an output is refused when it is,
contains, or lies inside one of the command's inputs (``build --out raw`` would replace the
corpus), when it is reached through a symbolic link, and when it exists but is not what the
command writes (a file where a folder is expected, a folder without the command's own
marker) -- the last unless the user says ``--force``. Refusals are problems, like every
other error, and are found before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsanno.problems import Problem


@dataclass(frozen=True, slots=True)
class Output:
    """What a command writes: a folder or a file, and how to recognise one it wrote before.

    ``marker(path)`` is true for an existing output this command may replace; an empty
    folder is always acceptable for a folder output.
    """

    what: str  # shown in messages, e.g. "dataset folder"
    folder: bool
    marker: Callable[[Path], bool]


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def output_problems(out: Path, output: Output, inputs: Sequence[Path] = (), *, force: bool = False) -> list[Problem]:
    """The reasons ``out`` must not be written (empty when it may be)."""
    shown = str(out)
    if out.is_symlink():
        return [Problem(shown, f"is a symbolic link; give the real path of the {output.what}", "output.symlink")]
    target = out.resolve()
    for given in inputs:
        source = given.resolve()
        if _within(target, source) or _within(source, target):
            relation = "is" if target == source else "lies inside" if _within(target, source) else "contains"
            return [Problem(shown, f"{relation} the input {given}: writing there would destroy it", "output.overlaps_input")]
    if not out.exists():
        return []
    hint = f"(pass --force to replace it with a {output.what})"
    if output.folder and not out.is_dir():
        return [Problem(shown, f"exists and is not a folder {hint}", "output.not_ours")] if not force else []
    if not output.folder and out.is_dir():
        return [Problem(shown, f"is a folder, not a file; give a file path for the {output.what}", "output.not_ours")]
    if output.folder and not any(out.iterdir()):
        return []
    if force or output.marker(out):
        return []
    return [Problem(shown, f"exists and was not written by this command as a {output.what} {hint}", "output.not_ours")]


def has_file(name: str) -> Callable[[Path], bool]:
    """A marker: the folder holds a regular file ``name`` (not a link)."""
    return lambda folder: (folder / name).is_file() and not (folder / name).is_symlink()


def starts_with(prefix: bytes) -> Callable[[Path], bool]:
    """A marker: the file begins with ``prefix``."""

    def check(path: Path) -> bool:
        with open(path, "rb") as f:
            return f.read(len(prefix)) == prefix

    return check
