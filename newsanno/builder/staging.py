"""Output folders as a whole: atomic replacement (readers see the old folder or the new, never a
mix) and digests of folder trees for comparing and fingerprinting them."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from newsanno.publish.checksums import file_sha256


@contextlib.contextmanager
def staged_dir(dest: Path, keep: Callable[[], bool] = lambda: True) -> Iterator[Path]:
    """Yield an empty sibling folder of ``dest``; on exit swap it in for ``dest`` if ``keep()``.

    On any exception, or when ``keep()`` is false at exit, the staged folder is removed and
    ``dest`` is left exactly as it was.  The staging folder is a sibling so the final rename
    stays on one file system.
    """
    dest = dest.absolute()
    dest.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{dest.name}.staging-", dir=dest.parent))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    if not keep():
        shutil.rmtree(stage, ignore_errors=True)
        return
    retired = None
    if dest.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
        retired.rmdir()
        dest.rename(retired)
    stage.chmod(0o755)
    stage.rename(dest)
    if retired is not None and retired.is_dir() and not retired.is_symlink():
        shutil.rmtree(retired, ignore_errors=True)
    elif retired is not None:
        retired.unlink()  # a file that --force let the folder replace


def tree_files(root: Path) -> dict[str, bytes]:
    """All files under ``root`` by relative POSIX path, with their bytes (for small trees: one shard)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


_CHUNK = 1 << 20


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        yield from iter(lambda: f.read(_CHUNK), b"")


def tree_digests(root: Path) -> dict[str, str]:
    """The sha256 of every file under ``root`` by relative POSIX path, read in chunks.

    A dataset folder can be larger than memory, so comparisons go through digests.
    """
    return {p.relative_to(root).as_posix(): file_sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def fingerprint(root: Path) -> str:
    """sha256 over the relative names and bytes of every file under ``root``, read in chunks."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")) if root.is_dir() else ():
        if path.is_file():
            digest.update(f"{path.relative_to(root).as_posix()}\0{path.stat().st_size}\0".encode())
            for chunk in _chunks(path):
                digest.update(chunk)
    return digest.hexdigest()
