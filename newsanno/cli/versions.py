"""``newsanno versions``: every release of the dataset, from CHANGELOG.md and the release commits."""

from __future__ import annotations

import argparse
import json
import sys

from newsanno.cli import EXIT_INVALID, EXIT_OK, SUBCOMMANDS, add_repo_option
from newsanno.releases import history


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("versions", help=SUBCOMMANDS["versions"], description=__doc__)
    add_repo_option(p, "the git checkout")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        found = history.releases(args.repo)
    except history.HistoryError as exc:
        print(f"newsanno versions: {exc}", file=sys.stderr)
        return EXIT_INVALID
    if args.format == "json":
        rows = [
            {
                "version": history.format_version(r.version),
                "date": r.date,
                "commit": r.commit,
                "tagged": r.tagged,
                "tag_commit": r.tag_commit,
                "sha256sums": r.sums_sha256,
            }
            for r in found
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    print("version  date        commit        tag  SHA256SUMS sha256")
    for r in found:
        print(
            f"{history.format_version(r.version):<8} {r.date or '(none)':<11} {(r.commit or '(none)')[:12]:<13} "
            f"{('moved' if r.tag_note else 'yes') if r.tagged else 'no':<4} {r.sums_sha256 or '(none)'}"
        )
    for r in found:
        if r.tag_note:
            print(f"newsanno versions: warning: {r.tag_note}", file=sys.stderr)
    if not found:
        print("(no release recorded)")
    return EXIT_OK
