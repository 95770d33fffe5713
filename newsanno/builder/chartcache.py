"""A cache of the card's chart PNGs, keyed by each chart's data, so a build whose statistics did
not change neither imports matplotlib nor draws (together most of a no-op build's time).

The key is a digest of the chart's :class:`~newsanno.publish.charts.ChartSpec`, the installed
matplotlib version and the source of :mod:`newsanno.publish.charts` (its settings and drawing code),
so a hit holds the very bytes a fresh drawing would give.  An entry that is not an intact PNG
(truncated, corrupt, not a PNG) is ignored and redrawn.  Entries live in ``charts/`` under the
token cache folder and are safe to delete.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import json
import struct
import zlib
from dataclasses import asdict
from pathlib import Path

from newsanno.atomic import read_regular, write_atomic
from newsanno.publish import charts
from newsanno.publish.stats import CorpusStats

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHUNK_HEAD = struct.Struct(">I4s")


@functools.cache
def _salt() -> bytes:
    """What every key depends on besides the chart's data."""
    source = Path(charts.__file__).read_bytes()
    return f"matplotlib-{importlib.metadata.version('matplotlib')}\0".encode() + hashlib.sha256(source).digest()


def key(spec: charts.ChartSpec) -> str:
    """The cache key of one chart."""
    data = json.dumps(asdict(spec), ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(_salt() + b"\0" + data).hexdigest()


def is_png(data: bytes) -> bool:
    """True when ``data`` is a whole PNG: signature, chunks with correct CRCs, ending in IEND."""
    if not data.startswith(_PNG_SIGNATURE):
        return False
    at = len(_PNG_SIGNATURE)
    while at + _CHUNK_HEAD.size + 4 <= len(data):
        length, kind = _CHUNK_HEAD.unpack_from(data, at)
        body_end = at + _CHUNK_HEAD.size + length
        if body_end + 4 > len(data):
            return False
        (crc,) = struct.unpack_from(">I", data, body_end)
        if zlib.crc32(data[at + 4 : body_end]) != crc:
            return False
        at = body_end + 4
        if kind == b"IEND":
            return at == len(data)
    return False


def render_all(stats: CorpusStats, cache_dir: Path | None) -> dict[str, bytes]:
    """Every chart of the card (file name -> PNG bytes), through the cache under ``cache_dir`` when given."""
    found: dict[str, bytes] = {}
    for name, spec in charts.specs(stats).items():
        path = cache_dir / "charts" / f"{key(spec)}.png" if cache_dir is not None else None
        cached = read_regular(path) if path is not None else None
        if cached is not None and is_png(cached):
            found[name] = cached
            continue
        found[name] = charts.draw(spec)
        if path is not None:
            with contextlib.suppress(OSError):  # an unwritable cache only costs speed
                write_atomic(path, found[name], durable=False)
    return found
