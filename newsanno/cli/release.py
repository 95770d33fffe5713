"""``newsanno release VERSION``: check, version, changelog, rebuild, commit, tag, and optionally push to the Hub."""

from __future__ import annotations

import argparse
import datetime
import sys

from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, add_repo_option, debug_trace, report
from newsanno.releases import release, release_args


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("release", help=SUBCOMMANDS["release"], description=__doc__)
    p.add_argument("version", metavar="VERSION", help="the new version, X.Y.Z (SemVer 2.0, greater than every version recorded)")
    add_repo_option(p, "the git checkout to release")
    p.add_argument("--date", help="release date YYYY-MM-DD for the CHANGELOG (default: today)")
    p.add_argument("--push", metavar="REPO_ID", help="then upload dataset/ to this Hub dataset repo and tag it")
    p.add_argument("--dry-run", action="store_true", help="check everything, print every operation, change nothing")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    date = args.date or datetime.date.today().isoformat()  # the release writes the changelog: the one place a date is chosen
    try:
        release_args.check_arguments(args.version, date, args.push)
    except release_args.ReleaseArgumentError as exc:  # checked here too, to exit as a usage error before any work
        debug_trace(exc)
        print(f"newsanno release: refused: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = release.make_release(args.repo.resolve(), args.version, date=date, dry_run=args.dry_run, push_to=args.push)
    except release.Refused as exc:
        debug_trace(exc)
        report.emit(exc.problems, "text")
        print(f"newsanno release: refused: {exc}", file=sys.stderr)
        return EXIT_INVALID
    for line in [*result.steps, *result.hub]:
        print(line)
    return EXIT_OK
