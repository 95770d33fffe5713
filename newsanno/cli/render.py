"""``newsanno render``: write self-contained HTML review pages of documents (and an index).

The work is :func:`newsanno.review.pages.render_pages`; this module parses and reports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.common import add_corpus_options, limits_from, require_raw


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("render", help=SUBCOMMANDS["render"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="documents to render (default: all)")
    p.add_argument("--out", type=Path, default=Path("docs/review"), help="output folder (default: docs/review/)")
    p.add_argument("--diff", type=Path, metavar="OTHER.json", help="also render the one DOC_ID against this second annotations file")
    p.add_argument(
        "--suggestions", action="store_true", help="also show each document's suggestions.json (newsanno suggest), dashed, apart from gold"
    )
    p.add_argument("--force", action="store_true", help="replace an existing --out that render did not write")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from newsanno.review.pages import render_pages

    if (refused := require_raw("render", args.raw)) is not None:
        return refused
    if args.diff and len(args.doc_ids) != 1:
        print("newsanno render: --diff needs exactly one DOC_ID", file=sys.stderr)
        return EXIT_USAGE
    result = render_pages(
        args.raw, args.out, doc_ids=args.doc_ids, diff=args.diff, suggestions=args.suggestions, limits=limits_from(args), force=args.force
    )
    report.emit(result.problems, "text")
    if not result.ok:
        print(f"newsanno render: {sum(p.severity == 'error' for p in result.problems)} errors; nothing written", file=sys.stderr)
        return EXIT_INVALID
    print(f"newsanno render: wrote {len(result.written) - 1} pages to {args.out}", file=sys.stderr)
    return EXIT_OK
