"""``newsanno verify [DIR]``: check a dataset folder against its SHA256SUMS manifest."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno import checksums
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("verify", help=SUBCOMMANDS["verify"], description=__doc__)
    p.add_argument("folder", nargs="?", type=Path, default=Path("dataset"), metavar="DIR", help="dataset folder (default: dataset/)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if not args.folder.is_dir():
        print(f"newsanno verify: {args.folder} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    mismatches = checksums.verify(args.folder)
    for m in mismatches:
        print(f"{args.folder}: {m}", file=sys.stderr)
    if mismatches:
        print(f"newsanno verify: {args.folder} does not match {checksums.MANIFEST} ({len(mismatches)} problems)", file=sys.stderr)
        return EXIT_INVALID
    count = len(checksums.listed_files(args.folder))
    print(f"newsanno verify: {args.folder}: all {count} files match {checksums.MANIFEST}", file=sys.stderr)
    return EXIT_OK
