"""``newsanno build``: validate the raw corpus and write the Hugging Face dataset folder."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from newsanno import charts, checksums, corpus, croissant
from newsanno.card import CardInputs, render
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.pipeline import process
from newsanno.features import CONFIGS, features
from newsanno.jsonio import DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILE_BYTES, Limits
from newsanno.lint import LINT_PREFIX
from newsanno.parquet import ShardWriter, shard_name
from newsanno.problems import Problem, has_errors, promote
from newsanno.staging import fingerprint, staged_dir, tree_files
from newsanno.stats import CorpusStats
from newsanno.version import dataset_version


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    """Options shared by every command that reads a raw corpus."""
    p.add_argument("--raw", type=Path, default=Path("raw"), help="raw corpus folder (default: raw/)")
    p.add_argument(
        "--max-file-bytes", type=int, default=DEFAULT_MAX_FILE_BYTES, help="refuse files larger than this (default: %(default)s)"
    )
    p.add_argument("--max-depth", type=int, default=DEFAULT_MAX_DEPTH, help="refuse JSON nested deeper than this (default: %(default)s)")


def limits_from(args: argparse.Namespace) -> Limits:
    return Limits(max_file_bytes=args.max_file_bytes, max_depth=args.max_depth)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help=SUBCOMMANDS["build"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("--out", type=Path, default=Path("dataset"), help="output dataset folder (default: dataset/)")
    p.add_argument("--card", type=Path, default=Path("CARD.md"), help="human-written part of the dataset card (default: CARD.md)")
    p.add_argument(
        "--changelog", type=Path, default=Path("CHANGELOG.md"), help="release history; dates croissant.json (default: CHANGELOG.md)"
    )
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if --out is not what the raw corpus builds")
    p.add_argument("--strict", action="store_true", help="treat lint findings as errors")
    p.add_argument("--format", choices=report.FORMATS, default="text", help="problem output format")
    p.set_defaults(run=run)


def write_dataset(raw: Path, out: Path, card_md: str, limits: Limits, changelog: str = "", *, strict: bool = False) -> list[Problem]:
    """Build the whole dataset folder into ``out`` (which must be empty); return problems.

    Documents stream through one at a time: rows are written to the Parquet writers as
    each document is processed, so memory does not grow with the corpus.
    """
    folders, problems = corpus.discover(raw)
    stats = CorpusStats()
    writers: dict[tuple[str, str], ShardWriter] = {}
    try:
        for folder in folders:
            result = process(folder, limits)
            found = promote(result.problems, LINT_PREFIX) if strict else result.problems
            problems.extend(found)
            if not result.ok or has_errors(problems):
                continue  # keep validating, but nothing more will be written
            doc = result.document
            assert doc is not None
            for config in CONFIGS:
                key = (config, doc.split)
                if not result.rows[config]:
                    continue  # a split gets a file only once it has rows: readers reject empty splits
                if key not in writers:
                    writers[key] = ShardWriter(out / "data" / config / shard_name(doc.split, 0, 1), features(config))
                writers[key].write(result.rows[config])
            stats.add(doc, {config: len(result.rows[config]) for config in CONFIGS})
    finally:
        for writer in writers.values():
            writer.close()
    if not folders and not problems:
        problems.append(Problem(corpus.display(raw), "the raw corpus has no documents", "layout.empty"))
    if not has_errors(problems):
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
    want, have = tree_files(expected), tree_files(actual) if actual.is_dir() else {}
    return sorted(
        [f"changed: {p}" for p in want.keys() & have.keys() if want[p] != have[p]]
        + [f"missing: {p}" for p in want.keys() - have.keys()]
        + [f"extra: {p}" for p in have.keys() - want.keys()]
    )


def run(args: argparse.Namespace) -> int:
    if not args.card.is_file():
        print(f"newsanno build: card prose {args.card} not found (give --card PATH)", file=sys.stderr)
        return EXIT_USAGE
    card_md = args.card.read_text(encoding="utf-8")
    limits = limits_from(args)
    changelog = args.changelog.read_text(encoding="utf-8") if args.changelog.is_file() else ""
    if args.check:
        with tempfile.TemporaryDirectory(prefix="newsanno-check-") as tmp:
            problems = write_dataset(args.raw, Path(tmp), card_md, limits, changelog, strict=args.strict)
            report.emit(problems, args.format)
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
            problems = write_dataset(args.raw, stage, card_md, limits, changelog, strict=args.strict)
            if has_errors(problems):
                raise _Invalid
    except _Invalid:
        report.emit(problems, args.format)
        print(f"newsanno build: {sum(p.severity == 'error' for p in problems)} errors; {args.out} left unchanged", file=sys.stderr)
        return EXIT_INVALID
    report.emit(problems, args.format)
    print(f"newsanno build: wrote {args.out}", file=sys.stderr)
    return EXIT_OK
