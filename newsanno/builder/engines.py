"""Engines that run the pipeline: in this process, in a process pool, or on a Dask cluster.

A build is a list of shard tasks (see :func:`pipeline.tasks`).  Whichever engine runs
them, each task writes its own shard files (or, on a cluster without a shared output
folder, sends their bytes back), and the engine yields the small :class:`ShardOutcome`
of every task in plan order, so problems and statistics are combined exactly as in a
serial run and the output bytes do not depend on the engine or the number of processes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from newsanno import corpus
from newsanno.builder.pipeline import ShardOutcome, ShardTask, build_shard, check
from newsanno.builder.staging import tree_files
from newsanno.problems import Problem
from newsanno.tokencache import TokenCache
from newsanno.validate import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from newsanno.builder.results import ResultCache

ENGINES = ("local", "dask")

# How often the parent looks at the pool's document counter to move the progress bar.
_POLL_SECONDS = 0.25


@dataclass(frozen=True)
class RunOptions:
    """How to run the pipeline (never what it produces).

    ``cache_dir`` is the token cache folder (None: no cache, every text is tokenized).
    ``reuse_results``: a build also keeps per-document results there and reuses those of
    documents whose files, schemas and code did not change (see :mod:`newsanno.builder.results`).
    """

    limits: Limits = DEFAULT_LIMITS
    cache_dir: Path | None = None
    num_proc: int = 1
    engine: str = "local"
    scheduler: str | None = None
    shared_out: bool = False  # dask: workers write into the output folder themselves
    reuse_results: bool = True

    def results(self) -> ResultCache | None:
        """The per-document result cache a build uses (None: every document is processed)."""
        if self.cache_dir is None or not self.reuse_results:
            return None
        from newsanno.builder.results import ResultCache

        return ResultCache(self.cache_dir, self.limits)


class Progress(Protocol):
    """Where a run reports documents done (a ``tqdm`` bar fits)."""

    def reset(self, total: int | None = None) -> None: ...

    def update(self, n: float | None = 1) -> object: ...


# Per-process state of pool workers, set once by the initializer instead of pickled per task.
_worker: dict[str, Any] = {}


def _init_worker(options: RunOptions, done: Synchronized | None) -> None:  # type: ignore[type-arg]
    _worker.update(limits=options.limits, cache=TokenCache(options.cache_dir), results=options.results(), done=done)


def _tick() -> None:
    done = _worker["done"]
    with done.get_lock():
        done.value += 1


def _check_one(folder: Path) -> list[Problem]:
    return check(folder, _worker["limits"], _worker["cache"])


def _build_one(job: tuple[ShardTask, Path | None, bool]) -> ShardOutcome:
    task, out, strict = job
    return build_shard(task, out, _worker["limits"], _worker["cache"], strict=strict, tick=_tick, results=_worker["results"])


def cpus() -> int:
    """The CPUs this process may run on (its affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no sched_getaffinity (macOS, Windows)
        return os.cpu_count() or 1


def workers(requested: int, work: int) -> int:
    """How many worker processes to start: ``--num-proc``, but never more than the CPUs or the work items.

    ``--num-proc 256`` for two documents would otherwise fork 256 processes, each a copy of a
    process holding spaCy, to leave 254 idle.  The output is the same for any number.
    """
    return max(1, min(requested, cpus(), work))


def _pool(options: RunOptions, work: int, done: Synchronized | None = None) -> Any:  # type: ignore[type-arg]
    # fork keeps start-up cheap (no re-import of spaCy per worker) where it is available.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    count = workers(options.num_proc, work)
    return context.Pool(count, initializer=_init_worker, initargs=(options, done))


def checked(folders: list[Path], options: RunOptions) -> Iterator[list[Problem]]:
    """The problems of each folder, in ``folders`` order (``validate``, ``lint``)."""
    if workers(options.num_proc, len(folders)) <= 1:
        cache = TokenCache(options.cache_dir)
        for folder in folders:
            yield check(folder, options.limits, cache)
        return
    with _pool(options, len(folders)) as pool:
        # imap keeps input order; chunks amortize the round trip of small results.
        yield from pool.imap(_check_one, folders, chunksize=8)


def check_corpus(raw: Path, paths: list[Path], options: RunOptions, progress: Progress | None = None) -> tuple[int, list[Problem]]:
    """Check the documents ``paths`` select in ``raw`` (all when empty): (documents checked, problems).

    The problems of selection come first, then each document's in id order.
    """
    folders, problems = corpus.select(raw, paths)
    if progress is not None:
        progress.reset(total=len(folders))
    for doc_problems in checked(folders, options):
        problems.extend(doc_problems)
        if progress is not None:
            progress.update(1)
    return len(folders), problems


def built(
    tasks: list[ShardTask], out: Path, options: RunOptions, *, strict: bool, write: bool, progress: Callable[[int], None]
) -> Iterator[ShardOutcome]:
    """Run every task, writing shard files under ``out`` (unless ``write`` is false); outcomes in task order.

    ``progress`` is called with the number of documents finished since its last call.
    """
    target = out if write else None
    if options.engine == "dask":
        yield from _dask_built(tasks, target, options, strict, progress)
    elif workers(options.num_proc, len(tasks)) <= 1:
        cache = TokenCache(options.cache_dir)
        results = options.results()
        for task in tasks:
            yield build_shard(task, target, options.limits, cache, strict=strict, tick=lambda: progress(1), results=results)
    else:
        yield from _pool_built(tasks, target, options, strict, progress)


def _pool_built(
    tasks: list[ShardTask], out: Path | None, options: RunOptions, strict: bool, progress: Callable[[int], None]
) -> Iterator[ShardOutcome]:
    if out is not None:
        # Import the writers' libraries (datasets, pyarrow) before forking: the workers inherit
        # them instead of each paying the import, and this process needs them afterwards anyway.
        from newsanno.builder import parquet  # noqa: F401
        from newsanno.rows import features  # noqa: F401
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
    done = context.Value("q", 0)
    shown = 0
    with _pool(options, len(tasks), done) as pool:
        # One task per shard: each worker writes whole shard files, so nothing but the
        # outcome (problems and counts) crosses the process boundary.
        pending = pool.imap(_build_one, [(task, out, strict) for task in tasks], chunksize=1)
        for _ in tasks:
            while True:
                try:
                    outcome = pending.next(timeout=_POLL_SECONDS)
                    break
                except multiprocessing.TimeoutError:
                    shown, previous = done.value, shown
                    progress(shown - previous)
            shown, previous = done.value, shown
            progress(shown - previous)
            yield outcome


def dask_task(task: ShardTask, out: Path | None, options: RunOptions, strict: bool) -> ShardOutcome:
    """One task on a Dask worker: write into ``out`` when it is shared, else send the files back."""
    cache, results = TokenCache(options.cache_dir), options.results()
    if options.shared_out or out is None:
        return build_shard(task, out, options.limits, cache, strict=strict, results=results)
    with tempfile.TemporaryDirectory(prefix="newsanno-shard-") as tmp:
        outcome = build_shard(task, Path(tmp), options.limits, cache, strict=strict, results=results)
        if not outcome.failed:
            outcome.files = tree_files(Path(tmp))
    return outcome


def _dask_built(
    tasks: list[ShardTask], out: Path | None, options: RunOptions, strict: bool, progress: Callable[[int], None]
) -> Iterator[ShardOutcome]:
    """Outcomes from a Dask cluster, gathered in task order and released as soon as consumed,
    so the client holds about one shard's files at a time while the cluster works ahead."""
    from dask.distributed import Client

    with Client(options.scheduler) as client:
        futures = client.map(
            dask_task,
            tasks,
            out=out,
            options=options,
            strict=strict,
            pure=False,
        )
        for task, future in zip(tasks, futures, strict=True):
            outcome = future.result()
            future.release()
            if out is not None:
                for name, data in outcome.files.items():
                    path = out / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                outcome.files = {}
            progress(len(task))
            yield outcome
