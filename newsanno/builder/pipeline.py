"""The per-document pipeline shared by ``build``, ``validate`` and ``lint``, and the per-shard build task.

:func:`process` is a pure function of one folder: raw files -> checked document -> rows.
:func:`build_shard` runs it over the documents of one shard of the plan and writes that
shard's Parquet file of every config, so a worker process (or a cluster node) does all
the work of its shard and sends back only problems and counts, never documents or rows.
Both can run in any process; results are combined in the plan's order.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsanno import corpus, rows
from newsanno.builder.shards import Shard, ShardPlan
from newsanno.model import Document
from newsanno.problems import Problem, has_errors, promote
from newsanno.publish.stats import CorpusStats
from newsanno.rows import configs
from newsanno.tokencache import TokenCache
from newsanno.validate import DEFAULT_LIMITS, Limits, annotators, load_document
from newsanno.validate.lint import LINT_PREFIX, lint_document

if TYPE_CHECKING:
    from newsanno.builder.results import ResultCache

_NO_CACHE = TokenCache(None)


@dataclass
class DocResult:
    """What one document contributes: its rows per config, or the problems that stop it."""

    folder: Path
    document: Document | None
    rows: dict[str, list[rows.Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    tokens: int = 0  # the text's tokens, for the card's per-split statistics

    @property
    def ok(self) -> bool:
        return self.document is not None and not has_errors(self.problems)


def process(folder: Path, limits: Limits = DEFAULT_LIMITS, *, with_rows: bool = True, cache: TokenCache | None = None) -> DocResult:
    """Validate one document folder and build its rows for every config.

    Tokens come through ``cache`` when given (a hit gives the very tokens a fresh
    tokenization would), else from a fresh tokenization.
    """
    with _no_cycle_collection():
        return _process(folder, limits, with_rows, cache)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while one document is processed.

    A document's parsed JSON is tens of thousands of dicts; their allocation triggers full
    collections that walk every live object, a third of a large document's validation time.
    Nothing here builds reference cycles that must be freed before the document is done;
    whatever the collector would have found is collected after, once it runs again.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _process(folder: Path, limits: Limits, with_rows: bool, cache: TokenCache | None) -> DocResult:
    document, problems = load_document(folder, limits)
    # The second annotation and the adjudication record beside the gold, when a folder has them.
    problems.extend(annotators.folder_problems(folder, limits))
    result = DocResult(folder, document, problems=problems)
    if document is None:
        return result
    tokens = (cache or _NO_CACHE).tokenize(document.text)
    result.tokens = len(tokens.starts)
    if with_rows:
        result.rows, refused = configs.build_rows(document, tokens)
    else:
        refused = configs.check_rows(document, tokens)
    result.problems.extend(refused)
    result.problems.extend(lint_document(document, f"{document.origin}/{corpus.ANNOTATIONS}"))
    return result


def check(folder: Path, limits: Limits = DEFAULT_LIMITS, cache: TokenCache | None = None) -> list[Problem]:
    """The problems of one document folder (validation, NER alignment, lint); builds no rows."""
    return process(folder, limits, with_rows=False, cache=cache).problems


@dataclass(frozen=True)
class ShardTask:
    """One unit of build work: a shard of the plan, or documents without a readable split.

    The latter (``shard`` is None) are only validated: they always fail the build.
    """

    shard: Shard | None
    unplanned: tuple[Path, ...] = ()

    @property
    def folders(self) -> tuple[Path, ...]:
        """The task's document folders, in id order."""
        return self.shard.folders if self.shard is not None else self.unplanned

    def __len__(self) -> int:
        return len(self.shard.names) if self.shard is not None else len(self.unplanned)


def tasks(plan: ShardPlan, chunk: int) -> list[ShardTask]:
    """The plan's shards in output order, then the unplanned folders in chunks of ``chunk``."""
    found = [ShardTask(shard) for shard in plan.shards]
    found += [ShardTask(None, tuple(plan.unplanned[i : i + chunk])) for i in range(0, len(plan.unplanned), chunk)]
    return found


@dataclass
class ShardOutcome:
    """What a shard task sends back: small, whatever the shard's size.

    ``problems`` pairs each folder name with its problems; ``files`` holds the shard's
    Parquet files (relative path -> bytes) only when the task was asked to return them
    rather than write them where the caller can see them.
    """

    problems: list[tuple[str, list[Problem]]] = field(default_factory=list)
    stats: CorpusStats = field(default_factory=CorpusStats)
    failed: bool = False
    files: dict[str, bytes] = field(default_factory=dict)


def shard_path(out: Path, config: str, shard: Shard) -> Path:
    """Where a config's file of one shard lives in the dataset folder."""
    return out / "data" / config / shard.file_name()


def build_shard(
    task: ShardTask,
    out: Path | None,
    limits: Limits = DEFAULT_LIMITS,
    cache: TokenCache | None = None,
    *,
    strict: bool = False,
    tick: Callable[[], None] | None = None,
    results: ResultCache | None = None,
) -> ShardOutcome:
    """Check every document of one task and write the shard's file of each config under ``out``.

    A config gets a file only once a document gives it rows (the caller gives the other
    shards of such a config empty files).  After the first failing document nothing more
    is written, but every document is still checked so that all problems are reported.
    ``out=None`` checks without writing.  ``tick`` is called once per document.  A document
    whose result ``results`` holds is not processed again: its problems and tables come from
    the cache (see :mod:`newsanno.builder.results`), which gives the same bytes.
    """
    # Here, not at the top: validate and lint import this module and must not pay the
    # seconds that datasets (behind the Features) and pyarrow take to import.
    from newsanno.builder.parquet import ShardWriter
    from newsanno.builder.results import arrow_schema
    from newsanno.rows.configs import NAMES as CONFIGS

    outcome = ShardOutcome(failed=task.shard is None)
    writers: dict[str, ShardWriter] = {}
    try:
        for folder in task.folders:
            document, found, tables = _result(folder, limits, cache, results, with_rows=out is not None and not outcome.failed)
            problems = promote(found, LINT_PREFIX) if strict else found
            if problems:
                outcome.problems.append((folder.name, problems))
            outcome.failed = outcome.failed or document is None or has_errors(problems)
            if tick is not None:
                tick()
            if outcome.failed or out is None:
                continue
            assert document is not None and tables is not None and task.shard is not None
            for config in CONFIGS:
                table = tables[config]
                if table.num_rows:
                    if config not in writers:
                        writers[config] = ShardWriter(shard_path(out, config, task.shard), arrow_schema(config))
                    writers[config].write_table(table)
            # The card's per-split token counts: through the token cache, so a result-cache hit stays cheap.
            tokens = len((cache or _NO_CACHE).tokenize(document.text).starts)
            outcome.stats.add(document, {config: tables[config].num_rows for config in CONFIGS}, tokens)
    finally:
        for writer in writers.values():
            writer.close()
    return outcome


def _result(
    folder: Path, limits: Limits, cache: TokenCache | None, results: ResultCache | None, *, with_rows: bool
) -> tuple[Document | None, list[Problem], dict[str, Any] | None]:
    """One document's (model when valid, problems, Arrow table per config when valid and asked for),
    from ``results`` when it holds them, else processed (and stored there)."""
    from newsanno.builder.results import to_tables

    found = results.lookup(folder) if results is not None else None
    hit = results.get(found) if results is not None and found is not None else None
    if hit is not None:
        return hit.document, hit.problems, hit.tables
    # With a cache, rows are built even when this build has failed already, so the entry is whole
    # and the next build (the failing document fixed) finds it.
    with_rows = with_rows or (found is not None and found.key is not None)
    result = process(folder, limits, with_rows=with_rows, cache=cache)
    if not result.ok:
        if results is not None and found is not None:
            results.put(found, result.problems, None)
        return None, result.problems, None
    if not with_rows:
        return result.document, result.problems, None
    tables = to_tables(result.rows)
    if results is not None and found is not None:
        results.put(found, result.problems, tables)
    return result.document, result.problems, tables
