"""``newsanno agreement A.json B.json``: inter-annotator agreement of two annotation files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.cli.common import add_limit_options, limits_from
from newsanno.review import agreement
from newsanno.review.agreement_files import read_pair


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("agreement", help=SUBCOMMANDS["agreement"], description=__doc__)
    p.add_argument("a", type=Path, metavar="A.json", help="reference annotations (e.g. gold)")
    p.add_argument("b", type=Path, metavar="B.json", help="annotations compared against A")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--text", type=Path, help="the document's text.txt (default: the one beside A.json, else raw/<document_id>/text.txt)")
    add_limit_options(p, hidden=True)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    pair = read_pair(args.a, args.b, text=args.text, limits=limits_from(args))
    if not pair.ok:
        report.emit(pair.problems, "text")
        return EXIT_INVALID
    result = agreement.agreement(pair.a, pair.b, pair.text)
    document_id = pair.a["document_id"]
    if args.format == "json":
        sys.stdout.write(json.dumps({"document_id": document_id, "a": str(args.a), "b": str(args.b), **result}, indent=2) + "\n")
    else:
        sys.stdout.write(f"agreement on {document_id}: A={args.a} B={args.b} (n/a = not applicable)\n")
        sys.stdout.write(agreement.format_table(result))
    return EXIT_OK
