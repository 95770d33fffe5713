"""The Dask engine on a real LocalCluster: same bytes as the local build, same errors, output untouched on failure."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build

sys.path.insert(0, str(ROOT))
from benchmarks.synth import write_corpus

distributed = pytest.importorskip("dask.distributed", reason="needs the dask extra: pip install -e '.[dask]'")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        yield cluster


def dask_build(raw: Path, out: Path, card: Path, cluster, cache: Path, *extra: str):
    return build(
        raw,
        out,
        card,
        "--engine",
        "dask",
        "--scheduler",
        cluster.scheduler_address,
        "--cache-dir",
        cache,
        "--max-docs-per-shard",
        "2",
        *extra,
    )


def test_dask_build_matches_local_and_fails_like_local(cluster, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    write_corpus(raw, 6, seed=3)
    card = tmp_path / "CARD.md"
    card.write_text("# Card\n", encoding="utf-8")
    local = tmp_path / "local"
    assert build(raw, local, card, "--no-cache", "--max-docs-per-shard", "2").returncode == 0
    remote = tmp_path / "remote"
    result = dask_build(raw, remote, card, cluster, tmp_path / "c")
    assert result.returncode == 0, result.stderr
    assert files(remote) == files(local)
    # Workers writing straight into a shared output folder give the same bytes too.
    shared = tmp_path / "shared"
    result = dask_build(raw, shared, card, cluster, tmp_path / "c", "--shared-out")
    assert result.returncode == 0, result.stderr
    assert files(shared) == files(local)
    assert any("-of-00002" in name or "-of-00003" in name for name in files(local)), "several shards expected"

    # Break one document's span: both engines must refuse it with the same problem lines.
    victim = sorted(raw.iterdir())[4] / "annotations.json"
    ann = json.loads(victim.read_text(encoding="utf-8"))
    ann["mentions"][3]["start"] += 1
    victim.write_text(json.dumps(ann, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    before = files(remote)
    failed_local = build(raw, local, card, "--no-cache", "--max-docs-per-shard", "2")
    failed_remote = dask_build(raw, remote, card, cluster, tmp_path / "c")
    assert failed_local.returncode == failed_remote.returncode == 1
    problem_lines = [line for line in failed_local.stdout.splitlines() if "annotations.json" in line]
    assert problem_lines and all(ann["mentions"][3]["id"] in line for line in problem_lines)
    assert failed_remote.stdout == failed_local.stdout
    assert failed_remote.stderr.replace(str(remote), str(local)) == failed_local.stderr
    assert "Traceback" not in failed_remote.stderr
    assert files(remote) == before
