"""The per-document result cache (newsanno.builder.results) is invisible in the output.

A corpus is edited several ways in turn; after each edit a build through the cache (kept
from the builds before) must give the very bytes, and the very problems, of a build
without any cache, and must re-do only the documents whose files changed.  Corpora are
made here (benchmarks/synth.py), never taken from raw/.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, build

from benchmarks.synth import write_corpus
from newsanno import schema
from newsanno.jsonio import canonical_dumps

SHARD = ("--max-docs-per-shard", "2")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def entries(cache: Path) -> set[str]:
    """The names of the result cache's entries."""
    return {p.name for p in (cache / "docs").rglob("*.res")}


def _spans(value: Any) -> list[tuple[int, int]]:
    """Every (start, end) pair anywhere in an annotations value (mentions, quotes, cues, claims)."""
    found = []
    if isinstance(value, dict):
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            found.append((value["start"], value["end"]))
        for member in value.values():
            found += _spans(member)
    elif isinstance(value, list):
        for member in value:
            found += _spans(member)
    return found


def edit_text(folder: Path) -> None:
    """Change one letter outside every annotation in text.txt and source.txt, and both hashes."""
    text = (folder / "text.txt").read_text(encoding="utf-8")
    source = (folder / "source.txt").read_text(encoding="utf-8")
    assert source.endswith(text)
    covered = set()
    for start, end in _spans(json.loads((folder / "annotations.json").read_text(encoding="utf-8"))):
        covered.update(range(start, end))
    at = next(i for i, ch in enumerate(text) if i not in covered and ch in "aeiou" and text[i - 1].islower())
    new_text = text[:at] + ("e" if text[at] != "e" else "a") + text[at + 1 :]
    new_source = source[: len(source) - len(text)] + new_text
    (folder / "text.txt").write_text(new_text, encoding="utf-8")
    (folder / "source.txt").write_text(new_source, encoding="utf-8")
    meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    meta["text_sha256"] = hashlib.sha256(new_text.encode()).hexdigest()
    meta["source_sha256"] = hashlib.sha256(new_source.encode()).hexdigest()
    (folder / "document.json").write_text(canonical_dumps(meta, schema.DOCUMENT), encoding="utf-8")


def edit_annotation(folder: Path) -> None:
    path = folder / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    ann["claims"][0]["checkworthiness"] = "UFS" if ann["claims"][0]["checkworthiness"] == "CFS" else "CFS"
    path.write_text(canonical_dumps(ann, schema.ANNOTATIONS), encoding="utf-8")


def move_split(folder: Path) -> None:
    path = folder / "document.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["split"] = "test" if meta["split"] != "test" else "train"
    path.write_text(canonical_dumps(meta, schema.DOCUMENT), encoding="utf-8")


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Ten synthetic documents; the tests build from the first eight and add the others."""
    root = tmp_path_factory.mktemp("pool") / "raw"
    write_corpus(root, 10, seed=11)
    return root


def _corpus(pool: Path, dest: Path, n: int = 8) -> Path:
    dest.mkdir(parents=True)
    for folder in sorted(pool.iterdir())[:n]:
        shutil.copytree(folder, dest / folder.name)
    return dest


def test_cached_builds_equal_uncached_builds_through_a_series_of_edits(pool: Path, tmp_path: Path) -> None:
    raw = _corpus(pool, tmp_path / "raw")
    card = tmp_path / "CARD.md"
    card.write_text("# Card\n", encoding="utf-8")
    cache = tmp_path / "cache"
    names = sorted(p.name for p in raw.iterdir())
    spare = sorted(pool.iterdir())[8]
    edits = [
        ("first build", lambda: None, 8),
        ("text edit with new hashes", lambda: edit_text(raw / names[1]), 1),
        ("annotation edit", lambda: edit_annotation(raw / names[2]), 1),
        ("document added", lambda: shutil.copytree(spare, raw / spare.name), 1),
        ("document removed", lambda: shutil.rmtree(raw / names[3]), 0),
        ("split change", lambda: move_split(raw / names[4]), 1),
        ("nothing changed", lambda: None, 0),
    ]
    previous: dict[str, bytes] | None = None
    for label, edit, redone in edits:
        edit()
        before = entries(cache) if cache.is_dir() else set()
        cached = build(raw, tmp_path / f"cached-{label}", card, "--cache-dir", cache, *SHARD)
        fresh = build(raw, tmp_path / f"fresh-{label}", card, "--no-cache", *SHARD)
        assert cached.returncode == fresh.returncode == 0, (label, cached.stderr, fresh.stderr)
        assert cached.stdout == fresh.stdout, label  # the same warnings, in the same order
        got, want = files(tmp_path / f"cached-{label}"), files(tmp_path / f"fresh-{label}")
        assert got == want, (label, sorted(k for k in want if got.get(k) != want[k]))
        # Only the documents whose files changed were processed again: one new entry each.
        assert len(entries(cache) - before) == redone, label
        if previous is not None and label != "nothing changed":
            assert got != previous, f"{label}: the edit must reach the output"
        previous = got


def test_invalid_documents_report_the_same_problems_from_the_cache(pool: Path, tmp_path: Path) -> None:
    raw = _corpus(pool, tmp_path / "raw", 3)
    card = tmp_path / "CARD.md"
    card.write_text("# Card\n", encoding="utf-8")
    victim = sorted(raw.iterdir())[1] / "annotations.json"
    ann = json.loads(victim.read_text(encoding="utf-8"))
    ann["mentions"][0]["end"] += 1  # the span no longer matches its text
    victim.write_text(canonical_dumps(ann, schema.ANNOTATIONS), encoding="utf-8")
    cache = tmp_path / "cache"
    runs = [build(raw, tmp_path / "out", card, "--cache-dir", cache) for _ in range(2)]
    fresh = build(raw, tmp_path / "out", card, "--no-cache")
    assert fresh.returncode == 1 and "mentions/0" in fresh.stdout + fresh.stderr
    for run in runs:
        assert (run.returncode, run.stdout, run.stderr) == (fresh.returncode, fresh.stdout, fresh.stderr)
    assert len(entries(cache)) == 3
    assert not (tmp_path / "out").exists()


def test_a_damaged_or_misplaced_entry_is_a_miss(pool: Path, tmp_path: Path) -> None:
    raw = _corpus(pool, tmp_path / "raw", 4)
    card = tmp_path / "CARD.md"
    card.write_text("# Card\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert build(raw, tmp_path / "first", card, "--cache-dir", cache).returncode == 0
    want = files(tmp_path / "first")
    paths = sorted((cache / "docs").rglob("*.res"))
    assert len(paths) == 4
    # Truncated, one byte flipped, and another document's entry copied over a third's.
    paths[0].write_bytes(paths[0].read_bytes()[:-100])
    damaged = bytearray(paths[1].read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    paths[1].write_bytes(bytes(damaged))
    paths[2].write_bytes(paths[3].read_bytes())
    # A link in the cache is never followed: its target is neither read nor written.
    outside = tmp_path / "outside.res"
    outside.write_bytes(b"not an entry")
    paths[3].unlink()
    paths[3].symlink_to(outside)
    result = build(raw, tmp_path / "second", card, "--cache-dir", cache)
    assert result.returncode == 0, result.stderr
    assert files(tmp_path / "second") == want
    # The link was read as a miss and replaced by a regular entry; its target is untouched.
    assert outside.read_bytes() == b"not an entry" and not paths[3].is_symlink()
    from newsanno.builder import results

    for path in paths:  # rewritten by the build: intact again
        assert len(path.read_bytes()) > 100 and path.read_bytes()[-32:] == results._digest(path.stem, path.read_bytes()[:-32])


def test_check_and_release_ignore_the_result_cache(pool: Path, tmp_path: Path) -> None:
    """A forged entry (intact digest, wrong content) misleads neither ``build --check`` nor a release build."""
    from newsanno.builder import results
    from newsanno.builder.dataset import check_dataset
    from newsanno.builder.engines import RunOptions
    from newsanno.cli.report import MAX_PROBLEMS
    from newsanno.releases.release import _options
    from newsanno.validate import Limits

    raw = _corpus(pool, tmp_path / "raw", 3)
    card = tmp_path / "CARD.md"
    card.write_text("# Card\n", encoding="utf-8")
    cache = tmp_path / "cache"
    out = tmp_path / "dataset"
    assert build(raw, out, card, "--cache-dir", cache).returncode == 0
    # Give the first document the second's result under its own key.
    store = results.ResultCache(cache, Limits(detail=MAX_PROBLEMS))  # what a text-reporting build keys by
    first, second = (store.lookup(folder) for folder in sorted(raw.iterdir())[:2])
    hit = store.get(second)
    assert hit is not None and hit.tables is not None
    store.put(first, [], hit.tables)
    checked = build(raw, out, card, "--cache-dir", cache, "--check")
    assert checked.returncode == 0, checked.stderr
    assert check_dataset(raw, out, card=card.read_text(), options=_options(tmp_path, "0.0.0")).build.ok
    assert _options(tmp_path, "0.0.0").run.results() is None
    assert RunOptions(cache_dir=cache).results() is not None


def _package_copy(dest: Path) -> Path:
    """newsanno's source and schemas, as a checkout a subprocess can run."""
    shutil.copytree(ROOT / "newsanno", dest / "newsanno", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "schema", dest / "schema")
    (dest / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    return dest


def _build_with(package: Path, raw: Path, out: Path, card: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package)}
    dating = [] if "--changelog" in extra else ["--no-changelog"]  # never whatever CHANGELOG.md the package folder holds
    argv = [sys.executable, "-m", "newsanno", "build", "--raw", str(raw), "--out", str(out), "--card", str(card), *dating, *extra]
    return subprocess.run(argv, cwd=package, capture_output=True, text=True, env=env, timeout=600)


def test_a_code_schema_or_profile_edit_invalidates_every_entry(pool: Path, tmp_path: Path) -> None:
    package = _package_copy(tmp_path / "checkout")
    raw = _corpus(pool, tmp_path / "raw", 3)
    card = tmp_path / "CARD.md"
    card.write_text("# Card\n", encoding="utf-8")
    cache = tmp_path / "cache"
    first = _build_with(package, raw, tmp_path / "first", card, "--cache-dir", str(cache))
    assert first.returncode == 0, first.stderr
    assert len(entries(cache)) == 3
    used = subprocess.run(
        [sys.executable, "-c", "import newsanno; print(newsanno.__file__)"],
        cwd=package,
        env={**os.environ, "PYTHONPATH": str(package)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert used.stdout.strip() == str(package / "newsanno" / "__init__.py")  # the copy runs, not this checkout

    # A code edit that changes no behaviour still makes every key new.
    module = package / "newsanno" / "rows" / "coref.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    second = _build_with(package, raw, tmp_path / "second", card, "--cache-dir", str(cache))
    assert second.returncode == 0, second.stderr
    assert len(entries(cache)) == 6
    assert files(tmp_path / "second") == files(tmp_path / "first")

    # A profile that no longer reads the sources' date lines: every document now fails, from the cache as without it.
    profile = package / "schema" / "profiles" / "wsws.json"
    data = json.loads(profile.read_text(encoding="utf-8"))
    data["date"]["formats"] = ["%Y-%m-%d"]
    profile.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    cached = _build_with(package, raw, tmp_path / "third", card, "--cache-dir", str(cache))
    fresh = _build_with(package, raw, tmp_path / "third", card, "--no-cache")
    assert cached.returncode == fresh.returncode == 1
    assert cached.stdout == fresh.stdout and cached.stdout.count("synth-") >= 3
    assert len(entries(cache)) == 9
