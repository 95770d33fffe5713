"""``newsanno export FORMAT``: write validated documents as brat, a Label Studio project, spaCy DocBin or CoNLL BIO text.

Only valid documents are exported: any problem is reported and nothing is written.  The
work is :func:`newsanno.convert.export.export_documents`; this module parses and reports.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.cli.common import require_raw
from newsanno.schema import SPLITS

HELPS = {
    "brat": "OUT is a folder: <id>.txt, <id>.ann per document and annotation.conf",
    "labelstudio": "OUT is a folder: tasks.json (annotations, and suggestions as predictions), labeling-config.xml, labelstudio-config.json",
    "spacy": "OUT is a .spacy DocBin file of the ner view (for spacy train)",
    "conll": "OUT is a CoNLL-2003-style BIO text file of the ner view",
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help=SUBCOMMANDS["export"], description=__doc__)
    formats = p.add_subparsers(dest="target_format", required=True, metavar="FORMAT")
    for name, help_text in HELPS.items():
        q = formats.add_parser(name, help=help_text)
        q.add_argument("--raw", type=Path, default=Path("raw"), help="raw corpus folder (default: raw/)")
        q.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="document folders inside --raw; default: all")
        q.add_argument("--split", choices=SPLITS, help="only documents of this split")
        q.add_argument("--out", type=Path, required=True, help=help_text)
        q.add_argument("--force", action="store_true", help="replace an existing OUT that this command did not write")
        q.add_argument("--format", choices=report.FORMATS, default="text", help="problem output format (default: text)")
        q.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from newsanno.convert.export import export_documents

    if (refused := require_raw("export", args.raw)) is not None:
        return refused
    result = export_documents(args.raw, args.target_format, args.out, paths=args.paths, split=args.split, force=args.force)
    report.emit(result.problems, args.format)
    print(report.summary(result.problems, result.checked), file=sys.stderr)
    if not result.ok:
        print("newsanno export: nothing written", file=sys.stderr)
        return EXIT_INVALID
    print(f"newsanno export: {result.documents} documents -> {args.out}", file=sys.stderr)
    return EXIT_OK
