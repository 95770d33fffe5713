"""The per-document pipeline shared by ``build``, ``validate`` and ``lint``, and the per-shard build task.

:func:`process` is a pure function of one folder: raw files -> checked document -> rows.
:func:`build_shard` runs it over the documents of one shard of the plan and writes that
shard's Parquet file of every config, so a worker process (or a cluster node) does all
the work of its shard and sends back only problems and counts, never documents or rows.
Both can run in any process; results are combined in the plan's order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsanno import corpus, rows
from newsanno.builder.shards import Shard, ShardPlan
from newsanno.model import Document
from newsanno.problems import Problem, has_errors, promote
from newsanno.publish.stats import CorpusStats
from newsanno.rows import configs
from newsanno.tokencache import TokenCache
from newsanno.validate import DEFAULT_LIMITS, Limits, annotators, load_document
from newsanno.validate.lint import LINT_PREFIX, lint_document

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
) -> ShardOutcome:
    """Check every document of one task and write the shard's file of each config under ``out``.

    A config gets a file only once a document gives it rows (the caller gives the other
    shards of such a config empty files).  After the first failing document nothing more
    is written, but every document is still checked so that all problems are reported.
    ``out=None`` checks without writing.  ``tick`` is called once per document.
    """
    # Here, not at the top: validate and lint import this module and must not pay the
    # seconds that datasets (behind the Features) and pyarrow take to import.
    from newsanno.builder.parquet import ShardWriter
    from newsanno.rows.configs import NAMES as CONFIGS
    from newsanno.rows.configs import features

    outcome = ShardOutcome(failed=task.shard is None)
    writers: dict[str, ShardWriter] = {}
    try:
        for folder in task.folders:
            result = process(folder, limits, with_rows=out is not None and not outcome.failed, cache=cache)
            problems = promote(result.problems, LINT_PREFIX) if strict else result.problems
            if problems:
                outcome.problems.append((folder.name, problems))
            outcome.failed = outcome.failed or not result.ok or has_errors(problems)
            if tick is not None:
                tick()
            if outcome.failed or out is None:
                continue
            assert result.document is not None and task.shard is not None
            for config in CONFIGS:
                found = result.rows[config]
                if found:
                    if config not in writers:
                        writers[config] = ShardWriter(shard_path(out, config, task.shard), features(config))
                    writers[config].write(found)
            outcome.stats.add(result.document, {config: len(result.rows[config]) for config in CONFIGS}, result.tokens)
    finally:
        for writer in writers.values():
            writer.close()
    return outcome
