"""What the subcommands share: the corpus and limit options, the raw-folder check, the progress
bar and the closing report of a command that checks documents."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from newsanno.builder.engines import RunOptions, check_corpus
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, report
from newsanno.problems import Problem, has_errors
from newsanno.tokencache import DEFAULT_CACHE_DIR
from newsanno.validate import DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILE_BYTES, Limits


def add_limit_options(p: argparse.ArgumentParser, *, hidden: bool = False) -> None:
    """--max-file-bytes and --max-depth: the resource limits of reading untrusted files."""
    p.add_argument(
        "--max-file-bytes",
        type=int,
        default=DEFAULT_MAX_FILE_BYTES,
        help=argparse.SUPPRESS if hidden else "refuse files larger than this (default: %(default)s)",
    )
    p.add_argument(
        "--max-depth",
        type=int,
        default=DEFAULT_MAX_DEPTH,
        help=argparse.SUPPRESS if hidden else "refuse JSON nested deeper than this (default: %(default)s)",
    )


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    """Options shared by every command that reads a raw corpus."""
    p.add_argument("--raw", type=Path, default=Path("raw"), help="raw corpus folder (default: raw/)")
    add_limit_options(p)
    p.add_argument("--num-proc", type=positive, default=1, help="worker processes (default: 1; output is the same for any number)")
    p.add_argument(
        "--cache-dir", type=Path, default=DEFAULT_CACHE_DIR, help="token cache folder, safe to delete (default: %(default)s/ in the cwd)"
    )
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the token cache")
    p.add_argument("--quiet", action="store_true", help="no progress bar (there is none anyway when stderr is not a terminal)")


def add_check_options(p: argparse.ArgumentParser, *, strict: bool = False) -> None:
    """The options of a command that checks documents (validate, lint): the corpus, PATHs, the report.

    ``strict`` adds --strict (findings become errors) where lint has always shown it, before --format.
    """
    add_corpus_options(p)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="document folders (or files in them) inside --raw; default: all")
    if strict:
        p.add_argument("--strict", action="store_true", help="treat findings as errors (exit 1 if any)")
    p.add_argument("--format", choices=report.FORMATS, default="text", help="output format (default: text)")
    report.add_max_problems(p)


def run_check(command: str, args: argparse.Namespace, select: Callable[[list[Problem]], list[Problem]] = lambda problems: problems) -> int:
    """Check the documents the options of :func:`add_check_options` name, report ``select(problems)``;
    the exit code."""
    if (refused := require_raw(command, args.raw)) is not None:
        return refused
    with progress(args, 0, command) as bar:
        documents, problems = check_corpus(args.raw, args.paths, run_options(args), bar)
    return finish(select(problems), documents, args.format, args.max_problems)


def positive(value: str) -> int:
    """argparse type: an integer of at least 1."""
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def non_negative(value: str) -> int:
    """argparse type: an integer of at least 0."""
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {number}")
    return number


def limits_from(args: argparse.Namespace) -> Limits:
    """The resource limits of a parsed command line."""
    return Limits(max_file_bytes=args.max_file_bytes, max_depth=args.max_depth)


def run_options(args: argparse.Namespace) -> RunOptions:
    """The engine options of a parsed command line."""
    return RunOptions(
        limits=limits_from(args),
        cache_dir=None if args.no_cache else args.cache_dir,
        num_proc=args.num_proc,
        engine=getattr(args, "engine", "local"),
        scheduler=getattr(args, "scheduler", None),
        shared_out=getattr(args, "shared_out", False),
    )


def progress(args: argparse.Namespace, total: int, what: str) -> tqdm:
    """A documents-per-second bar on a terminal; silent with --quiet or when stderr is not a TTY (CI logs)."""
    return tqdm(total=total, unit="doc", desc=what, disable=args.quiet or not sys.stderr.isatty(), file=sys.stderr, leave=False)


def require_raw(command: str, raw: Path) -> int | None:
    """EXIT_USAGE, after saying so, when the raw corpus folder does not exist; None when it does."""
    if raw.is_dir():
        return None
    print(f"newsanno {command}: raw corpus folder {raw} does not exist", file=sys.stderr)
    return EXIT_USAGE


def finish(problems: list[Problem], documents: int, fmt: str, max_problems: int = 0) -> int:
    """Print the problems (each once; in text, at most ``max_problems`` per file) and the summary
    line; the exit code they call for."""
    problems = report.dedupe(problems)
    report.emit(problems, fmt, max_problems=max_problems)
    print(report.summary(problems, documents), file=sys.stderr)
    return EXIT_INVALID if has_errors(problems) else EXIT_OK
