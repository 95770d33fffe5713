"""Benchmark validate and build against the naive baseline and the floor.

``python benchmarks/run.py [--sizes 1000 10000] [--large] [--runs 3] [--work DIR] [--json OUT]``

For each corpus size it writes a synthetic corpus (benchmarks/synth.py), then measures
as medians of ``--runs`` runs, each in a fresh process: wall time, CPU time (user + system
of the whole process tree, from the kernel's accounting of reaped children: unlike wall
time it barely moves when other work shares the machine) and peak RSS summed over the whole
process tree (sampled with psutil).  Cold runs start from an empty token
cache; warm runs from a filled one.  It prints a table with the ratios build/naive and
build/floor and writes every figure as JSON.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
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
    cpu_s: float
    peak_rss_mb: float
    runs: list[float]
    load_avg: list[float]  # 1-minute load average at the start of each run: the machine may be shared


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    with contextlib.suppress(psutil.Error):
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
    return total


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """Wall time, CPU time and peak RSS of the process tree of one command.

    The CPU time counts every descendant that was waited for (pool workers are), so it is
    the whole tree's.
    """
    peak = 0
    cpu = _children_cpu()
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
    return wall, _children_cpu() - cpu, peak


def measure(name: str, n: int, cmd: list[str], runs: int, before: object = None) -> Measure:
    walls, cpus, peaks, loads = [], [], [], []
    for _ in range(runs):
        if callable(before):
            before()
        loads.append(round(os.getloadavg()[0], 2))
        wall, cpu, peak = timed(cmd)
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
        print(f"  {name} n={n}: {wall:.2f} s, cpu {cpu:.2f} s, {peak / 2**20:.0f} MB, load {loads[-1]}", file=sys.stderr, flush=True)
    return Measure(name, n, statistics.median(walls), statistics.median(cpus), statistics.median(peaks) / 2**20, walls, loads)


def annotation_count(raw: Path) -> int:
    total = 0
    for folder in raw.iterdir():
        ann = json.loads((folder / "annotations.json").read_bytes())
        total += sum(len(ann[k]) for k in ("entities", "mentions", "quotes", "claims"))
    return total


def bench(
    n: int, work: Path, runs: int, cores: int, only: list[str] | None = None, naive_runs: int | None = None
) -> tuple[list[Measure], int]:
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

    def warm() -> None:
        if not cache.is_dir():  # a warm case run on its own first fills the cache (untimed)
            timed(build)

    cases = [
        ("build cold 1 proc", build, runs, clear),
        (f"build cold {cores} proc", [*build, "--num-proc", str(cores)], runs, clear),
        ("build warm 1 proc", build, runs, warm),
        (f"build warm {cores} proc", [*build, "--num-proc", str(cores)], runs, warm),
        ("validate warm 1 proc", validate, runs, warm),
        (f"validate warm {cores} proc", [*validate, "--num-proc", str(cores)], runs, warm),
        ("naive", [sys.executable, str(HERE / "naive.py"), str(raw), str(work / f"naive-{n}")], naive_runs or runs, None),
        ("floor", [sys.executable, str(HERE / "floor.py"), str(raw), str(work / f"floor-{n}"), str(cache)], runs, warm),
    ]
    results = [measure(name, n, cmd, k, before) for name, cmd, k, before in cases if not only or name in only]
    return results, annotation_count(raw)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--large", action="store_true", help="also 50,000 documents")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", type=Path, default=Path("/tmp/newsanno-bench"))
    p.add_argument("--json", type=Path, default=HERE / "results.json")
    p.add_argument("--only", nargs="+", help='run just these cases (e.g. "build warm 1 proc" naive floor)')
    p.add_argument("--naive-runs", type=int, help="runs of the (slow) naive baseline; default --runs")
    args = p.parse_args()
    cores = os.cpu_count() or 1
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = [*args.sizes, *([50_000] if args.large else [])]
    report: dict[str, object] = {"cores": cores, "runs": args.runs, "command": " ".join(sys.argv), "sizes": {}}
    lines = [
        f"cores: {cores}; medians of {args.runs} runs",
        "",
        "| N | case | wall s | cpu s | peak RSS MB | / naive | / floor |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in sizes:
        results, annotations = bench(n, args.work, args.runs, cores, args.only, args.naive_runs)
        naive = next((m.wall_s for m in results if m.name == "naive"), None)
        floor = next((m.wall_s for m in results if m.name == "floor"), None)
        for m in results:
            to_naive = f"{m.wall_s / naive:.3f}" if naive else "-"
            to_floor = f"{m.wall_s / floor:.2f}" if floor else "-"
            lines.append(f"| {n} | {m.name} | {m.wall_s:.2f} | {m.cpu_s:.2f} | {m.peak_rss_mb:.0f} | {to_naive} | {to_floor} |")
        rates = {
            m.name: annotations / m.wall_s / (cores if m.name.endswith(f"{cores} proc") else 1)
            for m in results
            if m.name.startswith("validate")
        }
        # Per CPU-second of the whole process tree: what one core does when it is not shared.
        cpu_rates = {m.name: annotations / m.cpu_s for m in results if m.name.startswith("validate")}
        lines.append(f"| {n} | annotations | {annotations} | | | | |")
        for name, rate in rates.items():
            lines.append(f"| {n} | {name}: annotations/s/core (wall) | {rate:,.0f} | {cpu_rates[name]:,.0f} per cpu s | | | |")
        report["sizes"][str(n)] = {  # type: ignore[index]
            "annotations": annotations,
            "measures": [asdict(m) for m in results],
            "validate_rate_per_core": rates,
            "validate_rate_per_cpu_second": cpu_rates,
        }
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
