"""Output folders as a whole: atomic replacement (readers see the old folder or the new, never a
mix) and digests of folder trees for comparing and fingerprinting them.

A swap is three renames and a removal, each of which a crash (a kill, a power cut) can
interrupt: the new folder is built in ``.NAME.staging-*``, the old one is moved to
``.NAME.old-*``, the new one to ``NAME``, and the old one removed.  Killed after the second
step there is no ``NAME`` at all.  So every swap first runs :func:`recover`, which puts a
left-behind old folder back where no ``NAME`` is (the last complete output), removes leftovers
beside a ``NAME`` that is in place, and says which it did.  Swaps of one parent folder hold an
exclusive lock on it, so recovery never takes a concurrent run's staging folder for a leftover.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from newsanno import tree
from newsanno.atomic import OutputError, no_room
from newsanno.problems import Problem
from newsanno.publish.checksums import file_sha256

try:
    import fcntl
except ImportError:  # not on Windows: swaps there are not serialised
    fcntl = None  # type: ignore[assignment]


def _leftovers(dest: Path, kind: str) -> list[Path]:
    """The ``.NAME.<kind>-*`` siblings of ``dest`` that earlier swaps left behind, in name order."""
    return sorted(Path(p) for p in glob.glob(glob.escape(str(dest.parent / f".{dest.name}.{kind}-")) + "*"))


def _remove(path: Path) -> None:
    """Remove a file, a link (never what it points at) or a folder tree."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _newest(paths: list[Path]) -> Path:
    # Only one old folder can be left without NAME (recovery runs before every swap); of several, the last retired.
    return max(paths, key=lambda p: (p.lstat().st_mtime_ns, p.name))


def recover(dest: Path) -> list[Problem]:
    """Repair what a swap into ``dest`` that was killed midway left behind; one warning per repair.

    With no ``dest``, the old folder the swap had moved aside is put back (the build that
    replaced it never finished); every other ``.NAME.old-*`` and ``.NAME.staging-*`` is removed.
    """
    dest = dest.absolute()
    shown = str(dest)
    notes = []
    olds = [p for p in _leftovers(dest, "old") if not p.is_symlink()]
    if olds and not dest.exists() and not dest.is_symlink():
        back = _newest(olds)
        back.rename(dest)
        olds.remove(back)
        notes.append(
            Problem(shown, f"restored from {back.name}, which an interrupted run had moved aside", "output.recovered", severity="warning")
        )
    for path in olds + [p for p in _leftovers(dest, "old") if p.is_symlink()] + _leftovers(dest, "staging"):
        _remove(path)
        notes.append(Problem(shown, f"removed {path.name}, left behind by an interrupted run", "output.recovered", severity="warning"))
    return notes


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (the parent of the output) while a swap runs in it."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _retire(dest: Path) -> Path:
    """Step 2: move the current output aside to a fresh ``.NAME.old-*``."""
    retired = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
    retired.rmdir()
    dest.rename(retired)
    return retired


def _install(stage: Path, dest: Path) -> None:
    """Step 3: the staged folder becomes the output."""
    stage.chmod(0o755)
    stage.rename(dest)


def _discard(retired: Path) -> None:
    """Step 4: remove the old output (a folder, or a file that --force let the folder replace)."""
    _remove(retired)


@contextlib.contextmanager
def staged_dir(dest: Path, keep: Callable[[], bool] = lambda: True, notes: list[Problem] | None = None) -> Iterator[Path]:
    """Yield an empty sibling folder of ``dest``; on exit swap it in for ``dest`` if ``keep()``.

    On any exception, or when ``keep()`` is false at exit, the staged folder is removed and
    ``dest`` is left exactly as it was.  The staging folder is a sibling so the final rename
    stays on one file system.  What :func:`recover` repaired first is appended to ``notes``.
    A file system that will not take the output (full, read-only) raises :class:`OutputError`
    naming ``dest``, whose old content is then intact.
    """
    given, dest = dest, dest.absolute()
    intact = f"the old {dest.name}/ is intact" if dest.exists() else f"no {dest.name}/ was written"
    from_body = False
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with _locked(dest.parent):
            repaired = recover(dest)
            if notes is not None:
                notes.extend(repaired)
            stage = Path(tempfile.mkdtemp(prefix=f".{dest.name}.staging-", dir=dest.parent))
            try:
                yield stage
            except BaseException as exc:
                shutil.rmtree(stage, ignore_errors=True)
                if no_room(exc):
                    raise OutputError(exc, given, intact) from exc  # type: ignore[arg-type]
                from_body = True
                raise
            if not keep():
                shutil.rmtree(stage, ignore_errors=True)
                return
            _swap(stage, dest)
    except OSError as exc:
        if from_body or isinstance(exc, OutputError):  # the caller's own error goes on as it was raised
            raise
        # Making the parent or the stage, the lock, the swap: the output's place refuses.
        raise OutputError(exc, given, intact) from exc


def _swap(stage: Path, dest: Path) -> None:
    """Steps 2-4: the old output aside, the stage in, the old removed; a refused step is undone."""
    try:
        retired = _retire(dest) if dest.exists() or dest.is_symlink() else None
    except OSError:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    try:
        _install(stage, dest)
    except OSError:
        if retired is not None:
            retired.rename(dest)
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if retired is not None:
        with contextlib.suppress(OSError):  # the new output is in place; a leftover is removed by the next swap
            _discard(retired)


def tree_files(root: Path) -> dict[str, bytes]:
    """All files under ``root`` by relative POSIX path, with their bytes (for small trees: one shard)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in tree.files(root)}


_CHUNK = 1 << 20


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        yield from iter(lambda: f.read(_CHUNK), b"")


def tree_digests(root: Path) -> dict[str, str]:
    """The sha256 of every file under ``root`` by relative POSIX path, read in chunks.

    A dataset folder can be larger than memory, so comparisons go through digests.
    """
    return {p.relative_to(root).as_posix(): file_sha256(p) for p in tree.files(root)}


def fingerprint(root: Path) -> str:
    """sha256 over the relative names and bytes of every file under ``root``, read in chunks."""
    digest = hashlib.sha256()
    for path in tree.files(root):
        digest.update(f"{path.relative_to(root).as_posix()}\0{path.stat().st_size}\0".encode())
        for chunk in _chunks(path):
            digest.update(chunk)
    return digest.hexdigest()
