"""``newsanno accept DOC_ID [ID ...|--all|--reject ID ...]``: move reviewed suggestions into annotations.json.

The new annotations.json is validated before it is written (canonically, atomically); then the
accepted items leave suggestions.json.  Gold is written first and a suggestion gold already holds
(same span) is not added again, so a re-run after a crash between the two writes completes it.
``--reject ID ...`` instead drops the named suggestions from suggestions.json and leaves
annotations.json alone.  A document or suggestions file that does not validate, or an unknown id,
gets one located line, exit 1, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno import corpus, jsonio, schema
from newsanno.atomic import write_atomic
from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.cli.suggest import load_valid
from newsanno.contribute import accept
from newsanno.problems import has_errors
from newsanno.validate import load_document


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("accept", help=SUBCOMMANDS["accept"], description=__doc__)
    p.add_argument("doc_id", metavar="DOC_ID", help="the document folder's name under --raw")
    p.add_argument("ids", nargs="*", metavar="ID", help="suggested mention or quote ids (SM.., SQ..) to accept")
    p.add_argument("--all", action="store_true", help="accept every suggestion")
    p.add_argument("--reject", nargs="+", metavar="ID", help="drop these suggestions from suggestions.json instead (gold unchanged)")
    p.add_argument("--raw", type=Path, default=Path("raw"), help="raw corpus folder (default: raw/)")
    p.set_defaults(run=run)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    print("newsanno accept: nothing written", file=sys.stderr)
    return EXIT_INVALID


def run(args: argparse.Namespace) -> int:
    if args.reject and (args.ids or args.all):
        print("newsanno accept: --reject takes the ids to drop; accept them in another run", file=sys.stderr)
        return EXIT_INVALID
    if not args.reject and bool(args.ids) == bool(args.all):
        print("newsanno accept: name suggestion ids or pass --all (not both)", file=sys.stderr)
        return EXIT_INVALID
    document = load_valid(args.raw, args.doc_id, "accept")
    if document is None:
        return EXIT_INVALID
    folder = args.raw / args.doc_id
    path = folder / accept.SUGGESTIONS_FILE
    value, problems = accept.read_suggestions(document, folder)
    if value is None:
        return _fail(
            report.text_line(problems[0]) if problems else f"{corpus.display(path)}: no suggestions; run: newsanno suggest {args.doc_id}"
        )
    if args.reject:
        return _reject(value, args.reject, path)
    try:
        gold, left, taken, already = accept.accept(dict(document.annotations), value, None if args.all else args.ids)
    except KeyError as exc:
        return _fail(f"{corpus.display(path)}: no suggested mention or quote {exc.args[0]!r}")
    data = jsonio.canonical_dumps(gold, schema.ANNOTATIONS).encode("utf-8")
    # Re-validate the document as it would be, before touching it: the validator reads the
    # folder's other named files and takes the new annotations.json from memory.
    _, after = load_document(folder, replacing={corpus.ANNOTATIONS: data})
    if has_errors(after):
        first = next(p for p in after if p.severity == "error")
        return _fail(f"{corpus.display(folder / corpus.ANNOTATIONS)} would not validate: {first.message}")
    write_atomic(folder / corpus.ANNOTATIONS, data)
    write_atomic(path, accept.dumps(left))
    there = f" ({', '.join(already)} already in gold, not added again)" if already else ""
    print(
        f"{corpus.display(folder / corpus.ANNOTATIONS)}: accepted {', '.join(taken)}{there}; "
        f"{len(left['mentions']) + len(left['quotes'])} suggestions left"
    )
    return EXIT_OK


def _reject(value: dict, ids: list[str], path: Path) -> int:  # type: ignore[type-arg]
    """Drop the rejected suggestions from suggestions.json; annotations.json is not touched."""
    try:
        left, dropped = accept.reject(value, ids)
    except KeyError as exc:
        return _fail(f"{corpus.display(path)}: no suggested mention or quote {exc.args[0]!r}")
    write_atomic(path, accept.dumps(left))
    print(f"{corpus.display(path)}: rejected {', '.join(dropped)}; {len(left['mentions']) + len(left['quotes'])} suggestions left")
    return EXIT_OK
