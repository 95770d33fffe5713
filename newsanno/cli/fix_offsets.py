"""``newsanno fix-offsets``: rewrite span offsets from span texts where the intended occurrence is unambiguous.

A span moves when its text occurs exactly once in text.txt, or exactly once within --window
code points of its old start; any other broken span is left alone and listed with its
candidates.  Files are written canonically and atomically, only when something changed, so a
second run changes nothing.  Exit 0 when every span is (now) right, 1 when some remain broken.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from newsanno import corpus, fixoffsets, jsonio, schema
from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, report
from newsanno.jsonio import DEFAULT_MAX_DEPTH, DEFAULT_MAX_FILE_BYTES, Limits
from newsanno.validate import read_bytes


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("fix-offsets", help=SUBCOMMANDS["fix-offsets"], description=__doc__)
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="document folders, or annotations.json files in them")
    p.add_argument(
        "--window",
        type=_window,
        default=fixoffsets.WINDOW,
        help="a text occurring more than once is placed only if exactly one occurrence starts within this many "
        "code points of the old start (default: %(default)s)",
    )
    p.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    p.add_argument("--max-file-bytes", type=int, default=DEFAULT_MAX_FILE_BYTES, help="refuse files larger than this")
    p.add_argument("--max-depth", type=int, default=DEFAULT_MAX_DEPTH, help="refuse JSON nested deeper than this")
    p.set_defaults(run=run)


# Not cli.options.positive: importing cli.options loads the whole spaCy pipeline, which this command never needs.
def _window(value: str) -> int:
    """argparse type of --window: a non-negative number of code points."""
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {number}")
    return number


def _offsets(pair: tuple[Any, Any]) -> str:
    start, end = pair
    return f"{start}..{end}" if isinstance(start, int) and isinstance(end, int) else f"start={start!r} end={end!r}"


def _label(pointer: str, annotation_id: str | None) -> str:
    return f"{pointer} ({annotation_id})" if annotation_id else pointer


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename, so a crash leaves the old file or the new one, never half."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # A new file (suggestions.json) gets the usual mode; mkstemp's 0600 would hide it from others.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fix_folder(folder: Path, args: argparse.Namespace) -> int:
    """Fix one document folder; prints its changes and leftovers; returns its exit status."""
    limits = Limits(max_file_bytes=args.max_file_bytes, max_depth=args.max_depth)
    ann_path, text_path = folder / corpus.ANNOTATIONS, folder / corpus.TEXT
    shown = corpus.display(ann_path)
    raw_ann, problems = read_bytes(ann_path, limits)
    raw_text, text_problems = read_bytes(text_path, limits)
    problems += text_problems
    data = text = None
    if raw_ann is not None:
        data, parse_problems = jsonio.parse_json(raw_ann, shown, limits)
        problems += parse_problems
    if raw_text is not None:
        text, decode_problems = jsonio.decode_text(raw_text, corpus.display(text_path))
        problems += decode_problems
    if data is None or text is None or problems:
        report.emit(problems, "text", sys.stderr)
        print(f"{shown}: cannot fix offsets until these are fixed", file=sys.stderr)
        return EXIT_INVALID
    outcome = fixoffsets.fix_offsets(data, text, args.window)
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
    if outcome.fixes and not args.dry_run:
        write_atomic(ann_path, jsonio.canonical_dumps(outcome.annotations, schema.ANNOTATIONS).encode("utf-8"))
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
