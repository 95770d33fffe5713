"""``newsanno format``: rewrite JSON files of the corpus in the one canonical form."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.contribute import formatting

# What is printed for each outcome (a canonical file is passed over in silence).
MESSAGES = {
    formatting.REFORMATTED: "reformatted",
    formatting.WOULD_REFORMAT: "would reformat",
    formatting.NOT_A_DOCUMENT_FILE: "not a document.json or annotations.json",
    formatting.UNPARSABLE: "cannot format a file that does not parse",
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("format", help=SUBCOMMANDS["format"], description=__doc__)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="JSON files, or document folders")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    outcomes = formatting.format_paths(args.paths, check=args.check)
    for outcome in outcomes:
        report.emit(outcome.problems, "text", sys.stderr)
        if outcome.status in MESSAGES:
            print(f"{outcome.path}: {MESSAGES[outcome.status]}", file=sys.stderr)
    return EXIT_INVALID if any(o.failed for o in outcomes) else EXIT_OK
