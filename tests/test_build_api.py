"""``newsanno.builder`` from Python: build_dataset and check_dataset return their outcome as data,
leave the output untouched on failure, and the chart cache never changes a byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES

import newsanno
from newsanno.builder import BuildOptions, RunOptions, build_dataset, chartcache, check_dataset
from newsanno.publish import charts

CARD = "# Fixture card\n\nProse of the maintainers.\n"


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def options(cache: Path | None) -> BuildOptions:
    return BuildOptions(run=RunOptions(cache_dir=cache), version="9.8.7")


@pytest.fixture
def built(corpus: Path, tmp_path: Path) -> Path:
    out = tmp_path / "dataset"
    result = build_dataset(corpus, out, card=CARD, options=options(tmp_path / "cache"))
    assert result.ok, result.problems
    return out


def test_build_dataset_returns_counts_and_the_files_it_wrote(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dataset"
    result = build_dataset(corpus, out, card=CARD, options=options(None))
    assert result.ok and result.errors == 0 and result.out == out
    assert result.documents == len(FIXTURES) == 3
    for config in ("mentions", "quotes", "claims"):
        assert result.rows(config) == sum(len(make().annotations()[config]) for make, _ in FIXTURES.values()), config
    assert result.rows("documents") == 3
    assert result.files == sorted(files(out))
    assert {"README.md", "SHA256SUMS", "croissant.json", "charts/quotes.png"} <= set(result.files)
    assert "data/ner/train-00000-of-00001.parquet" in result.files
    assert json.loads((out / "croissant.json").read_text(encoding="utf-8"))["version"] == "9.8.7"  # the version passed in
    assert newsanno.build_dataset is build_dataset


def test_a_bad_corpus_gives_problems_as_values_and_leaves_out_unchanged(corpus: Path, built: Path, tmp_path: Path) -> None:
    before = files(built)
    path = corpus / "alpha" / "annotations.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["mentions"][0]["start"] += 1
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    result = build_dataset(corpus, built, card=CARD, options=options(tmp_path / "cache"))
    assert not result.ok and result.errors >= 1 and result.files == []
    bad = [p for p in result.problems if p.severity == "error"]
    assert all(p.file.endswith("alpha/annotations.json") for p in bad), bad
    assert any(p.annotation_id == data["mentions"][0]["id"] for p in bad)
    assert files(built) == before
    assert not list(built.parent.glob(".dataset.staging-*")), "the staging folder was left behind"


def test_check_dataset_names_what_differs_and_writes_nothing(corpus: Path, built: Path, tmp_path: Path) -> None:
    fresh = check_dataset(corpus, built, card=CARD, options=options(tmp_path / "cache"))
    assert fresh.up_to_date and fresh.differences == [] and fresh.build.documents == 3
    (built / "croissant.json").write_text("{}\n", encoding="utf-8")
    (built / "stray.txt").write_text("x\n", encoding="utf-8")
    (built / "charts" / "claims.png").unlink()
    before = files(built)
    stale = check_dataset(corpus, built, card=CARD, options=options(tmp_path / "cache"))
    assert not stale.up_to_date
    assert stale.differences == ["changed: croissant.json", "extra: stray.txt", "missing: charts/claims.png"]
    assert files(built) == before
    other_card = check_dataset(corpus, built, card=CARD + "More prose.\n", options=options(tmp_path / "cache"))
    assert "changed: README.md" in other_card.differences


def test_chart_cache_gives_the_drawn_bytes_and_ignores_broken_entries(corpus: Path, tmp_path: Path) -> None:
    drawn = build_dataset(corpus, tmp_path / "drawn", card=CARD, options=options(None))
    cache = tmp_path / "cache"
    first = build_dataset(corpus, tmp_path / "first", card=CARD, options=options(cache))
    entries = sorted((cache / "charts").glob("*.png"))
    assert len(entries) == len(charts.CHARTS) >= 3 and all(chartcache.is_png(e.read_bytes()) for e in entries)
    assert files(tmp_path / "first") == files(tmp_path / "drawn") and drawn.ok and first.ok
    # Break every entry in a different way: truncated, one flipped byte (bad CRC), not a PNG.
    entries[0].write_bytes(entries[0].read_bytes()[:-5])
    blob = bytearray(entries[1].read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    entries[1].write_bytes(bytes(blob))
    entries[2].write_bytes(b"not a png")
    again = build_dataset(corpus, tmp_path / "again", card=CARD, options=options(cache))
    assert again.ok and files(tmp_path / "again") == files(tmp_path / "drawn")
    assert all(chartcache.is_png(e.read_bytes()) for e in entries), "broken entries are redrawn and rewritten"


def test_a_build_with_unchanged_statistics_does_not_import_matplotlib(corpus: Path, tmp_path: Path) -> None:
    """The chart cache is what makes a no-op build fast: the second build draws nothing."""
    import subprocess
    import sys

    from conftest import ROOT

    body = (
        "import sys\nfrom pathlib import Path\nfrom newsanno.builder import BuildOptions, RunOptions, build_dataset\n"
        f"r = build_dataset(Path({str(corpus)!r}), Path({str(tmp_path / 'out')!r}), card='# Card\\n',"
        f" options=BuildOptions(run=RunOptions(cache_dir=Path({str(tmp_path / 'cache')!r}))))\n"
        "assert r.ok, r.problems\nprint('matplotlib' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", body], cwd=ROOT, capture_output=True, text=True, timeout=300) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    assert [r.stdout.split()[-1] for r in runs] == ["True", "False"]
