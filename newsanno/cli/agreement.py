"""``newsanno agreement A.json B.json``: inter-annotator agreement of two annotation files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsanno import agreement, corpus, schema
from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.cli.common import add_limit_options, limits_from
from newsanno.problems import Problem, has_errors
from newsanno.validate import Limits, decode_text, parse_json, read_bytes, schema_problems


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("agreement", help=SUBCOMMANDS["agreement"], description=__doc__)
    p.add_argument("a", type=Path, metavar="A.json", help="reference annotations (e.g. gold)")
    p.add_argument("b", type=Path, metavar="B.json", help="annotations compared against A")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--text", type=Path, help="the document's text.txt, for token alpha (default: raw/<document_id>/text.txt if present)")
    add_limit_options(p, hidden=True)
    p.set_defaults(run=run)


def read_annotations(path: Path, limits: Limits) -> tuple[Any, list[Problem]]:
    """Strictly parse and schema-check one annotations.json (no text needed for agreement)."""
    data, problems = read_bytes(path, limits)
    if data is None:
        return None, problems
    value, problems = parse_json(data, str(path), limits)
    if value is None:
        return None, problems
    problems = schema_problems(value, schema.ANNOTATIONS, str(path))
    return (None if has_errors(problems) else value), problems


def _text(args: argparse.Namespace, document_id: str, limits: Limits) -> tuple[str | None, list[Problem]]:
    """text.txt of the document, for the token-level figure: --text, else raw/<id>/text.txt if it exists."""
    path = args.text or Path("raw") / document_id / corpus.TEXT
    if args.text is None and not path.is_file():
        return None, []
    data, problems = read_bytes(path, limits)
    return decode_text(data, str(path)) if data is not None else (None, problems)


def run(args: argparse.Namespace) -> int:
    limits = limits_from(args)
    a, pa = read_annotations(args.a, limits)
    b, pb = read_annotations(args.b, limits)
    problems = pa + pb
    if a is not None and b is not None and a["document_id"] != b["document_id"]:
        problems.append(
            Problem(
                str(args.b),
                f"annotates document {b['document_id']!r} but {args.a} annotates {a['document_id']!r}",
                "agreement.different_documents",
                pointer="/document_id",
            )
        )
    if has_errors(problems) or a is None or b is None:
        report.emit(problems, "text")
        return EXIT_INVALID
    text, problems = _text(args, a["document_id"], limits)
    if has_errors(problems):
        report.emit(problems, "text")
        return EXIT_INVALID
    result = agreement.agreement(a, b, text)
    if args.format == "json":
        sys.stdout.write(json.dumps({"document_id": a["document_id"], "a": str(args.a), "b": str(args.b), **result}, indent=2) + "\n")
    else:
        sys.stdout.write(f"agreement on {a['document_id']}: A={args.a} B={args.b} (n/a = not applicable)\n")
        sys.stdout.write(agreement.format_table(result))
    return EXIT_OK
