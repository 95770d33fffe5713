"""The ``newsanno`` command line: the one place that wires the stages together.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds
its parser and sets ``run``.  Exit codes: 0 success, 1 invalid input or failed check,
2 usage error, 3 internal error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

SUBCOMMANDS: tuple[str, ...] = ("build", "validate", "lint", "format", "render", "agreement", "verify", "diff", "release")

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def parser() -> argparse.ArgumentParser:
    """The full argument parser with every subcommand registered."""
    top = argparse.ArgumentParser(prog="newsanno", description="Validate and build the newsanno annotated-news dataset.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"newsanno.cli.{name}").register(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("newsanno: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        # Bad input is reported as problems long before this point; reaching here is a bug.
        if os.environ.get("NEWSANNO_DEBUG"):
            traceback.print_exc()
        print(f"newsanno: internal error: {type(exc).__name__}: {exc} (set NEWSANNO_DEBUG=1 for a traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
