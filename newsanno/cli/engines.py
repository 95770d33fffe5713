"""Engines that run the per-document pipeline: in this process, in a process pool, or on Dask.

Every engine yields the same :class:`DocResult` objects in the shard plan's output order
(within a split, shard by shard, documents in id order), so the writer produces the same
bytes whichever engine ran.  Workers only validate and build rows; the caller writes.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsanno.cli.pipeline import DocResult, process
from newsanno.jsonio import Limits
from newsanno.shards import ShardPlan
from newsanno.tokencache import TokenCache

ENGINES = ("local", "dask")


@dataclass(frozen=True)
class RunOptions:
    """How to run the pipeline (never what it produces)."""

    limits: Limits
    cache_dir: Path | None
    num_proc: int = 1
    with_rows: bool = True
    engine: str = "local"
    scheduler: str | None = None


def work_order(plan: ShardPlan) -> list[Path]:
    """Every folder in the order results are consumed: shard by shard, then the unplanned ones."""
    return [folder for shard in plan.shards for folder in shard.folders] + plan.unplanned


# Per-process state of pool workers, set once by the initializer instead of pickled per task.
_worker: dict[str, object] = {}


def _init_worker(limits: Limits, cache_dir: Path | None, with_rows: bool) -> None:
    _worker.update(limits=limits, cache=TokenCache(cache_dir), with_rows=with_rows)


def _process_one(folder: Path) -> DocResult:
    return process(folder, _worker["limits"], with_rows=_worker["with_rows"], cache=_worker["cache"])  # type: ignore[arg-type]


def local_results(folders: list[Path], options: RunOptions) -> Iterator[DocResult]:
    """Results in ``folders`` order, from this process or a pool of ``num_proc`` processes."""
    if options.num_proc <= 1 or len(folders) < 2:
        cache = TokenCache(options.cache_dir)
        for folder in folders:
            yield process(folder, options.limits, with_rows=options.with_rows, cache=cache)
        return
    # fork keeps start-up cheap (no re-import of spaCy per worker) where it is available.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    initargs = (options.limits, options.cache_dir, options.with_rows)
    with context.Pool(options.num_proc, initializer=_init_worker, initargs=initargs) as pool:
        # imap keeps input order, so results are consumed exactly as in a serial run.
        yield from pool.imap(_process_one, folders, chunksize=4)


def process_partition(folders: list[Path], limits: Limits, cache_dir: Path | None, with_rows: bool) -> list[DocResult]:
    """One Dask task: the results of one shard's documents, in order."""
    cache = TokenCache(cache_dir)
    return [process(folder, limits, with_rows=with_rows, cache=cache) for folder in folders]


def dask_results(plan: ShardPlan, options: RunOptions, chunk: int) -> Iterator[DocResult]:
    """Results from a Dask cluster: one task per shard (unplanned folders in extra tasks).

    Results are gathered in plan order and released as soon as they are consumed, so the
    client holds about one shard at a time while the cluster works ahead.
    """
    from dask.distributed import Client

    partitions = [list(shard.folders) for shard in plan.shards]
    partitions += [plan.unplanned[i : i + chunk] for i in range(0, len(plan.unplanned), chunk)]
    with Client(options.scheduler) as client:
        futures = client.map(
            process_partition,
            partitions,
            limits=options.limits,
            cache_dir=options.cache_dir,
            with_rows=options.with_rows,
            pure=False,
        )
        for future in futures:
            results = future.result()
            future.release()
            yield from results


def results(plan: ShardPlan, options: RunOptions, chunk: int) -> Iterator[DocResult]:
    """Results of every document of the plan from the chosen engine, in :func:`work_order`."""
    if options.engine == "dask":
        return dask_results(plan, options, chunk)
    return local_results(work_order(plan), options)
