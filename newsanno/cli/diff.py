"""``newsanno diff REV_A REV_B``: what changed in the dataset between two git revisions (or WORKTREE).

A release ``vX.Y.Z`` resolves through its tag or, on a copy without tags, its release commit;
each revision's documents go through the validator first, and an invalid one is refused.
"""

from __future__ import annotations

import argparse
import json
import sys

from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, add_repo_option, report
from newsanno.releases import diff as semantic
from newsanno.releases import history, revisions


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("diff", help=SUBCOMMANDS["diff"], description=__doc__)
    p.add_argument("old", metavar="REV_A", help="a release vX.Y.Z, a git revision (tag, commit) or WORKTREE")
    p.add_argument("new", metavar="REV_B", help="a release vX.Y.Z, a git revision (tag, commit) or WORKTREE")
    add_repo_option(p, "git checkout")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        old = revisions.snapshot(args.repo, history.resolve(args.repo, args.old))
        new = revisions.snapshot(args.repo, history.resolve(args.repo, args.new))
    except revisions.InvalidRevision as exc:
        report.emit(exc.problems, "text", sys.stderr)
        print(f"newsanno diff: refused: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except (revisions.RevisionError, history.HistoryError, ValueError) as exc:
        print(f"newsanno diff: {exc}", file=sys.stderr)
        return EXIT_USAGE
    result = semantic.diff(old, new)
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, ensure_ascii=False, default=list))
    else:
        sys.stdout.write(semantic.render_text(result))
    return EXIT_OK
