"""Scale features: token cache, parallel build, sharding, progress bar (real CLI, real load_dataset)."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from conftest import ROOT, build

sys.path.insert(0, str(ROOT))
from benchmarks.synth import write_corpus
from newsanno import schema
from newsanno.jsonio import canonical_dumps

CONFIGS = ["documents", "mentions", "quotes", "claims", "ner"]
SHARD = re.compile(r"(train|validation|test)-(\d{5})-of-(\d{5})\.parquet")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def cache_entries(cache: Path) -> dict[str, tuple[int, int]]:
    """Every cache file with its inode and mtime: a rewrite (a re-tokenization) changes both."""
    return {p.relative_to(cache).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in cache.rglob("*.tok")}


def drop_quotes(folder: Path) -> None:
    """Remove a document's quotes (and the claims that cite them), keeping it valid and canonical."""
    path = folder / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    ann["quotes"] = []
    ann["claims"] = [c for c in ann["claims"] if c["quote_id"] is None]
    path.write_text(canonical_dumps(ann, schema.ANNOTATIONS), encoding="utf-8")


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nine synthetic documents; one train document has no quotes, so some quote shards are empty."""
    root = tmp_path_factory.mktemp("synth") / "raw"
    folders = write_corpus(root, 9, seed=7)
    train = [f for f in folders if json.loads((f / "document.json").read_text())["split"] == "train"]
    drop_quotes(train[0])
    return root


@pytest.fixture(scope="module")
def reference(synth: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The serial build without any cache, two documents per shard."""
    tmp = tmp_path_factory.mktemp("ref")
    (tmp / "CARD.md").write_text("# Card\n", encoding="utf-8")
    out = tmp / "dataset"
    result = build(synth, out, tmp / "CARD.md", "--no-cache", "--max-docs-per-shard", "2")
    assert result.returncode == 0, result.stderr
    return out


def expected_counts(raw: Path) -> dict[tuple[str, str], int]:
    """Rows per (config, split) counted from raw/ directly (ner excluded: it needs a tokenizer)."""
    counts: dict[tuple[str, str], int] = {}
    for folder in raw.iterdir():
        split = json.loads((folder / "document.json").read_text())["split"]
        ann = json.loads((folder / "annotations.json").read_text())
        for config, n in (
            ("documents", 1),
            ("mentions", len(ann["mentions"])),
            ("quotes", len(ann["quotes"])),
            ("claims", len(ann["claims"])),
        ):
            counts[config, split] = counts.get((config, split), 0) + n
    return counts


def test_shards_are_honest_and_load_dataset_reads_every_row(reference: Path, synth: Path, tmp_path: Path) -> None:
    import datasets

    splits = {}
    for folder in synth.iterdir():
        split = json.loads((folder / "document.json").read_text())["split"]
        splits[split] = splits.get(split, 0) + 1
    counts = expected_counts(synth)
    for config in CONFIGS:
        names = sorted(p.name for p in (reference / "data" / config).iterdir())
        by_split: dict[str, list[tuple[int, int]]] = {}
        for name in names:
            m = SHARD.fullmatch(name)
            assert m, name
            by_split.setdefault(m[1], []).append((int(m[2]), int(m[3])))
        for split, shards in by_split.items():
            want = -(-splits[split] // 2)  # two documents per shard
            assert shards == [(i, want) for i in range(want)], (config, split, shards)
        ds = datasets.load_dataset(str(reference), config, cache_dir=str(tmp_path / "hf"))
        if config != "ner":
            assert {s: ds[s].num_rows for s in ds} == {s: n for (c, s), n in counts.items() if c == config and n}
        else:
            assert set(ds) == set(splits)
            assert all(ds[s].num_rows > 0 for s in ds)
    assert splits["train"] > 2, "the fixture must give the train split several shards"


def test_output_identical_across_processes_and_cache_states(reference: Path, synth: Path, tmp_path: Path) -> None:
    (tmp_path / "CARD.md").write_text("# Card\n", encoding="utf-8")
    cache = tmp_path / "cache"
    want = files(reference)
    for label, extra in (
        ("cold cache, 2 processes", ["--num-proc", "2"]),
        ("warm cache, 1 process", []),
        ("warm cache, 2 processes", ["--num-proc", "2"]),
    ):
        out = tmp_path / label.replace(" ", "-").replace(",", "")
        result = build(synth, out, tmp_path / "CARD.md", "--cache-dir", cache, "--max-docs-per-shard", "2", *extra)
        assert result.returncode == 0, result.stderr
        assert files(out) == want, label
    assert len(cache_entries(cache)) == 9


def test_annotation_edit_does_not_retokenize_and_bad_cache_cannot_change_output(synth: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    subprocess.run(["cp", "-r", str(synth), str(raw)], check=True)
    (tmp_path / "CARD.md").write_text("# Card\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first = tmp_path / "first"
    assert build(raw, first, tmp_path / "CARD.md", "--cache-dir", cache).returncode == 0
    before = cache_entries(cache)
    assert len(before) == 9

    # An annotation-only edit: every entry is reused, none rewritten.
    folder = sorted(raw.iterdir())[1]
    path = folder / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    ann["claims"][0]["checkworthiness"] = "UFS" if ann["claims"][0]["checkworthiness"] == "CFS" else "CFS"
    path.write_text(canonical_dumps(ann, schema.ANNOTATIONS), encoding="utf-8")
    second = tmp_path / "second"
    result = build(raw, second, tmp_path / "CARD.md", "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    assert cache_entries(cache) == before
    assert files(first) != files(second)  # the edit did reach the output

    # A corrupt entry is ignored and replaced; the output is what a cache-less build gives.
    victim = sorted(cache.rglob("*.tok"))[0]
    victim.write_bytes(b"\0" * 64)
    third = tmp_path / "third"
    assert build(raw, third, tmp_path / "CARD.md", "--cache-dir", cache).returncode == 0
    nocache = tmp_path / "nocache"
    assert build(raw, nocache, tmp_path / "CARD.md", "--no-cache").returncode == 0
    assert files(third) == files(nocache) == files(second)
    after = cache_entries(cache)
    assert after.keys() == before.keys()
    assert after[victim.relative_to(cache).as_posix()] != before[victim.relative_to(cache).as_posix()]


def _stderr_on_tty(*args: str | Path) -> str:
    """Run the CLI with stderr attached to a pseudo-terminal; return what it printed there."""
    leader, follower = pty.openpty()
    # A fresh pty is 0x0; give it a terminal's size, or the bar has no room to draw.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "newsanno", *map(str, args)], stdout=subprocess.DEVNULL, stderr=follower, cwd=ROOT)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=600)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_only_on_a_terminal(synth: Path, tmp_path: Path) -> None:
    args = ("validate", "--raw", synth, "--cache-dir", tmp_path / "cache")
    shown = _stderr_on_tty(*args)
    assert "doc/s" in shown and "validate" in shown
    assert "doc/s" not in _stderr_on_tty(*args, "--quiet")
    piped = subprocess.run([sys.executable, "-m", "newsanno", *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    assert piped.returncode == 0
    assert "doc/s" not in piped.stderr and "9 documents checked" in piped.stderr


def test_parallel_build_progress_counts_every_document(synth: Path, tmp_path: Path) -> None:
    """Pool workers report each document to the parent, which passes the counts to the progress bar."""
    from newsanno import corpus
    from newsanno.builder import shards
    from newsanno.builder.engines import RunOptions, built
    from newsanno.builder.pipeline import tasks
    from newsanno.validate import DEFAULT_LIMITS

    folders, problems = corpus.discover(synth)
    assert not problems
    work = tasks(shards.plan(folders, 2), 2)
    reported: list[int] = []
    options = RunOptions(limits=DEFAULT_LIMITS, cache_dir=None, num_proc=2)
    outcomes = list(built(work, tmp_path, options, strict=False, write=True, progress=reported.append))
    assert len(outcomes) == len(work) and not any(o.failed for o in outcomes)
    assert sum(reported) == len(folders) == 9
    assert all(n >= 0 for n in reported)


def test_row_groups_do_not_depend_on_how_rows_arrive(tmp_path: Path) -> None:
    """The writer converts each batch to Arrow at once; the bytes must not depend on the batching."""
    import pyarrow.parquet as pq

    from newsanno.builder.parquet import ROW_GROUP_ROWS, ShardWriter
    from newsanno.rows.configs import features

    n = 2 * ROW_GROUP_ROWS + 123
    rows = [
        {"document_id": f"d{i // 150}", "claim_id": f"c{i}", "start": i, "end": i + 3, "text": "abc", "claimant_entity_id": None}
        | {"claimant_name": "Author", "checkworthiness": "CFS", "quote_id": None}
        for i in range(n)
    ]
    paths = []
    for label, sizes in (("one batch", [n]), ("ragged", [1, 149, ROW_GROUP_ROWS - 150, 7, ROW_GROUP_ROWS + 5, 1])):
        path = tmp_path / f"{label}.parquet"
        with ShardWriter(path, features("claims")) as writer:
            at = 0
            for size in sizes:
                writer.write(rows[at : at + size])
                at += size
            writer.write(rows[at:])
        paths.append(path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    meta = pq.ParquetFile(paths[1]).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [ROW_GROUP_ROWS, ROW_GROUP_ROWS, 123]
    assert pq.read_table(paths[1]).column("claim_id").to_pylist() == [r["claim_id"] for r in rows]


def test_a_shard_task_writes_its_files_and_sends_back_only_counts(reference: Path, synth: Path, tmp_path: Path) -> None:
    """What crosses a process boundary is problems and counts, never documents or rows."""
    import pickle

    from newsanno.builder import shards
    from newsanno.builder.pipeline import build_shard, tasks

    plan = shards.plan(sorted(synth.iterdir()), 2)
    task = next(t for t in tasks(plan, 2) if t.shard is not None and t.shard.split == "train" and len(t.folders) == 2)
    outcome = build_shard(task, tmp_path)
    assert not outcome.failed
    written = files(tmp_path)
    assert written, "the task wrote no files"
    for name, data in written.items():
        assert name.endswith(task.shard.file_name())
        assert data == (reference / name).read_bytes(), name
    assert sum(outcome.stats.documents.values()) == 2
    rows_bytes = sum(len((f / "annotations.json").read_bytes()) + len((f / "text.txt").read_bytes()) for f in task.folders)
    assert len(pickle.dumps(outcome)) < rows_bytes / 5
