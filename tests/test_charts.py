"""Card charts: deterministic PNG bytes without version or time metadata, embedded in the card."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, build
from PIL import Image

from newsanno.publish import charts
from newsanno.publish.stats import CorpusStats
from newsanno.validate import load_document


def chunk_types(png: bytes) -> list[bytes]:
    """PNG chunk types, read from the file format directly (length, type, data, CRC)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, types = 8, []
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        types.append(png[pos + 4 : pos + 8])
        pos += 12 + length
    return types


def fixture_stats(corpus: Path) -> CorpusStats:
    stats = CorpusStats()
    for doc_id in FIXTURES:
        doc, problems = load_document(corpus / doc_id)
        assert doc is not None, problems
        stats.add(doc, {})
    return stats


def test_charts_same_bytes_in_another_process_and_no_metadata(corpus: Path) -> None:
    pngs = charts.render_all(fixture_stats(corpus))
    assert set(pngs) == set(charts.CHARTS)
    # A fresh interpreter (other hash seed, fresh font cache state) draws the same bytes.
    code = (
        "import sys, hashlib; sys.path.insert(0, 'tests'); from pathlib import Path;"
        "from test_charts import fixture_stats; from newsanno.publish import charts;"
        f"print({{k: hashlib.sha256(v).hexdigest() for k, v in charts.render_all(fixture_stats(Path({str(corpus)!r}))).items()}})"
    )
    other = subprocess.run(
        # The environment is kept (it may be how this interpreter finds its packages: PYTHONPATH,
        # PYTHONUSERBASE); only the hash seed changes, and PATH is emptied so no outside tool helps.
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONHASHSEED": "7", "PATH": ""},
    )
    assert other.returncode == 0, other.stderr
    import hashlib

    assert other.stdout.strip() == str({k: hashlib.sha256(v).hexdigest() for k, v in pngs.items()})
    for name, png in pngs.items():
        # Only image chunks: no tEXt "Software: matplotlib x.y", no tIME.
        assert set(chunk_types(png)) <= {b"IHDR", b"pHYs", b"IDAT", b"IEND"}, name
        assert b"matplotlib" not in png


def test_counts_change_the_pixels(corpus: Path) -> None:
    stats = fixture_stats(corpus)
    before = charts.draw(charts.specs(stats)["mention-labels.png"])
    stats.mention_labels["LAW"] += 5
    assert charts.draw(charts.specs(stats)["mention-labels.png"]) != before


def test_build_writes_charts_linked_from_the_card(corpus: Path, card: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    result = build(corpus, out, card)
    assert result.returncode == 0, result.stderr
    readme = (out / "README.md").read_text(encoding="utf-8")
    for name in ("mention-labels.png", "quotes.png", "claims.png"):
        path = out / "charts" / name
        assert f"](charts/{name})" in readme
        with Image.open(path) as img:
            colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
        assert colours is not None and len(colours) > 5, name  # not blank
