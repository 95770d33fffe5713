"""The I/O floor of a rebuild: read and hash every raw file, then write the bytes of a built dataset folder.

``python benchmarks/io_floor.py RAW BUILT OUT``: no rebuild can do less than learn that its
inputs did not change (read and digest them all) and write its output folder.  ``BUILT`` is a
dataset folder built from ``RAW`` (read first, untimed by nothing but this process); ``OUT`` is
written fresh.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path


def main(raw: Path, built: Path, out: Path) -> None:
    digest = hashlib.sha256()
    for path in sorted(raw.rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    files = {p.relative_to(built): p.read_bytes() for p in sorted(built.rglob("*")) if p.is_file()}
    shutil.rmtree(out, ignore_errors=True)
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    print(digest.hexdigest())


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
