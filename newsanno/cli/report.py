"""Rendering of problems for people (text), tools (JSON lines) and GitHub Actions."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from typing import TextIO

from newsanno.problems import Problem

FORMATS = ("text", "json", "github")
# Problems per file the text format shows by default (--max-problems): enough to see the pattern.
MAX_PROBLEMS = 100


def _location(p: Problem) -> str:
    loc = p.file
    if p.line is not None:
        loc += f":{p.line}"
        if p.column is not None:
            loc += f":{p.column}"
    return loc


def text_line(p: Problem) -> str:
    """One line: ``file:line:col: severity [code] pointer (id): message (hint: ...)``."""
    where = " ".join(part for part in (p.pointer, f"({p.annotation_id})" if p.annotation_id else "") if part)
    line = f"{_location(p)}: {p.severity} [{p.code}]"
    if where:
        line += f" {where}"
    line += f": {p.message}"
    if p.hint:
        line += f" (hint: {p.hint})"
    return line.replace("\n", "\\n")


def _github_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github_line(p: Problem) -> str:
    """A GitHub Actions workflow command that annotates the file in a pull request."""
    props = [f"file={_github_escape(p.file, prop=True)}"]
    if p.line is not None:
        props.append(f"line={p.line}")
    if p.column is not None:
        props.append(f"col={p.column}")
    props.append(f"title={_github_escape(p.code, prop=True)}")
    message = (
        f"{p.pointer} ({p.annotation_id}): {p.message}" if p.annotation_id else (f"{p.pointer}: {p.message}" if p.pointer else p.message)
    )
    if p.hint:
        message += f" (hint: {p.hint})"
    return f"::{p.severity} {','.join(props)}::{_github_escape(message)}"


def add_max_problems(p: argparse.ArgumentParser) -> None:
    """The ``--max-problems`` option of commands that report problems."""
    p.add_argument(
        "--max-problems",
        type=_count,
        default=MAX_PROBLEMS,
        metavar="N",
        help="text format: show at most N problems per file, then a count per rule (default: %(default)s; 0: all)",
    )


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {number}")
    return number


def dedupe(problems: Iterable[Problem]) -> list[Problem]:
    """The problems in order, each (file, pointer, code, message) once: one fault found by two checks is one problem."""
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for p in problems:
        key = (p.file, p.pointer, p.code, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def capped(problems: Iterable[Problem], max_problems: int) -> tuple[list[Problem], list[str]]:
    """The first ``max_problems`` problems of each file (all when 0), and one line per file and rule code left out."""
    if max_problems <= 0:
        return list(problems), []
    shown: list[Problem] = []
    per_file: Counter[str] = Counter()
    left: Counter[tuple[str, str]] = Counter()
    for p in problems:
        per_file[p.file] += 1
        if per_file[p.file] <= max_problems:
            shown.append(p)
        else:
            left[(p.file, p.code)] += 1
    lines = [f"... {n:,} more [{code}] problem{'s' if n != 1 else ''} in {file}" for (file, code), n in left.items()]
    return shown, lines


def emit(problems: Iterable[Problem], fmt: str = "text", out: TextIO | None = None, max_problems: int = 0) -> None:
    """Write each problem as one line in the chosen format.

    In the text format, at most ``max_problems`` per file (0: all), then a line per rule code
    saying how many were left out; the JSON and GitHub formats always write every problem.
    """
    out = out or sys.stdout
    more: list[str] = []
    if fmt == "text":
        problems, more = capped(problems, max_problems)
    for p in problems:
        if fmt == "json":
            out.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        elif fmt == "github":
            out.write(github_line(p) + "\n")
        else:
            out.write(text_line(p) + "\n")
    for line in more:
        out.write(line + "\n")


def summary(problems: list[Problem], documents: int) -> str:
    """A closing count line for stderr."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{documents} document{'s' if documents != 1 else ''} checked: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
