"""``newsanno validate``: check documents against schema/ and the semantic rules; write nothing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from newsanno import corpus
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.engines import checked
from newsanno.cli.options import add_corpus_options, progress, run_options
from newsanno.problems import Problem, has_errors


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("validate", help=SUBCOMMANDS["validate"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="document folders (or files in them) inside --raw; default: all")
    p.add_argument("--format", choices=report.FORMATS, default="text", help="output format (default: text)")
    report.add_max_problems(p)
    p.set_defaults(run=run)


def select(raw: Path, paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Document folders to check: all of --raw, or those named (a file names its folder)."""
    if not paths:
        return corpus.discover(raw)
    folders: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        folder = path if path.is_dir() or not path.suffix else path.parent
        try:
            folder.absolute().relative_to(raw.absolute())
        except ValueError:
            problems.append(
                Problem(str(path), f"not inside the raw corpus {raw}", "layout.outside_root", hint="pass --raw DIR for a corpus elsewhere")
            )
            continue
        if not folder.exists() and not folder.is_symlink():
            problems.append(Problem(str(path), "no such document folder", "layout.missing_folder"))
            continue
        bad = corpus.check_folder(raw, folder)
        problems.extend(bad)
        if not bad and folder not in folders:
            folders.append(folder)
    return sorted(folders), problems


def check_selected(args: argparse.Namespace, what: str, keep: Callable[[Problem], bool] | None = None) -> tuple[int, list[Problem]]:
    """Check the documents the command line selects, with a progress bar: (documents, problems kept)."""
    folders, problems = select(args.raw, args.paths)
    with progress(args, len(folders), what) as bar:
        for doc_problems in checked(folders, run_options(args)):
            problems.extend(doc_problems if keep is None else filter(keep, doc_problems))
            bar.update()
    return len(folders), problems


def finish(problems: list[Problem], documents: int, fmt: str, max_problems: int = 0) -> int:
    """Print the problems (each once; in text, at most ``max_problems`` per file) and the summary line; the exit code they call for."""
    problems = report.dedupe(problems)
    report.emit(problems, fmt, max_problems=max_problems)
    print(report.summary(problems, documents), file=sys.stderr)
    return EXIT_INVALID if has_errors(problems) else EXIT_OK


def run(args: argparse.Namespace) -> int:
    if not args.raw.is_dir():
        print(f"newsanno validate: raw corpus folder {args.raw} does not exist", file=sys.stderr)
        return EXIT_USAGE
    documents, problems = check_selected(args, "validate")
    return finish(problems, documents, args.format, args.max_problems)
