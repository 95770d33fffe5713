"""``newsanno lint``: what a careful reviewer checks by hand (likely missing or inconsistent annotations).

Findings are warnings; with ``--strict`` they are errors. Documents that do not validate are
reported with their validation errors, since they cannot be linted.
"""

from __future__ import annotations

import argparse

from newsanno.cli import SUBCOMMANDS
from newsanno.cli.common import add_check_options, run_check
from newsanno.problems import Problem, promote
from newsanno.validate.lint import LINT_PREFIX


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("lint", help=SUBCOMMANDS["lint"], description=__doc__)
    add_check_options(p, strict=True)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    def select(problems: list[Problem]) -> list[Problem]:
        # Only lint findings, and the errors that kept a document from being linted.
        problems = [p for p in problems if p.code.startswith(LINT_PREFIX) or p.severity == "error"]
        return promote(problems, LINT_PREFIX) if args.strict else problems

    return run_check("lint", args, select)
