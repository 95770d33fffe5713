"""``newsanno format``: rewrite JSON files of the corpus in the one canonical form."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno import corpus, jsonio, schema
from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.validate import parse_json

SCHEMA_OF = {corpus.DOCUMENT: schema.DOCUMENT, corpus.ANNOTATIONS: schema.ANNOTATIONS}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("format", help=SUBCOMMANDS["format"], description=__doc__)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="JSON files, or document folders")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    files = [f for p in args.paths for f in ([p / n for n in SCHEMA_OF] if p.is_dir() else [p])]
    status = EXIT_OK
    for path in files:
        name = SCHEMA_OF.get(path.name)
        if name is None:
            print(f"{path}: not a document.json or annotations.json", file=sys.stderr)
            status = EXIT_INVALID
            continue
        data, problems = parse_json(path.read_bytes(), str(path)) if path.is_file() else (None, [])
        if data is None:
            report.emit(problems, "text", sys.stderr)
            print(f"{path}: cannot format a file that does not parse", file=sys.stderr)
            status = EXIT_INVALID
            continue
        text = jsonio.canonical_dumps(data, name)
        if text.encode("utf-8") == path.read_bytes():
            continue
        if args.check:
            print(f"{path}: would reformat", file=sys.stderr)
            status = EXIT_INVALID
        else:
            path.write_bytes(text.encode("utf-8"))
            print(f"{path}: reformatted", file=sys.stderr)
    return status
