"""The ``newsanno`` command line: parses arguments and dispatches to one subcommand module.

Each subcommand lives in its own module with a ``register(subparsers)`` function that adds
its parser and sets ``run``; ``run`` calls the library (the build itself is
:mod:`newsanno.builder`), hands the result to :mod:`~newsanno.cli.report` and returns the exit
code.  Exit codes: 0 success, 1 invalid input or failed check, 2 usage error, 3 internal error,
141 (128 + SIGPIPE, as a shell reports it) when the reader of the output went away.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from newsanno.atomic import NotRegular, OutputError
from newsanno.tree import TooDeep

# Each subcommand is the module newsanno.cli.<name>; only the one being run is imported, since
# the stages pull in heavy libraries (spaCy, datasets, matplotlib) that other commands don't need.
SUBCOMMANDS: dict[str, str] = {
    "add": "add a received article as raw/<id>/, ready to annotate",
    "build": "validate raw/ and write dataset/",
    "validate": "validate raw documents",
    "lint": "find likely missing or inconsistent annotations",
    "format": "rewrite document.json/annotations.json canonically",
    "render": "write HTML review pages",
    "agreement": "inter-annotator agreement of two annotations.json files",
    "adjudicate": "record and decide the disagreements of two annotations; merge them",
    "verify": "check a dataset folder against its SHA256SUMS",
    "diff": "semantic diff between two revisions",
    "release": "make a versioned release (commit + tag, optionally push)",
    "import": "convert annotations from brat or Label Studio into annotations.json",
    "export": "convert annotations to brat, Label Studio, spaCy DocBin or CoNLL BIO text",
    "fix-offsets": "rewrite span offsets from span texts where unambiguous",
    "suggest": "propose annotations for a document into its suggestions.json (never gold)",
    "accept": "move reviewed suggestions from suggestions.json into annotations.json",
    "versions": "list every release recorded in CHANGELOG.md and the release commits",
    "checkout": "write a release's dataset/ into a folder, verified against its SHA256SUMS",
}
# Command name -> module under newsanno.cli, where the name is a Python keyword (``import``) or
# otherwise cannot be a module name; every other command's module is named like the command.
MODULES: dict[str, str] = {"import": "importer", "export": "exporter", "fix-offsets": "fix_offsets"}

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
# A closed output pipe: whatever the command found, its report did not reach anyone, so this is
# never success (``newsanno validate | head`` under ``set -o pipefail`` must not pass).
EXIT_BROKEN_PIPE = 128 + 13


def debug_trace(exc: BaseException) -> None:
    """Under NEWSANNO_DEBUG, print the traceback of a refusal (and of what caused it) before its one-line message."""
    if os.environ.get("NEWSANNO_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)


def add_repo_option(p: argparse.ArgumentParser, help: str) -> None:
    """``--repo``: a git checkout that must exist (a usage error naming it otherwise, not a crash)."""
    p.add_argument("--repo", type=_existing_folder, default=Path("."), help=f"{help} (default: .)")


def _existing_folder(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: no such folder")
    return path


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: ``command`` (or, if None, every subcommand) fully registered.

    Other subcommands get a placeholder parser, so ``newsanno --help`` still lists them all.
    """
    top = argparse.ArgumentParser(prog="newsanno", description="Validate and build the newsanno annotated-news dataset.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, summary in SUBCOMMANDS.items():
        if command is None or name == command:
            importlib.import_module(f"newsanno.cli.{MODULES.get(name, name)}").register(sub)
        else:
            sub.add_parser(name, help=summary)
    return top


def _command(argv: Sequence[str]) -> str:
    """The subcommand named on the command line ("" when there is none yet)."""
    return next((a for a in argv if not a.startswith("-")), "")


def _survive_any_encoding() -> None:
    """Let every report reach the user whatever the terminal's encoding (PYTHONIOENCODING=latin-1, a C locale).

    A problem quoting a curly quote (U+2019) or a headline's U+202E must not crash the report: a character the
    stream cannot encode is written as its backslash escape instead.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _survive_any_encoding()
    try:
        # Inside the try: building the parser imports the command's module, and a broken
        # installation (a missing dependency) must give one line, not a traceback.
        args = parser(_command(argv)).parse_args(argv)
        code = int(args.run(args))
        sys.stdout.flush()  # inside the try: a reader gone before the last write is reported here
        return code
    except KeyboardInterrupt:
        print("newsanno: interrupted", file=sys.stderr)
        return 130
    except OutputError as exc:
        # A full or read-only file system under the output: its old content is intact, and the user is told so.
        print(exc.line(), file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        # Point stdout at devnull so the interpreter's final flush does not raise a second time.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # stdout is not a file (captured in-process)
            pass
        return EXIT_BROKEN_PIPE
    except (NotRegular, TooDeep) as exc:
        # A link, a special file or a folder nested past the bound where a command expected its own
        # files: bad input, refused in one line (the command reads nothing more and writes nothing).
        print(f"{exc.filename}: {exc.strerror}; refused", file=sys.stderr)
        return EXIT_INVALID
    except Exception as exc:
        # Bad input is reported as problems long before this point; reaching here is a bug.
        debug_trace(exc)
        print(f"newsanno: internal error: {type(exc).__name__}: {exc} (set NEWSANNO_DEBUG=1 for a traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
