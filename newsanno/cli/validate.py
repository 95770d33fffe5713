"""``newsanno validate``: check documents against schema/ and the semantic rules; write nothing."""

from __future__ import annotations

import argparse

from newsanno.cli import SUBCOMMANDS
from newsanno.cli.common import add_check_options, run_check


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("validate", help=SUBCOMMANDS["validate"], description=__doc__)
    add_check_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return run_check("validate", args)
