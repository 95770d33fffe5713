"""``newsanno export FORMAT``: write validated documents as brat, spaCy DocBin or CoNLL BIO text.

Only valid documents are exported: any problem is reported and nothing is written.  Files are
written whole (temporary file + rename).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsanno import corpus
from newsanno.atomic import write_atomic
from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.cli.common import require_raw
from newsanno.model import Document
from newsanno.problems import Problem, has_errors
from newsanno.schema import SPLITS
from newsanno.validate import load_document


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help=SUBCOMMANDS["export"], description=__doc__)
    formats = p.add_subparsers(dest="target_format", required=True, metavar="FORMAT")
    helps = {
        "brat": "OUT is a folder: <id>.txt, <id>.ann per document and annotation.conf",
        "spacy": "OUT is a .spacy DocBin file of the ner view (for spacy train)",
        "conll": "OUT is a CoNLL-2003-style BIO text file of the ner view",
    }
    for name, help_text in helps.items():
        q = formats.add_parser(name, help=help_text)
        q.add_argument("--raw", type=Path, default=Path("raw"), help="raw corpus folder (default: raw/)")
        q.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="document folders inside --raw; default: all")
        q.add_argument("--split", choices=SPLITS, help="only documents of this split")
        q.add_argument("--out", type=Path, required=True, help=help_text)
        q.add_argument("--format", choices=report.FORMATS, default="text", help="problem output format (default: text)")
        q.set_defaults(run=run)


def _ner_rows(documents: list[Document], problems: list[Problem]) -> list[list[dict[str, Any]]]:
    from newsanno.rows import ner_rows
    from newsanno.tokens import tokenize

    out = []
    for doc in documents:
        rows, found = ner_rows(doc, tokenize(doc.text))
        problems.extend(found)
        out.append(rows)
    return out


def run(args: argparse.Namespace) -> int:
    if (refused := require_raw("export", args.raw)) is not None:
        return refused
    folders, problems = corpus.select(args.raw, args.paths)
    documents: list[Document] = []
    for folder in folders:
        doc, found = load_document(folder)
        problems.extend(found)
        if doc is not None and not has_errors(found) and (args.split is None or doc.split == args.split):
            documents.append(doc)
    outputs: dict[Path, bytes] = {}
    if not has_errors(problems):
        if args.target_format == "brat":
            from newsanno.convert import brat

            for doc in documents:
                ann, lost = brat.export_ann(doc.annotations)  # type: ignore[arg-type]
                problems.extend(Problem(f"{doc.origin}/{corpus.ANNOTATIONS}", p.message, p.code, severity="warning") for p in lost)
                outputs[args.out / f"{doc.id}.txt"] = doc.text.encode("utf-8")
                outputs[args.out / f"{doc.id}.ann"] = ann.encode("utf-8")
            outputs[args.out / "annotation.conf"] = brat.annotation_conf().encode("utf-8")
        elif args.target_format == "spacy":
            from newsanno.convert import spacy_docbin

            rows = _ner_rows(documents, problems)
            outputs[args.out] = spacy_docbin.docbin_bytes(rows)
        else:
            from newsanno.convert import conll

            rows = _ner_rows(documents, problems)
            outputs[args.out] = conll.conll_text(rows).encode("utf-8")
    report.emit(problems, args.format)
    print(report.summary(problems, len(folders)), file=sys.stderr)
    if has_errors(problems):
        print("newsanno export: nothing written", file=sys.stderr)
        return EXIT_INVALID
    for path, data in outputs.items():
        write_atomic(path, data)
    print(f"newsanno export: {len(documents)} documents -> {args.out}", file=sys.stderr)
    return EXIT_OK
