"""``newsanno validate``: check documents against schema/ and the semantic rules; write nothing."""

from __future__ import annotations

import argparse
from pathlib import Path

from newsanno.build.engines import check_corpus
from newsanno.cli import SUBCOMMANDS, report
from newsanno.cli.common import add_corpus_options, finish, progress, require_raw, run_options


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("validate", help=SUBCOMMANDS["validate"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="document folders (or files in them) inside --raw; default: all")
    p.add_argument("--format", choices=report.FORMATS, default="text", help="output format (default: text)")
    report.add_max_problems(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if (refused := require_raw("validate", args.raw)) is not None:
        return refused
    with progress(args, 0, "validate") as bar:
        documents, problems = check_corpus(args.raw, args.paths, run_options(args), bar)
    return finish(problems, documents, args.format, args.max_problems)
