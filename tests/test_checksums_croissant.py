"""The build's SHA256SUMS and croissant.json: verify, sha256sum -c, mlcroissant validate and read."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import FIXTURES, ROOT, build, run_cli, write_document

CHANGELOG = """# Changelog

## [Unreleased]

## [1.2.0] - 2025-01-02

### Added
- things

## [1.1.0] - 2024-12-01
"""


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build shared by the module (a build runs spaCy); tests get their own copy."""
    root = tmp_path_factory.mktemp("croissant")
    for make, split in FIXTURES.values():
        write_document(root / "raw", make(), split)
    (root / "CARD.md").write_text("# Fixture card\n", encoding="utf-8")
    (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")
    result = build(root / "raw", root / "dataset", root / "CARD.md", "--changelog", root / "CHANGELOG.md")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def built(pristine: Path, tmp_path: Path) -> Path:
    out = tmp_path / "dataset"
    shutil.copytree(pristine / "dataset", out)
    return out


def flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def test_manifest_lists_every_other_file_with_its_hash(built: Path) -> None:
    lines = (built / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    files = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    assert names == files
    assert "croissant.json" in names and "README.md" in names
    for line in lines:
        digest, name = line.split("  ", 1)
        assert digest == hashlib.sha256((built / name).read_bytes()).hexdigest()


def test_manifest_is_sha256sum_compatible(built: Path) -> None:
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum (Debian package coreutils) is not installed")
    ok = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=built, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr


def test_verify_passes_on_fresh_build_and_fails_after_byte_flip(built: Path) -> None:
    ok = run_cli("verify", built)
    assert ok.returncode == 0, ok.stderr
    shard = built / "data" / "mentions" / "train-00000-of-00001.parquet"
    flip_one_byte(shard)
    bad = run_cli("verify", built)
    assert bad.returncode == 1
    assert "changed: data/mentions/train-00000-of-00001.parquet" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_verify_reports_missing_and_extra_files(built: Path) -> None:
    (built / "data" / "ner" / "test-00000-of-00001.parquet").unlink()
    (built / "data" / "ner" / "stray.parquet").write_bytes(b"x")
    bad = run_cli("verify", built)
    assert bad.returncode == 1
    assert "missing: data/ner/test-00000-of-00001.parquet" in bad.stderr
    assert "extra: data/ner/stray.parquet" in bad.stderr


def test_croissant_version_and_date_come_from_pyproject_and_changelog(built: Path) -> None:
    import tomllib

    doc = json.loads((built / "croissant.json").read_text(encoding="utf-8"))
    with open(ROOT / "pyproject.toml", "rb") as f:
        assert doc["version"] == tomllib.load(f)["project"]["version"]
    assert doc["datePublished"] == "2025-01-02"  # the newest released heading, not [Unreleased]
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    file_sets = {d["@id"]: d for d in doc["distribution"]}
    assert {d["encodingFormat"] for d in file_sets.values()} == {"application/x-parquet"}
    # Every Parquet file of the build is matched by a glob of its config's file set.
    for parquet in built.rglob("*.parquet"):
        rel = parquet.relative_to(built)
        config = rel.parts[1]
        assert any(rel.match(pattern) for pattern in file_sets[f"parquet-{config}"]["includes"])


def test_croissant_validates_with_mlcroissant_cli(built: Path) -> None:
    # Validation alone never opens the data: prove it by removing the Parquet files first.
    shutil.rmtree(built / "data")
    result = subprocess.run(
        [sys.executable, "-m", "mlcroissant.scripts.validate", "--jsonld", str(built / "croissant.json")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 and "No module named mlcroissant.scripts.validate" in result.stderr:
        result = subprocess.run(["mlcroissant", "validate", "--jsonld", str(built / "croissant.json")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_records_read_through_mlcroissant_match_parquet(built: Path) -> None:
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(built / "croissant.json"))
    mentions = list(dataset.records("mentions"))
    expected = sorted(
        (doc_id, m["id"], m["text"], m["label"], m["start"])
        for doc_id, (make, _) in FIXTURES.items()
        for m in make().annotations()["mentions"]
    )
    got = sorted(
        (
            r["mentions/document_id"].decode(),
            r["mentions/mention_id"].decode(),
            r["mentions/text"].decode(),
            r["mentions/label"].decode(),
            int(r["mentions/start"]),
        )
        for r in mentions
    )
    assert got == expected
    ner = list(dataset.records("ner"))
    table = pq.read_table(built / "data" / "ner" / "train-00000-of-00001.parquet")
    first = table.to_pylist()[0]
    match = next(r for r in ner if r["ner/document_id"] == first["document_id"].encode() and r["ner/sentence_id"] == first["sentence_id"])
    assert [t.decode() for t in match["ner/tokens"]] == first["tokens"]
    assert [int(t) for t in match["ner/ner_tags"]] == first["ner_tags"]
    documents = list(dataset.records("documents"))
    assert sorted(r["documents/document_id"].decode() for r in documents) == sorted(FIXTURES)


def test_every_record_set_read_through_mlcroissant_equals_the_parquet_rows(built: Path) -> None:
    # Both splits' shards, null cues and every config, nested fields included (helpers in test_croissant.py).
    import mlcroissant as mlc
    from test_croissant import assert_record_set_matches_parquet

    doc = json.loads((built / "croissant.json").read_text(encoding="utf-8"))
    dataset = mlc.Dataset(jsonld=str(built / "croissant.json"))
    counts = {rs["@id"]: assert_record_set_matches_parquet(built, doc, dataset, rs) for rs in doc["recordSet"]}
    configs = {p.name for p in (built / "data").iterdir()}
    assert counts == {c: sum(pq.read_metadata(f).num_rows for f in (built / "data" / c).glob("*.parquet")) for c in configs}
    assert {p.parent.name for p in built.glob("data/*/test-*.parquet")}, "the fixture build has a second split"


def test_build_with_checksums_and_croissant_is_deterministic(pristine: Path) -> None:
    again = build(pristine / "raw", pristine / "dataset", pristine / "CARD.md", "--changelog", pristine / "CHANGELOG.md", "--check")
    assert again.returncode == 0, again.stderr
