"""``newsanno adjudicate A.json B.json --record adjudication.json [--out merged.json]``.

Creates or updates the record of the disagreements between A and B (new items open, decided
items kept with their decision and reason); a record made for other inputs (A and B swapped,
or the merged gold given as A) is refused and left as it was, prints each open item on one line and exits 1
while any is open; once all are decided, merges A and B by the decisions, checks the result
and writes ``--out`` canonically.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from newsanno import corpus, jsonio, schema
from newsanno.atomic import write_atomic
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.common import limits_from
from newsanno.problems import Problem, has_errors
from newsanno.publish.checksums import file_sha256
from newsanno.review import adjudicate, adjudication_merge
from newsanno.validate import DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILE_BYTES, annotation_problems, decode_text, read_bytes, schema_problems
from newsanno.validate.annotators import ADJUDICATION_SCHEMA, read_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("adjudicate", help=SUBCOMMANDS["adjudicate"], description=__doc__)
    p.add_argument("a", type=Path, metavar="A.json", help="annotation A (e.g. raw/<id>/annotations.a.json)")
    p.add_argument("b", type=Path, metavar="B.json", help="annotation B, made independently of A")
    p.add_argument("--record", type=Path, required=True, help="the adjudication record to create or update")
    p.add_argument("--out", type=Path, help="where to write the merged annotation once every item is decided")
    p.add_argument("--date", help="record this ISO date (YYYY-MM-DD) as the day the adjudication was completed")
    p.add_argument("--text", type=Path, help="text.txt to check the merged spans against (default: text.txt beside A.json)")
    p.add_argument("--max-file-bytes", type=int, default=DEFAULT_MAX_FILE_BYTES, help=argparse.SUPPRESS)
    p.add_argument("--max-depth", type=int, default=DEFAULT_MAX_DEPTH, help=argparse.SUPPRESS)
    p.set_defaults(run=run)


def _valid_date(value: str | None) -> bool:
    try:
        return value is None or datetime.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _check_merged(merged: dict, args: argparse.Namespace, shown: str) -> list[Problem]:  # type: ignore[type-arg]
    """Schema and, where text.txt is at hand, span and reference problems of the merged annotation."""
    problems = schema_problems(merged, schema.ANNOTATIONS, shown)
    text_path = args.text or args.a.parent / corpus.TEXT
    if has_errors(problems) or not text_path.is_file():
        return problems
    data, found = read_bytes(text_path, limits_from(args))
    text, decoded = decode_text(data, str(text_path)) if data is not None else (None, found)
    return problems + (annotation_problems(merged, text, shown) if text is not None else decoded)  # type: ignore[arg-type]


def run(args: argparse.Namespace) -> int:
    if not _valid_date(args.date):
        print(f"newsanno adjudicate: --date {args.date!r} is not an ISO date YYYY-MM-DD", file=sys.stderr)
        return EXIT_USAGE
    limits = limits_from(args)
    a, problems = read_json(args.a, schema.ANNOTATIONS, limits)
    b, found = read_json(args.b, schema.ANNOTATIONS, limits)
    problems += found
    if a is not None and b is not None and a["document_id"] != b["document_id"]:
        problems.append(
            Problem(
                str(args.b), f"annotates {b['document_id']!r} but {args.a} annotates {a['document_id']!r}", "agreement.different_documents"
            )
        )
    record = None
    if args.record.exists():
        record, found = read_json(args.record, ADJUDICATION_SCHEMA, limits)
        problems += found
    if has_errors(problems) or a is None or b is None:
        report.emit(problems, "text")
        return EXIT_INVALID
    given = {"a": (args.a.name, file_sha256(args.a)), "b": (args.b.name, file_sha256(args.b))}
    if record is None:
        record = adjudicate.new_record(a["document_id"], args.a.name, args.b.name)
    refused = adjudicate.input_problems(record, given, str(args.record))
    if refused:
        report.emit(refused, "text")
        return EXIT_INVALID
    record, notes = adjudicate.update_record(adjudicate.stamp(record, given), adjudicate.disagreements(a, b))
    if args.date:
        record["date"] = args.date
    data = jsonio.canonical_dumps(record, ADJUDICATION_SCHEMA).encode("utf-8")
    if not args.record.is_file() or args.record.read_bytes() != data:
        write_atomic(args.record, data)
    for note in notes:
        print(f"{args.record}: {note}", file=sys.stderr)
    still_open = adjudicate.open_items(record)
    for item in still_open:
        print(f"{args.record}: {item['id']} {item['class']} {item['text']!r}")
    if still_open:
        print(f"newsanno adjudicate: {len(still_open)} of {len(record['items'])} items open; decide them in {args.record}", file=sys.stderr)
        return EXIT_INVALID
    merged, lines = adjudication_merge.merge(a, b, record, str(args.record))
    shown = str(args.out or "merged annotation")
    problems = [] if merged is None else _check_merged(merged, args, shown)
    for line in lines:
        print(line)
    report.emit(problems, "text")
    if merged is None or has_errors(problems):
        return EXIT_INVALID
    if args.out:
        write_atomic(args.out, jsonio.canonical_dumps(merged, schema.ANNOTATIONS).encode("utf-8"))
    print(f"newsanno adjudicate: all {len(record['items'])} items decided" + (f"; wrote {args.out}" if args.out else ""), file=sys.stderr)
    return EXIT_OK
