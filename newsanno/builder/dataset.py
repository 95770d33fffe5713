"""The build's entry points: :func:`build_dataset` (raw corpus -> dataset folder, atomically) and
:func:`check_dataset` (is a dataset folder what the raw corpus builds?).

Both return their outcome as data (problems, counts, files, differences) and print nothing,
so the command line, ``release``, a test or a notebook call them alike.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsanno import corpus, guard, tree
from newsanno.atomic import read_regular, write_atomic
from newsanno.builder import engines, pipeline, shards, writers
from newsanno.builder.engines import Progress, RunOptions
from newsanno.builder.staging import staged_dir
from newsanno.problems import Problem, has_errors
from newsanno.publish import checksums
from newsanno.publish.stats import CorpusStats
from newsanno.version import dataset_version

# A folder this build wrote before holds its manifest; anything else is not replaced without --force.
DATASET_OUTPUT = guard.Output("dataset folder", folder=True, marker=guard.has_file(checksums.MANIFEST))


@dataclass(frozen=True)
class BuildOptions:
    """What decides the output (shard size, strictness, version) and how the work is run (``run``)."""

    run: RunOptions = field(default_factory=RunOptions)
    max_docs_per_shard: int = shards.DEFAULT_MAX_DOCS_PER_SHARD
    strict: bool = False  # lint findings are errors
    version: str | None = None  # the dataset version the card and croissant.json show; None: this checkout's
    force: bool = False  # replace an existing ``out`` that is not a dataset folder (a file, a foreign folder)


@dataclass
class BuildResult:
    """What a build did: its problems, what it counted and the files of the folder it wrote.

    ``files`` (relative POSIX paths) is empty when the build failed; ``out`` is then unchanged.
    """

    out: Path
    problems: list[Problem] = field(default_factory=list)
    documents: int = 0
    stats: CorpusStats = field(default_factory=CorpusStats)
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings may remain)."""
        return not has_errors(self.problems)

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    def rows(self, config: str) -> int:
        """Rows of one config over all splits."""
        return sum(count for (name, _), count in self.stats.rows.items() if name == config)


@dataclass
class CheckResult:
    """The outcome of :func:`check_dataset`: the fresh build's problems, and how ``out`` differs from it."""

    build: BuildResult
    differences: list[str] = field(default_factory=list)  # "changed: path", "missing: path", "extra: path"

    @property
    def up_to_date(self) -> bool:
        return self.build.ok and not self.differences


def _write(raw: Path, out: Path, card: str, changelog: str, options: BuildOptions, progress: Progress | None) -> BuildResult:
    """Build the whole dataset folder into ``out`` (which must be empty).

    Each shard of the plan is one task that streams its documents into its own Parquet
    files, so memory does not grow with the corpus and workers send back only problems and
    counts.  Problems are reported in document id order whatever order the engine
    produced them in.
    """
    folders, problems = corpus.discover(raw)
    plan = shards.plan(folders, options.max_docs_per_shard)
    result = BuildResult(out, problems, documents=len(folders))
    if progress is not None:
        progress.reset(total=len(folders))
    del folders  # the plan keeps names only: paths of a large corpus add up
    found: list[tuple[str, list[Problem]]] = []
    failed = has_errors(problems)
    work = pipeline.tasks(plan, options.max_docs_per_shard)
    tick = progress.update if progress is not None else lambda _n: None
    for outcome in engines.built(work, out, options.run, strict=options.strict, write=not failed, progress=tick):
        found.extend(outcome.problems)
        failed = failed or outcome.failed
        result.stats.merge(outcome.stats)
    # Folder names are document ids, the order discover() gives and the one users read.
    problems.extend(p for _, doc_problems in sorted(found, key=lambda item: item[0]) for p in doc_problems)
    if not result.documents and not problems:
        problems.append(Problem(corpus.display(raw), "the raw corpus has no documents", "layout.empty"))
    if result.ok:
        writers.complete_shards(out, plan, result.stats)
        version = options.version or dataset_version()
        agreement = _agreement(raw, options)
        writers.write_metadata(
            out, result.stats, card_md=card, changelog=changelog, version=version, cache_dir=options.run.cache_dir, agreement=agreement
        )
        result.files = sorted(p.as_posix() for p in tree.walk(out).files)
    return result


def _agreement(raw: Path, options: BuildOptions) -> dict[str, Any]:
    """The card's agreement figures, from the documents that have two annotations and an adjudication.

    Cached under the token cache folder by a digest of their files and of the code (computing
    them imports scipy and spaCy, most of an unchanged build's time); an entry that does not
    parse as a JSON object is ignored and recomputed.
    """
    from newsanno.publish.agreement_summary import agreement_summary, inputs_digest
    from newsanno.tokencache import TokenCache

    cache = options.run.cache_dir
    path = cache / "agreement" / f"{inputs_digest(raw)}.json" if cache is not None else None
    cached = read_regular(path) if path is not None else None
    if cached is not None:
        with contextlib.suppress(ValueError):
            summary = json.loads(cached)
            if isinstance(summary, dict):
                return summary
    summary = agreement_summary(raw, TokenCache(cache).tokenize)
    if path is not None:
        with contextlib.suppress(OSError):  # an unwritable cache only costs speed
            write_atomic(path, json.dumps(summary, sort_keys=True).encode("utf-8"), durable=False)
    return summary


def build_dataset(
    raw: Path, out: Path, *, card: str, changelog: str = "", options: BuildOptions | None = None, progress: Progress | None = None
) -> BuildResult:
    """Validate the raw corpus and build the dataset folder ``out`` from it, atomically.

    ``card`` is the human-written card prose (CARD.md's text), ``changelog`` CHANGELOG.md's
    text (it dates croissant.json).  The folder is built beside ``out`` and swapped in only
    when the whole corpus is valid: on any error ``out`` is left exactly as it was and the
    result's ``problems`` say why.
    """
    options = options or BuildOptions()
    refused = guard.output_problems(out, DATASET_OUTPUT, [raw], force=options.force)
    if refused:
        return BuildResult(out, refused)
    result = BuildResult(out)  # replaced by the staged build's; keep() reads it at exit
    recovered: list[Problem] = []  # what an interrupted earlier build left, and how it was repaired
    with staged_dir(out, keep=lambda: result.ok, notes=recovered) as stage:
        result = _write(raw, stage, card, changelog, options, progress)
    result.out = out
    result.problems[:0] = recovered
    return result


def check_dataset(
    raw: Path, out: Path, *, card: str, changelog: str = "", options: BuildOptions | None = None, progress: Progress | None = None
) -> CheckResult:
    """Build into a temporary folder and compare it with ``out``; writes nothing else.

    ``differences`` lists every file of ``out`` that is changed, missing or extra; it is
    empty when ``out`` is what the raw corpus builds (and when the build itself fails).
    The check reuses no cached per-document result: it judges ``out`` by a fresh build
    (token cache entries, which are verified against their text, are still read).
    """
    options = options or BuildOptions()
    options = replace(options, run=replace(options.run, reuse_results=False))
    with tempfile.TemporaryDirectory(prefix="newsanno-check-") as tmp:
        built = _write(raw, Path(tmp), card, changelog, options, progress)
        differences = writers.compare_trees(Path(tmp), out) if built.ok else []
    built.out = out
    built.files = []
    return CheckResult(built, differences)
