"""``newsanno fix-offsets``: rewrite span offsets from span texts where the intended occurrence is unambiguous.

A span moves when its text occurs exactly once in text.txt, or exactly once within --window
code points of its old start; any other broken span is left alone and listed with its
candidates.  Files are written canonically and atomically, only when something changed, so a
second run changes nothing.  Exit 0 when every span is (now) right, 1 when some remain broken.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsanno import corpus
from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.cli.common import add_limit_options, limits_from, non_negative
from newsanno.contribute import fixoffsets


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("fix-offsets", help=SUBCOMMANDS["fix-offsets"], description=__doc__)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="document folders, or annotations.json files in them")
    p.add_argument(
        "--window",
        type=non_negative,
        default=fixoffsets.WINDOW,
        help="a text occurring more than once is placed only if exactly one occurrence starts within this many "
        "code points of the old start (default: %(default)s)",
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    add_limit_options(p)
    p.set_defaults(run=run)


def _offsets(pair: tuple[Any, Any]) -> str:
    start, end = pair
    return f"{start}..{end}" if isinstance(start, int) and isinstance(end, int) else f"start={start!r} end={end!r}"


def _label(pointer: str, annotation_id: str | None) -> str:
    return f"{pointer} ({annotation_id})" if annotation_id else pointer


def fix_folder(folder: Path, args: argparse.Namespace) -> int:
    """Fix one document folder; prints its changes and leftovers; returns its exit status."""
    result = fixoffsets.fix_folder(folder, args.window, limits_from(args), write=not args.dry_run)
    shown, outcome = result.annotations_file, result.outcome
    if outcome is None:
        report.emit(result.problems, "text", sys.stderr)
        print(f"{shown}: cannot fix offsets until these are fixed", file=sys.stderr)
        return EXIT_INVALID
    verb = "would fix" if args.dry_run else "fixed"
    for fix in outcome.fixes:
        what = f" {fix.text!r}" if fix.text is not None else " (exception on a moved span)"
        print(f"{shown}: {verb} {_label(fix.pointer, fix.annotation_id)}: {_offsets(fix.old)} -> {_offsets(fix.new)}{what}")
    for bad in outcome.unfixable:
        if bad.reason == "malformed":
            detail = "its `text` is not a non-empty string; run newsanno validate"
        elif bad.reason == "absent":
            detail = f"{bad.text!r} does not occur in text.txt (on grapheme boundaries)"
        else:
            places = ", ".join(f"{c}..{c + len(bad.text)}" for c in bad.candidates)
            if bad.more:
                places += f" ... and {bad.more} more"
            if bad.inside is not None:
                a, b = bad.inside
                detail = f"{bad.text!r} occurs at {places}; the one chosen falls inside the longer mention at {a}..{b}"
            else:
                detail = f"{bad.text!r} occurs at {places}; none or several within {args.window} of the old start"
        print(f"{shown}: cannot fix {_label(bad.pointer, bad.annotation_id)} at {_offsets(bad.old)}: {detail}")
    return EXIT_INVALID if outcome.unfixable else EXIT_OK


def run(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.paths:
        folder = path.parent if path.name == corpus.ANNOTATIONS else path
        if path.is_symlink() or folder.is_symlink():
            print(f"{path}: symbolic links are refused", file=sys.stderr)
            status = EXIT_INVALID
        elif not folder.is_dir():
            print(f"{path}: not a document folder or its annotations.json", file=sys.stderr)
            status = EXIT_INVALID
        else:
            status = max(status, fix_folder(folder, args))
    return status
