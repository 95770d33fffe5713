"""``newsanno import FORMAT``: convert annotations from brat or Label Studio into annotations.json.

This module parses the command line, calls :func:`newsanno.convert.importing.import_brat` or
:func:`newsanno.convert.importing.import_labelstudio` (which validate, refuse and write), and reports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno.cli import SUBCOMMANDS, report
from newsanno.cli.common import finish, require_raw
from newsanno.convert.importing import Imported, import_brat, import_labelstudio


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help=SUBCOMMANDS["import"], description=__doc__)
    formats = p.add_subparsers(dest="source_format", required=True, metavar="FORMAT")
    b = formats.add_parser("brat", help="a brat .ann file (and its .txt) into one document folder")
    b.add_argument("folder", type=Path, metavar="FOLDER", help="document folder (with text.txt and document.json)")
    b.add_argument("ann", type=Path, metavar="ANN", help="the brat .ann file")
    b.add_argument("--txt", type=Path, help="the brat .txt file (default: ANN with .txt); must equal text.txt")
    b.add_argument("--raw", type=Path, help="raw corpus FOLDER belongs to (default: FOLDER's parent)")
    b.set_defaults(run=run_brat)
    ls = formats.add_parser("labelstudio", help="a Label Studio JSON export; each task into the document with its text")
    ls.add_argument("export", type=Path, metavar="EXPORT", help="Label Studio JSON export (a list of tasks)")
    ls.add_argument(
        "--config",
        type=Path,
        required=True,
        help="label mapping config (labelstudio-config.json of `newsanno export labelstudio`, or docs/labelstudio-config.example.json)",
    )
    ls.add_argument("--raw", type=Path, default=Path("raw"), help="raw corpus whose documents the tasks belong to (default: raw/)")
    ls.set_defaults(run=run_labelstudio)
    for q in (b, ls):
        q.add_argument("--format", choices=report.FORMATS, default="text", help="problem output format (default: text)")


def _report(result: Imported, fmt: str) -> int:
    for path in result.written:
        print(f"{path}: written", file=sys.stderr)
    return finish(result.problems, result.documents, fmt)


def run_brat(args: argparse.Namespace) -> int:
    return _report(import_brat(args.folder, args.ann, args.txt, raw=args.raw), args.format)


def run_labelstudio(args: argparse.Namespace) -> int:
    if (refused := require_raw("import", args.raw)) is not None:
        return refused
    return _report(import_labelstudio(args.export, args.config, args.raw), args.format)
