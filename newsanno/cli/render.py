"""``newsanno render``: write self-contained HTML review pages of documents (and an index)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno import corpus, render
from newsanno.accept import read_suggestions
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.agreement import read_annotations
from newsanno.cli.options import add_corpus_options, limits_from
from newsanno.model import Document
from newsanno.problems import Problem, has_errors
from newsanno.validate import load_document


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("render", help=SUBCOMMANDS["render"], description=__doc__)
    add_corpus_options(p)
    p.add_argument("doc_ids", nargs="*", metavar="DOC_ID", help="documents to render (default: all)")
    p.add_argument("--out", type=Path, default=Path("docs/review"), help="output folder (default: docs/review/)")
    p.add_argument("--diff", type=Path, metavar="OTHER.json", help="also render the one DOC_ID against this second annotations file")
    p.add_argument(
        "--suggestions", action="store_true", help="also show each document's suggestions.json (newsanno suggest), dashed, apart from gold"
    )
    p.set_defaults(run=run)


def _write(path: Path, content: str) -> None:
    path.write_text(content, encoding="utf-8", newline="\n")


def run(args: argparse.Namespace) -> int:
    if not args.raw.is_dir():
        print(f"newsanno render: raw corpus folder {args.raw} does not exist", file=sys.stderr)
        return EXIT_USAGE
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
    for folder in folders:
        doc, found = load_document(folder, limits)
        problems += found
        if doc is not None:
            docs.append(doc)
    suggestions = {}
    if args.suggestions:
        for doc in docs:
            found_sugg, found = read_suggestions(doc, args.raw / doc.id)
            problems += found
            if found_sugg is not None:
                suggestions[doc.id] = found_sugg
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
        _write(args.out / f"{doc.id}.html", render.render_document(doc, suggestions.get(doc.id)))
    if other is not None:
        _write(args.out / f"{docs[0].id}.diff.html", render.render_diff(docs[0], other))
    index = [(d.id, d.meta["title"], {k: len(d.annotations[k]) for k in ("entities", "mentions", "quotes", "claims")}) for d in docs]  # type: ignore[literal-required]
    _write(args.out / "index.html", render.render_index(index))
    print(f"newsanno render: wrote {len(docs)} pages to {args.out}", file=sys.stderr)
    return EXIT_OK
