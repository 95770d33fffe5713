"""``newsanno lint``: what a careful reviewer checks by hand (likely missing or inconsistent annotations).

Findings are warnings; with ``--strict`` they are errors. Documents that do not validate are
reported with their validation errors, since they cannot be linted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.engines import checked
from newsanno.cli.options import add_corpus_options, progress, run_options
from newsanno.cli.validate import select
from newsanno.lint import LINT_PREFIX
from newsanno.problems import has_errors, promote


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("lint", help=SUBCOMMANDS["lint"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="document folders (or files in them) inside --raw; default: all")
    p.add_argument("--strict", action="store_true", help="treat findings as errors (exit 1 if any)")
    p.add_argument("--format", choices=report.FORMATS, default="text", help="output format (default: text)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.raw.is_dir():
        print(f"newsanno lint: raw corpus folder {args.raw} does not exist", file=sys.stderr)
        return EXIT_USAGE
    folders, problems = select(args.raw, args.paths)
    with progress(args, len(folders), "lint") as bar:
        for doc_problems in checked(folders, run_options(args)):
            # Only lint findings, and the errors that kept a document from being linted.
            problems.extend(p for p in doc_problems if p.code.startswith(LINT_PREFIX) or p.severity == "error")
            bar.update()
    if args.strict:
        problems = promote(problems, LINT_PREFIX)
    report.emit(problems, args.format)
    print(report.summary(problems, len(folders)), file=sys.stderr)
    return EXIT_INVALID if has_errors(problems) else EXIT_OK
