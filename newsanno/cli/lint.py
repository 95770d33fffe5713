"""``newsanno lint``: what a careful reviewer checks by hand (likely missing or inconsistent annotations).

Findings are warnings; with ``--strict`` they are errors. Documents that do not validate are
reported with their validation errors, since they cannot be linted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno.cli import EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.options import add_corpus_options
from newsanno.cli.validate import check_selected, finish
from newsanno.lint import LINT_PREFIX
from newsanno.problems import promote


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("lint", help=SUBCOMMANDS["lint"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="document folders (or files in them) inside --raw; default: all")
    p.add_argument("--strict", action="store_true", help="treat findings as errors (exit 1 if any)")
    p.add_argument("--format", choices=report.FORMATS, default="text", help="output format (default: text)")
    report.add_max_problems(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.raw.is_dir():
        print(f"newsanno lint: raw corpus folder {args.raw} does not exist", file=sys.stderr)
        return EXIT_USAGE
    # Only lint findings, and the errors that kept a document from being linted.
    documents, problems = check_selected(args, "lint", lambda p: p.code.startswith(LINT_PREFIX) or p.severity == "error")
    if args.strict:
        problems = promote(problems, LINT_PREFIX)
    return finish(problems, documents, args.format, args.max_problems)
