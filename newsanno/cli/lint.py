"""``newsanno lint``: what a careful reviewer checks by hand (likely missing or inconsistent annotations).

Findings are warnings; with ``--strict`` they are errors. Documents that do not validate are
reported with their validation errors, since they cannot be linted.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsanno.build.engines import check_corpus
from newsanno.cli import SUBCOMMANDS, report
from newsanno.cli.common import add_corpus_options, finish, progress, require_raw, run_options
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
    if (refused := require_raw("lint", args.raw)) is not None:
        return refused
    with progress(args, 0, "lint") as bar:
        documents, problems = check_corpus(args.raw, args.paths, run_options(args), bar)
    # Only lint findings, and the errors that kept a document from being linted.
    problems = [p for p in problems if p.code.startswith(LINT_PREFIX) or p.severity == "error"]
    if args.strict:
        problems = promote(problems, LINT_PREFIX)
    return finish(problems, documents, args.format, args.max_problems)
