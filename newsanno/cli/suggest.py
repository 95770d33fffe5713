"""``newsanno suggest DOC_ID``: write raw/<id>/suggestions.json, proposals for a person to review.

Names already annotated elsewhere in the corpus, quotation marks with a cue, and number and
date patterns (see :mod:`newsanno.contribute.suggest`).  Nothing goes into annotations.json: ``newsanno
render`` shows the suggestions in their own style and ``newsanno accept`` takes the reviewed ones.
A document that does not validate gets one located line, exit 1, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno import corpus
from newsanno.atomic import write_atomic
from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.contribute import suggest
from newsanno.contribute.accept import SUGGESTIONS_FILE, dumps
from newsanno.model import Annotations, Document
from newsanno.problems import has_errors
from newsanno.validate import load_document


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("suggest", help=SUBCOMMANDS["suggest"], description=__doc__)
    p.add_argument("doc_id", metavar="DOC_ID", help="the document folder's name under --raw")
    p.add_argument("--raw", type=Path, default=Path("raw"), help="raw corpus folder (default: raw/)")
    p.set_defaults(run=run)


def load_valid(raw: Path, doc_id: str, command: str) -> Document | None:
    """The validated document ``raw/doc_id``, or None after printing one located line saying why not."""
    folder = raw / doc_id
    bad = corpus.check_folder(raw, folder) if folder.is_dir() else []
    if not folder.is_dir():
        print(f"{corpus.display(folder)}: no such document folder", file=sys.stderr)
        return None
    if bad:
        print(report.text_line(bad[0]), file=sys.stderr)
        return None
    document, problems = load_document(folder)
    errors = [p for p in report.dedupe(problems) if p.severity == "error"]
    if document is None or has_errors(problems):
        more = f" (and {len(errors) - 1} more; run: newsanno validate {folder})" if len(errors) > 1 else ""
        print(f"{report.text_line(errors[0])}{more}", file=sys.stderr)
        print(f"newsanno {command}: {corpus.display(folder)} does not validate; nothing written", file=sys.stderr)
        return None
    return document


def corpus_knowledge(raw: Path, leave_out: str) -> list[Annotations]:
    """The annotations of every other valid document of the corpus (an invalid one is skipped, with a line)."""
    folders, _ = corpus.discover(raw)
    found = []
    for folder in folders:
        if folder.name == leave_out:
            continue
        document, problems = load_document(folder)
        if document is None or has_errors(problems):
            print(f"{corpus.display(folder)}: does not validate; its names are not used", file=sys.stderr)
            continue
        found.append(document.annotations)
    return found


def run(args: argparse.Namespace) -> int:
    document = load_valid(args.raw, args.doc_id, "suggest")
    if document is None:
        return EXIT_INVALID
    names = suggest.knowledge(corpus_knowledge(args.raw, args.doc_id))
    result = suggest.suggest(document.id, document.text, names, gold=document.annotations)
    path = args.raw / args.doc_id / SUGGESTIONS_FILE
    write_atomic(path, dumps(result))
    sources = sorted({r["source"] for r in result["reasons"].values()})
    by_source = ", ".join(f"{sum(r['source'] == s for r in result['reasons'].values())} {s}" for s in sources)
    print(
        f"{corpus.display(path)}: {len(result['mentions'])} mentions and {len(result['quotes'])} quotes suggested"
        f"{f' ({by_source})' if by_source else ''}; review them (newsanno render), then: newsanno accept {document.id} ID ... | --all"
    )
    return EXIT_OK
