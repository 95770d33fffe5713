"""``newsanno verify [DIR | vX.Y.Z]``: check a dataset folder against its SHA256SUMS manifest.

Given a release ``vX.Y.Z`` (and no folder of that name), the release's ``dataset/`` is written
from git's objects into a temporary folder (resolved through its tag or release commit) and
checked there; the working tree is not touched.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, add_repo_option
from newsanno.publish import checksums
from newsanno.releases import history


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("verify", help=SUBCOMMANDS["verify"], description=__doc__)
    p.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("dataset"),
        metavar="DIR",
        help="dataset folder or a release vX.Y.Z (default: dataset/)",
    )
    add_repo_option(p, "the git checkout a release is read from")
    p.set_defaults(run=run)


def _is_release(name: str) -> bool:
    return name.startswith("v") and history.parse_version(name[1:]) is not None


def run(args: argparse.Namespace) -> int:
    if not args.folder.is_dir() and _is_release(str(args.folder)):
        return _verify_release(args.repo, str(args.folder))
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


def _verify_release(repo: Path, version: str) -> int:
    try:
        commit = history.resolve(repo, version)
    except history.HistoryError as exc:
        print(f"newsanno verify: {exc}", file=sys.stderr)
        return EXIT_USAGE
    with tempfile.TemporaryDirectory(prefix="newsanno-verify-") as tmp:
        try:
            count = history.checkout(repo, version, Path(tmp) / "dataset")
        except history.HistoryError as exc:  # the release's files do not match the SHA256SUMS it shipped
            print(f"newsanno verify: {exc}", file=sys.stderr)
            return EXIT_INVALID
    print(f"newsanno verify: {version} (commit {commit[:12]}): all {count} files match {checksums.MANIFEST}", file=sys.stderr)
    return EXIT_OK
