"""Rendering of problems for people (text), tools (JSON lines) and GitHub Actions."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import TextIO

from newsanno.problems import Problem

FORMATS = ("text", "json", "github")


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


def emit(problems: Iterable[Problem], fmt: str = "text", out: TextIO | None = None) -> None:
    """Write each problem as one line in the chosen format."""
    out = out or sys.stdout
    for p in problems:
        if fmt == "json":
            out.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        elif fmt == "github":
            out.write(github_line(p) + "\n")
        else:
            out.write(text_line(p) + "\n")


def summary(problems: list[Problem], documents: int) -> str:
    """A closing count line for stderr."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{documents} document{'s' if documents != 1 else ''} checked: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
