"""Benchmark validate and build against the naive baseline and the floor.

``python benchmarks/run.py [--sizes 1000 10000] [--large] [--runs 3] [--work DIR] [--json OUT]``

For each corpus size it writes a synthetic corpus (benchmarks/synth.py), then measures
as medians of ``--runs`` runs, each in a fresh process: wall time and peak RSS summed over
the whole process tree (sampled with psutil).  Cold runs start from an empty token
cache; warm runs from a filled one.  It prints a table with the ratios build/naive and
build/floor and writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synth import write_corpus  # noqa: E402


@dataclass
class Measure:
    name: str
    n: int
    wall_s: float
    peak_rss_mb: float
    runs: list[float]


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    with contextlib.suppress(psutil.Error):
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
    return total


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS of the process tree of one command."""
    peak = 0
    start = time.perf_counter()
    child = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "HF_DATASETS_OFFLINE": "1"}
    )
    proc = psutil.Process(child.pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc))
            done.wait(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, err = child.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return wall, peak


def measure(name: str, n: int, cmd: list[str], runs: int, before: object = None) -> Measure:
    walls, peaks = [], []
    for _ in range(runs):
        if callable(before):
            before()
        wall, peak = timed(cmd)
        walls.append(wall)
        peaks.append(peak)
        print(f"  {name} n={n}: {wall:.2f} s, {peak / 2**20:.0f} MB", file=sys.stderr, flush=True)
    return Measure(name, n, statistics.median(walls), statistics.median(peaks) / 2**20, walls)


def annotation_count(raw: Path) -> int:
    total = 0
    for folder in raw.iterdir():
        ann = json.loads((folder / "annotations.json").read_bytes())
        total += sum(len(ann[k]) for k in ("entities", "mentions", "quotes", "claims"))
    return total


def bench(n: int, work: Path, runs: int, cores: int) -> tuple[list[Measure], int]:
    raw = work / f"raw-{n}"
    if not raw.is_dir():
        write_corpus(raw, n)
    card = work / "CARD.md"
    card.write_text("# Benchmark card\n", encoding="utf-8")
    cache = work / f"cache-{n}"
    out = work / f"out-{n}"
    py = [sys.executable, "-m", "newsanno"]
    build = [*py, "build", "--raw", str(raw), "--out", str(out), "--card", str(card), "--cache-dir", str(cache), "--quiet"]
    validate = [*py, "validate", "--raw", str(raw), "--cache-dir", str(cache), "--quiet"]

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    results = [
        measure("build cold 1 proc", n, build, runs, clear),
        measure(f"build cold {cores} proc", n, [*build, "--num-proc", str(cores)], runs, clear),
        measure("build warm 1 proc", n, build, runs),
        measure(f"build warm {cores} proc", n, [*build, "--num-proc", str(cores)], runs),
        measure("validate warm 1 proc", n, validate, runs),
        measure(f"validate warm {cores} proc", n, [*validate, "--num-proc", str(cores)], runs),
        measure("naive", n, [sys.executable, str(HERE / "naive.py"), str(raw), str(work / f"naive-{n}")], runs),
        measure("floor", n, [sys.executable, str(HERE / "floor.py"), str(raw), str(work / f"floor-{n}"), str(cache)], runs),
    ]
    return results, annotation_count(raw)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--large", action="store_true", help="also 50,000 documents")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", type=Path, default=Path("/tmp/newsanno-bench"))
    p.add_argument("--json", type=Path, default=HERE / "results.json")
    args = p.parse_args()
    cores = os.cpu_count() or 1
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [*args.sizes, *([50_000] if args.large else [])]
    report: dict[str, object] = {"cores": cores, "runs": args.runs, "command": " ".join(sys.argv), "sizes": {}}
    lines = [
        f"cores: {cores}; medians of {args.runs} runs",
        "",
        "| N | case | wall s | peak RSS MB | / naive | / floor |",
        "|---|---|---|---|---|---|",
    ]
    for n in sizes:
        results, annotations = bench(n, args.work, args.runs, cores)
        naive = next(m for m in results if m.name == "naive").wall_s
        floor = next(m for m in results if m.name == "floor").wall_s
        for m in results:
            lines.append(f"| {n} | {m.name} | {m.wall_s:.2f} | {m.peak_rss_mb:.0f} | {m.wall_s / naive:.3f} | {m.wall_s / floor:.2f} |")
        rates = {
            m.name: annotations / m.wall_s / (cores if m.name.endswith(f"{cores} proc") else 1)
            for m in results
            if m.name.startswith("validate")
        }
        lines.append(f"| {n} | annotations | {annotations} | | | |")
        for name, rate in rates.items():
            lines.append(f"| {n} | {name}: annotations/s/core | {rate:,.0f} | | | |")
        report["sizes"][str(n)] = {"annotations": annotations, "measures": [asdict(m) for m in results], "validate_rate_per_core": rates}  # type: ignore[index]
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
