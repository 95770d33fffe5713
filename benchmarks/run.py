"""Benchmark validate and build against the naive baseline and the floor.

``python benchmarks/run.py [--sizes 1000 10000] [--large] [--runs 3] [--work DIR] [--json OUT]``
``python benchmarks/run.py --versions 1.0.0=9296c4f start=5750ed9 now=HEAD --incremental 1000 [--rss-sizes 2000 5000]``

For each corpus size it writes a synthetic corpus (benchmarks/synth.py), then measures
as medians of ``--runs`` runs, each in a fresh process: wall time, CPU time (user + system
of the whole process tree, from the kernel's accounting of reaped children: unlike wall
time it barely moves when other work shares the machine) and peak RSS summed over the whole
process tree (sampled with psutil).  Cold runs start from an empty token
cache; warm runs from a filled one.  It prints a table with the ratios build/naive and
build/floor and writes every figure as JSON.

``--versions LABEL=REV ...`` measures the incremental cases (:func:`bench_version`) for each
revision in the same invocation, each from its own ``git worktree`` checkout under ``--work``
and with a corpus written by that revision's own ``benchmarks/synth.py``: a cold build, a
no-change rebuild, a rebuild after one annotation edit, ``validate`` of the corpus, of one
valid document with 30,000 mentions (annotations per CPU-second) and the text report of one
with 200,000 broken mentions, and ``python build.py`` of the checkout's own ``raw/`` after a
one-document edit (what pre-commit runs).  The naive pipeline, the floor (``floor.py``) and
the I/O floor (``io_floor.py``) are measured once, with the first revision's code.
``--rss-sizes`` adds the peak RSS of a no-change rebuild at each size.
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
from benchmarks.validate_many import make as make_many  # noqa: E402


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


def timed(cmd: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None, ok: int = 0) -> tuple[float, float, int]:
    """Wall time, CPU time and peak RSS of the process tree of one command.

    The CPU time counts every descendant that was waited for (pool workers are), so it is
    the whole tree's.
    """
    peak = 0
    cpu = _children_cpu()
    start = time.perf_counter()
    child = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "HF_DATASETS_OFFLINE": "1", **(env or {})}
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
    if child.returncode != ok:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return wall, _children_cpu() - cpu, peak


def measure(
    name: str, n: int, cmd: list[str], runs: int, before: object = None, cwd: Path = ROOT, env: dict[str, str] | None = None, ok: int = 0
) -> Measure:
    walls, cpus, peaks, loads = [], [], [], []
    for _ in range(runs):
        if callable(before):
            before()
        loads.append(round(os.getloadavg()[0], 2))
        try:
            wall, cpu, peak = timed(cmd, cwd, env, ok)
        except SystemExit as exc:  # an old revision may refuse a case: say so, measure the rest
            print(f"  {name} n={n}: FAILED {str(exc)[-300:]}", file=sys.stderr, flush=True)
            return Measure(name, n, float("nan"), float("nan"), float("nan"), [], loads)
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


@dataclass(frozen=True)
class Version:
    """A revision under measurement, run from its own checkout."""

    label: str
    rev: str
    checkout: Path

    def env(self) -> dict[str, str]:
        return {"PYTHONPATH": str(self.checkout)}

    def py(self) -> list[str]:
        return [sys.executable, "-m", "newsanno"]


def checkout(label: str, rev: str, work: Path) -> Version:
    """A detached ``git worktree`` of ``rev`` under ``work`` (made once, reused)."""
    sha = subprocess.run(["git", "rev-parse", rev], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    path = work / f"checkout-{sha[:12]}"
    if not path.is_dir():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), sha], cwd=ROOT, check=True, capture_output=True)
    return Version(label, sha[:12], path)


def toggle_claim(folder: Path) -> None:
    """Flip one claim's checkworthiness: an annotation-only edit of one document, still canonical."""
    path = folder / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    claim = ann["claims"][0]
    claim["checkworthiness"] = "UFS" if claim["checkworthiness"] == "CFS" else "CFS"
    path.write_text(json.dumps(ann, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def many_folders(work: Path) -> tuple[Path, Path]:
    """A corpus of one valid document with 30,000 mentions, and one of a document with 200,000 broken ones."""
    valid, broken = work / "many-valid", work / "many-broken"
    if not valid.is_dir():
        make_many(valid, 30_000)
    if not broken.is_dir():
        folder = make_many(broken, 200_000)
        ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
        for m in ann["mentions"]:
            m["start"] += 1
            m["end"] += 1
        (folder / "annotations.json").write_text(json.dumps(ann, indent=2) + "\n", encoding="utf-8")
    return valid, broken


def bench_version(v: Version, n: int, work: Path, runs: int) -> list[Measure]:
    """The incremental cases of one revision on its own synthetic corpus of ``n`` documents."""
    base = work / f"v-{v.rev}-{n}"
    raw, out, cache, card = base / "raw", base / "out", base / "cache", base / "CARD.md"
    if not raw.is_dir():
        base.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(v.checkout / "benchmarks" / "synth.py"), str(n), str(raw)], check=True, capture_output=True)
    card.write_text("# Benchmark card\n", encoding="utf-8")
    build = [*v.py(), "build", "--raw", str(raw), "--out", str(out), "--card", str(card), "--cache-dir", str(cache), "--quiet"]
    validate = [*v.py(), "validate", "--quiet", "--cache-dir", str(cache)]
    edited = sorted(raw.iterdir())[n // 2]
    valid, broken = many_folders(work)
    run = {"cwd": v.checkout, "env": v.env()}

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    def edit() -> None:
        toggle_claim(edited)

    def fill_many() -> None:  # the 30,000-mention text's tokens in the cache, as after any build (once)
        if not filled:
            timed([*validate, "--raw", str(valid)], **run)  # type: ignore[arg-type]
            filled.append(True)

    filled: list[bool] = []

    real = v.checkout / "raw"
    real_doc = next(f for f in sorted(real.iterdir()) if json.loads((f / "annotations.json").read_text(encoding="utf-8"))["claims"])
    real_build = [sys.executable, str(v.checkout / "build.py"), "--quiet"]

    def real_edit() -> None:
        if not (v.checkout / ".newsanno-cache").is_dir():
            timed(real_build, **run)  # type: ignore[arg-type]
        toggle_claim(real_doc)

    label = f"{v.label} ({v.rev[:7]})"
    results = [
        measure(f"{label}: build cold", n, build, runs, clear, **run),  # type: ignore[arg-type]
        measure(f"{label}: build no change", n, build, runs, None, **run),  # type: ignore[arg-type]
        measure(f"{label}: build after one edit", n, build, runs, edit, **run),  # type: ignore[arg-type]
        measure(f"{label}: validate", n, [*validate, "--raw", str(raw)], runs, None, **run),  # type: ignore[arg-type]
        measure(f"{label}: validate 30,000 mentions", 30_000, [*validate, "--raw", str(valid)], runs, fill_many, **run),  # type: ignore[arg-type]
        measure(f"{label}: report 200,000 broken", 200_000, [*validate, "--raw", str(broken)], runs, None, ok=1, **run),  # type: ignore[arg-type]
        measure(f"{label}: build.py real corpus, one edit", len(list(real.iterdir())), real_build, runs, real_edit, **run),  # type: ignore[arg-type]
    ]
    subprocess.run(["git", "checkout", "--", "raw"], cwd=v.checkout, check=True, capture_output=True)
    return results


def bench_floors(v: Version, n: int, work: Path, runs: int, naive_runs: int) -> list[Measure]:
    """Naive, floor and I/O floor on the first revision's corpus (its build's cache and output filled)."""
    base = work / f"v-{v.rev}-{n}"
    raw, cache, out = base / "raw", base / "cache", base / "out"
    return [
        measure("naive", n, [sys.executable, str(HERE / "naive.py"), str(raw), str(base / "naive")], naive_runs),
        measure("floor (floor.py)", n, [sys.executable, str(HERE / "floor.py"), str(raw), str(base / "floor"), str(cache)], runs),
        measure("I/O floor (io_floor.py)", n, [sys.executable, str(HERE / "io_floor.py"), str(raw), str(out), str(base / "io")], runs),
    ]


def bench_rss(v: Version, sizes: list[int], work: Path) -> list[Measure]:
    """Peak RSS of a no-change rebuild and of a one-edit rebuild at each size (caches filled first, 2 processes)."""
    found = []
    for n in sizes:
        base = work / f"v-{v.rev}-{n}"
        raw, out, cache, card = base / "raw", base / "out", base / "cache", base / "CARD.md"
        if not raw.is_dir():
            base.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, str(v.checkout / "benchmarks" / "synth.py"), str(n), str(raw)], check=True, capture_output=True)
        card.write_text("# Benchmark card\n", encoding="utf-8")
        build = [*v.py(), "build", "--raw", str(raw), "--out", str(out), "--card", str(card), "--cache-dir", str(cache), "--quiet"]
        if not cache.is_dir():
            found.append(
                measure(f"{v.label}: build cold, 2 proc (fills the caches)", n, [*build, "--num-proc", "2"], 1, None, v.checkout, v.env())
            )
        found.append(measure(f"{v.label}: build no change", n, build, 1, None, v.checkout, v.env()))
        edited = sorted(raw.iterdir())[n // 2]
        found.append(measure(f"{v.label}: build after one edit", n, build, 1, lambda e=edited: toggle_claim(e), v.checkout, v.env()))
    return found


def versions_main(args: argparse.Namespace) -> None:
    """The --versions report: every revision's incremental cases, then the floors, in one invocation."""
    report: dict[str, object] = {"cores": os.cpu_count(), "runs": args.runs, "command": " ".join(sys.argv), "measures": []}
    versions = [checkout(*spec.split("=", 1), args.work) for spec in args.versions]
    lines = ["| case | N | wall s | cpu s | peak RSS MB | load |", "|---|---|---|---|---|---|"]
    measures: list[Measure] = []
    for v in versions:
        measures += bench_version(v, args.incremental, args.work, args.runs)
    measures += bench_floors(versions[-1], args.incremental, args.work, args.runs, args.naive_runs or args.runs)
    if args.rss_sizes:
        measures += bench_rss(versions[-1], args.rss_sizes, args.work)
    for m in measures:
        lines.append(f"| {m.name} | {m.n} | {m.wall_s:.2f} | {m.cpu_s:.2f} | {m.peak_rss_mb:.0f} | {max(m.load_avg):.1f} |")
    report["measures"] = [asdict(m) for m in measures]
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print("\n".join(lines), flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--large", action="store_true", help="also 50,000 documents")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", type=Path, default=Path("/tmp/newsanno-bench"))
    p.add_argument("--json", type=Path, default=HERE / "results.json")
    p.add_argument("--only", nargs="+", help='run just these cases (e.g. "build warm 1 proc" naive floor)')
    p.add_argument("--naive-runs", type=int, help="runs of the (slow) naive baseline; default --runs")
    p.add_argument("--versions", nargs="+", metavar="LABEL=REV", help="measure the incremental cases of these revisions")
    p.add_argument("--incremental", type=int, default=1000, help="corpus size of the --versions cases (default: 1000)")
    p.add_argument("--rss-sizes", type=int, nargs="*", default=[], help="with --versions: sizes of the RSS runs (last revision)")
    args = p.parse_args()
    if args.versions:
        args.work.mkdir(parents=True, exist_ok=True)
        versions_main(args)
        return
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
