"""``newsanno checkout VERSION DIR``: write a release's dataset/ folder into DIR, verified against its SHA256SUMS."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, add_repo_option
from newsanno.releases import history


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("checkout", help=SUBCOMMANDS["checkout"], description=__doc__)
    p.add_argument("version", metavar="VERSION", help="a release, X.Y.Z or vX.Y.Z (see: newsanno versions)")
    p.add_argument("dest", type=Path, metavar="DIR", help="a new (or empty) folder to write the dataset into")
    add_repo_option(p, "the git checkout")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        count = history.checkout(args.repo, args.version, args.dest)
        release = history.release_of(args.repo, args.version if args.version.startswith("v") else f"v{args.version}")
    except history.HistoryError as exc:
        print(f"newsanno checkout: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if release is not None and release.tag_note:
        print(f"newsanno checkout: warning: {release.tag_note}", file=sys.stderr)
    print(f"newsanno checkout: wrote {count} files of {args.version} to {args.dest}; all match its SHA256SUMS", file=sys.stderr)
    print(f'load it with: datasets.load_dataset("{args.dest}", CONFIG)', file=sys.stderr)
    return EXIT_OK
