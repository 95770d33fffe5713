"""``newsanno render``: write self-contained HTML review pages of documents (and an index)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno import corpus, render, schema
from newsanno.annotators import ADJUDICATION_SCHEMA, read_json
from newsanno.atomic import write_atomic
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.agreement import read_annotations
from newsanno.cli.common import add_corpus_options, limits_from, require_raw
from newsanno.model import Document
from newsanno.problems import Problem, has_errors
from newsanno.validate import load_document


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("render", help=SUBCOMMANDS["render"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="documents to render (default: all)")
    p.add_argument("--out", type=Path, default=Path("docs/review"), help="output folder (default: docs/review/)")
    p.add_argument("--diff", type=Path, metavar="OTHER.json", help="also render the one DOC_ID against this second annotations file")
    p.set_defaults(run=run)


def _write(path: Path, content: str) -> None:
    write_atomic(path, content.encode("utf-8"))


def run(args: argparse.Namespace) -> int:
    if (refused := require_raw("render", args.raw)) is not None:
        return refused
    if args.diff and len(args.doc_ids) != 1:
        print("newsanno render: --diff needs exactly one DOC_ID", file=sys.stderr)
        return EXIT_USAGE
    folders, problems = corpus.discover(args.raw)
    if args.doc_ids:
        by_name = {f.name: f for f in folders}
        problems += [
            Problem(str(args.raw / d), "no such document in the raw corpus", "layout.missing_document")
            for d in args.doc_ids
            if d not in by_name
        ]
        folders = [by_name[d] for d in args.doc_ids if d in by_name]
    limits = limits_from(args)
    docs: list[Document] = []
    records: dict[str, dict | None] = {}  # type: ignore[type-arg]
    for folder in folders:
        doc, found = load_document(folder, limits)
        problems += found
        if doc is not None:
            docs.append(doc)
            records[doc.id], found = (
                read_json(folder / corpus.ADJUDICATION, ADJUDICATION_SCHEMA, limits)
                if (folder / corpus.ADJUDICATION).exists()
                else (None, [])
            )
            problems += found
    other = None
    if args.diff:
        other, found = read_annotations(args.diff, limits)
        problems += found
        if other is not None and docs and other["document_id"] != docs[0].id:
            problems.append(
                Problem(str(args.diff), f"annotates {other['document_id']!r}, not {docs[0].id!r}", "agreement.different_documents")
            )
    report.emit(problems, "text")
    if has_errors(problems):
        print(f"newsanno render: {sum(p.severity == 'error' for p in problems)} errors; nothing written", file=sys.stderr)
        return EXIT_INVALID
    args.out.mkdir(parents=True, exist_ok=True)
    for doc in docs:
        _write(args.out / f"{doc.id}.html", render.render_document(doc, records[doc.id]))
    if other is not None:
        _write(args.out / f"{docs[0].id}.diff.html", render.render_diff(docs[0], other))
    index = [(d.id, d.meta["title"], {k: len(d.annotations[k]) for k in schema.LAYERS}) for d in docs]  # type: ignore[literal-required]
    _write(args.out / "index.html", render.render_index(index))
    print(f"newsanno render: wrote {len(docs)} pages to {args.out}", file=sys.stderr)
    return EXIT_OK
