"""The command reference (``docs/commands.md``), generated from the argparse definitions.

``python -m newsanno.cli.reference docs/commands.md`` writes it; ``--check`` exits 1 when the file
differs from what the parsers say (a test runs the same comparison), so the reference cannot
drift from the commands.  The text is fixed-width (100 columns) whatever the terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from newsanno.cli import MODULES, SUBCOMMANDS, parser

WIDTH = 100
HEADER = """# Command reference

Generated from the argparse definitions by `python -m newsanno.cli.reference docs/commands.md`;
`tests/test_docs.py` checks that it is current. Every command also prints this with `--help`.
Exit codes: 0 success, 1 invalid input or failed check, 2 usage error, 3 internal error (a bug).
"""


def _fixed_width(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """``p`` formatting its help at :data:`WIDTH` columns, keeping its formatter class."""
    cls = p.formatter_class
    p.formatter_class = lambda prog: cls(prog, width=WIDTH)  # type: ignore[misc,assignment]
    return p


def _subparser(name: str) -> argparse.ArgumentParser:
    top = parser(name)
    (sub,) = (a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return _fixed_width(sub.choices[name])


def _nested(p: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """``p`` and, for a command with sub-commands of its own (``import brat``), each of those."""
    found = [p]
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # an alias maps to the same parser
                found += _nested(_fixed_width(child))
    return found


def _usage(p: argparse.ArgumentParser) -> str:
    return " ".join(p.format_usage().removeprefix("usage: ").split())


def reference() -> str:
    """The Markdown command reference: a synopsis line per command, then each command's full help."""
    commands = {name: _nested(_subparser(name)) for name in SUBCOMMANDS}
    lines = [HEADER, "## Synopsis", "", "```text"]
    for parsers in commands.values():
        lines += [_usage(p) for p in (parsers[1:] or parsers)]
    lines += ["```", ""]
    for name, parsers in commands.items():
        module = MODULES.get(name, name)
        lines += [f"## `newsanno {name}`", "", f"{SUBCOMMANDS[name]} (`newsanno/cli/{module}.py`).", ""]
        for p in parsers:
            if p is not parsers[0]:
                lines += [f"### `{p.prog}`", ""]
            lines += ["```text", *(line.rstrip() for line in p.format_help().rstrip("\n").splitlines()), "```", ""]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m newsanno.cli.reference", description=__doc__.split("\n")[0])
    cli.add_argument("out", type=Path, help="the Markdown file to write (docs/commands.md)")
    cli.add_argument("--check", action="store_true", help="write nothing; exit 1 when the file is not current")
    args = cli.parse_args(argv)
    text = reference()
    if args.check:
        current = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if current else 'stale; run: python -m newsanno.cli.reference ' + str(args.out)}")
        return 0 if current else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
