"""``newsanno build``: validate the raw corpus and write the Hugging Face dataset folder."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tqdm import tqdm

from newsanno import charts, checksums, corpus, croissant, shards
from newsanno.card import CardInputs, render
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, engines, pipeline, report
from newsanno.cli.engines import ENGINES, RunOptions
from newsanno.cli.options import add_corpus_options, positive, progress, run_options
from newsanno.cli.pipeline import shard_path
from newsanno.features import CONFIGS, features
from newsanno.parquet import ShardWriter
from newsanno.problems import Problem, has_errors
from newsanno.shards import DEFAULT_MAX_DOCS_PER_SHARD, ShardPlan
from newsanno.staging import fingerprint, staged_dir, tree_digests
from newsanno.stats import CorpusStats
from newsanno.version import dataset_version


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help=SUBCOMMANDS["build"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("--out", type=Path, default=Path("dataset"), help="output dataset folder (default: dataset/)")
    p.add_argument("--card", type=Path, default=Path("CARD.md"), help="human-written part of the dataset card (default: CARD.md)")
    p.add_argument(
        "--changelog", type=Path, default=Path("CHANGELOG.md"), help="release history; dates croissant.json (default: CHANGELOG.md)"
    )
    p.add_argument("--strict", action="store_true", help="treat lint findings as errors")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if --out is not what the raw corpus builds")
    p.add_argument("--format", choices=report.FORMATS, default="text", help="problem output format")
    report.add_max_problems(p)
    p.add_argument(
        "--max-docs-per-shard",
        type=positive,
        default=DEFAULT_MAX_DOCS_PER_SHARD,
        help="documents per Parquet shard of a split (default: %(default)s); part of what decides the output",
    )
    p.add_argument("--engine", choices=ENGINES, default="local", help="where documents are processed (default: local)")
    p.add_argument("--scheduler", help="Dask scheduler address for --engine dask, e.g. tcp://10.0.0.5:8786")
    p.add_argument(
        "--shared-out",
        action="store_true",
        help="with --engine dask: workers write their shards straight into --out, which must be a path every worker sees "
        "(default: workers send the files back and this process writes them)",
    )
    p.set_defaults(run=run)


def _complete(out: Path, plan: ShardPlan, stats: CorpusStats) -> None:
    """Give every shard of a (config, split) that has rows a file, so ``-of-MMMMM`` is true.

    A shard task writes a config's file only when one of its documents has rows for it.
    """
    for config in CONFIGS:
        for shard in plan.shards:
            path = shard_path(out, config, shard)
            if stats.rows[config, shard.split] and not path.exists():
                ShardWriter(path, features(config)).close()


def write_dataset(
    raw: Path,
    out: Path,
    card_md: str,
    options: RunOptions,
    max_docs_per_shard: int = DEFAULT_MAX_DOCS_PER_SHARD,
    bar: tqdm | None = None,
    *,
    changelog: str = "",
    strict: bool = False,
) -> list[Problem]:
    """Build the whole dataset folder into ``out`` (which must be empty); return problems.

    Each shard of the plan is one task that streams its documents into its own Parquet
    files, so memory does not grow with the corpus and workers send back only problems and
    counts.  Problems are reported in document id order whatever order the engine
    produced them in.
    """
    folders, problems = corpus.discover(raw)
    plan = shards.plan(folders, max_docs_per_shard)
    if bar is not None:
        bar.reset(total=len(folders))
    documents = len(folders)
    del folders  # the plan keeps names only: paths of a large corpus add up
    found: list[tuple[str, list[Problem]]] = []
    failed = has_errors(problems)
    stats = CorpusStats()
    work = pipeline.tasks(plan, max_docs_per_shard)
    for outcome in engines.built(work, out, options, strict=strict, write=not failed, progress=bar.update if bar else lambda _n: None):
        found.extend(outcome.problems)
        failed = failed or outcome.failed
        stats.merge(outcome.stats)
    # Folder names are document ids, the order discover() gives and the one users read.
    problems.extend(p for _, doc_problems in sorted(found, key=lambda item: item[0]) for p in doc_problems)
    if not documents and not problems:
        problems.append(Problem(corpus.display(raw), "the raw corpus has no documents", "layout.empty"))
    if not has_errors(problems):
        _complete(out, plan, stats)
        fingerprints = {config: fingerprint(out / "data" / config) for config in CONFIGS}
        (out / "charts").mkdir()
        for name, png in charts.render_all(stats).items():
            (out / "charts" / name).write_bytes(png)
        shown = {f"charts/{name}": alt for name, alt in charts.CHARTS.items()}
        inputs = CardInputs(card_md=card_md, version=dataset_version(), stats=stats, fingerprints=fingerprints, charts=shown)
        (out / "README.md").write_text(render(inputs), encoding="utf-8")
        release = croissant.latest_release(changelog)
        doc = croissant.metadata(stats, dataset_version(), release[1] if release else None)
        (out / "croissant.json").write_text(croissant.dumps(doc), encoding="utf-8")
        # Last: the manifest covers every other file, the card and croissant.json included.
        checksums.write(out)
    return problems


def compare_trees(expected: Path, actual: Path) -> list[str]:
    """Relative paths that differ between two folders (changed, missing or extra)."""
    want, have = tree_digests(expected), tree_digests(actual) if actual.is_dir() else {}
    return sorted(
        [f"changed: {p}" for p in want.keys() & have.keys() if want[p] != have[p]]
        + [f"missing: {p}" for p in want.keys() - have.keys()]
        + [f"extra: {p}" for p in have.keys() - want.keys()]
    )


def run(args: argparse.Namespace) -> int:
    if not args.card.is_file():
        print(f"newsanno build: card prose {args.card} not found (give --card PATH)", file=sys.stderr)
        return EXIT_USAGE
    if args.engine == "dask" and not args.scheduler:
        print("newsanno build: --engine dask needs --scheduler ADDRESS", file=sys.stderr)
        return EXIT_USAGE
    card_md = args.card.read_text(encoding="utf-8")
    changelog = args.changelog.read_text(encoding="utf-8") if args.changelog.is_file() else ""
    options = run_options(args)

    def write(out: Path) -> list[Problem]:
        with progress(args, 0, "build") as bar:
            return write_dataset(args.raw, out, card_md, options, args.max_docs_per_shard, bar, changelog=changelog, strict=args.strict)

    if args.check:
        with tempfile.TemporaryDirectory(prefix="newsanno-check-") as tmp:
            problems = write(Path(tmp))
            report.emit(report.dedupe(problems), args.format, max_problems=args.max_problems)
            if has_errors(problems):
                return EXIT_INVALID
            diffs = compare_trees(Path(tmp), args.out)
        for line in diffs:
            print(f"{args.out}: {line}", file=sys.stderr)
        if diffs:
            print(f"newsanno build --check: {args.out} is stale ({len(diffs)} files differ); run: python build.py", file=sys.stderr)
            return EXIT_INVALID
        print(f"newsanno build --check: {args.out} is up to date", file=sys.stderr)
        return EXIT_OK
    problems: list[Problem] = []

    class _Invalid(Exception):
        pass

    try:
        with staged_dir(args.out) as stage:
            problems = write(stage)
            if has_errors(problems):
                raise _Invalid
    except _Invalid:
        report.emit(report.dedupe(problems), args.format, max_problems=args.max_problems)
        print(f"newsanno build: {sum(p.severity == 'error' for p in problems)} errors; {args.out} left unchanged", file=sys.stderr)
        return EXIT_INVALID
    report.emit(report.dedupe(problems), args.format, max_problems=args.max_problems)
    print(f"newsanno build: wrote {args.out}", file=sys.stderr)
    return EXIT_OK
