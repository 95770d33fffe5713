"""``newsanno build``: validate the raw corpus and write the Hugging Face dataset folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsanno.builder import BuildOptions, build_dataset, check_dataset
from newsanno.builder.engines import ENGINES
from newsanno.builder.shards import DEFAULT_MAX_DOCS_PER_SHARD
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.common import add_corpus_options, positive, progress, run_options


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("build", help=SUBCOMMANDS["build"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("--out", type=Path, default=Path("dataset"), help="output dataset folder (default: dataset/)")
    p.add_argument("--card", type=Path, default=Path("CARD.md"), help="human-written part of the dataset card (default: CARD.md)")
    dating = p.add_mutually_exclusive_group()
    dating.add_argument(
        "--changelog", type=Path, default=Path("CHANGELOG.md"), help="release history; dates croissant.json (default: CHANGELOG.md)"
    )
    dating.add_argument(
        "--no-changelog",
        dest="changelog",
        action="store_const",
        const=None,
        help="build without a release history (croissant.json then has no datePublished)",
    )
    p.add_argument("--strict", action="store_true", help="treat lint findings as errors")
    p.add_argument("--force", action="store_true", help="replace an existing --out that is not a dataset folder (a file, a foreign folder)")
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


def run(args: argparse.Namespace) -> int:
    if not args.card.is_file():
        print(f"newsanno build: card prose {args.card} not found (give --card PATH)", file=sys.stderr)
        return EXIT_USAGE
    if args.changelog is not None and not args.changelog.is_file():
        # Read as empty, a missing history would silently drop datePublished and make the output
        # depend on the directory the command happens to run in.
        print(f"newsanno build: changelog {args.changelog} not found (give --changelog PATH, or --no-changelog)", file=sys.stderr)
        return EXIT_USAGE
    if args.engine == "dask" and not args.scheduler:
        print("newsanno build: --engine dask needs --scheduler ADDRESS", file=sys.stderr)
        return EXIT_USAGE
    return _check(args) if args.check else _build(args)


def _inputs(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of build_dataset/check_dataset that the command line gives."""
    changelog = "" if args.changelog is None else args.changelog.read_text(encoding="utf-8")
    options = BuildOptions(run=run_options(args), max_docs_per_shard=args.max_docs_per_shard, strict=args.strict, force=args.force)
    return {"card": args.card.read_text(encoding="utf-8"), "changelog": changelog, "options": options}


def _build(args: argparse.Namespace) -> int:
    with progress(args, 0, "build") as bar:
        result = build_dataset(args.raw, args.out, progress=bar, **_inputs(args))
    report.emit(report.dedupe(result.problems), args.format, max_problems=args.max_problems)
    if not result.ok:
        print(f"newsanno build: {result.errors} errors; {args.out} left unchanged", file=sys.stderr)
        return EXIT_INVALID
    print(f"newsanno build: wrote {args.out}", file=sys.stderr)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    with progress(args, 0, "build") as bar:
        checked = check_dataset(args.raw, args.out, progress=bar, **_inputs(args))
    report.emit(report.dedupe(checked.build.problems), args.format, max_problems=args.max_problems)
    if not checked.build.ok:
        return EXIT_INVALID
    for line in checked.differences:
        print(f"{args.out}: {line}", file=sys.stderr)
    if checked.differences:
        stale = len(checked.differences)
        print(f"newsanno build --check: {args.out} is stale ({stale} files differ); run: python build.py", file=sys.stderr)
        return EXIT_INVALID
    print(f"newsanno build --check: {args.out} is up to date", file=sys.stderr)
    return EXIT_OK
