"""``newsanno add SOURCE``: turn a received article into ``raw/<id>/``, ready to annotate."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from newsanno import corpus, schema
from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.contribute.add import add_document
from newsanno.corpus import profiles
from newsanno.validate import DEFAULT_MAX_FILE_BYTES


def _iso_date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("add", help=SUBCOMMANDS["add"], description=__doc__)
    p.add_argument("source", type=Path, metavar="SOURCE", help="the article as received (UTF-8 text); copied byte for byte")
    p.add_argument("--id", dest="doc_id", help="document id (default: <profile>-<date>-<two title words>)")
    p.add_argument(
        "--split",
        choices=schema.SPLITS,
        help="dataset split, fixed for good (default: from the id, sha256(id)[:8] mod 10: 0 test, 1 validation, else train; docs/splits.md)",
    )
    p.add_argument(
        "--profile",
        default=profiles.DEFAULT_PROFILE,
        help=f"source profile in schema/profiles/ ({', '.join(profiles.names())}; default: %(default)s)",
    )
    p.add_argument(
        "--published", type=_iso_date, help="publication date, only for a source that prints no full date (recorded as an override)"
    )
    p.add_argument("--publisher", help="publisher (required when the profile names none, as plain does)")
    p.add_argument("--raw", type=Path, default=Path("raw"), help="raw corpus folder (default: raw/)")
    p.add_argument("--max-file-bytes", type=int, default=DEFAULT_MAX_FILE_BYTES, help="refuse larger sources (default: %(default)s)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    added = add_document(
        args.source,
        args.raw,
        doc_id=args.doc_id,
        split=args.split,
        profile=args.profile,
        published=args.published,
        publisher=args.publisher,
        max_file_bytes=args.max_file_bytes,
    )
    if added.folder is None:
        report.emit(added.problems, out=sys.stderr)  # one line each, and nothing was written
        return EXIT_INVALID
    shown = corpus.display(added.folder)
    print(shown)
    print(f"newsanno add: wrote {shown}/ (profile {args.profile}); annotate {shown}/{corpus.ANNOTATIONS}", file=sys.stderr)
    return EXIT_OK
