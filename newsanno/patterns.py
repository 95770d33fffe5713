"""Regular expressions that come from data, run on RE2: linear time in the text, whatever the pattern.

A pattern in a file (a profile's footer or dateline, a schema's ``pattern``, an old revision's
schema read by ``diff``) is a program a contributor wrote. On a backtracking engine
(Python's ``re``, ``regress``) ``^(a+)+$`` takes exponential time, so one pull request could
hang ``add``, ``validate`` or ``diff``. RE2 (the ``google-re2`` package) guarantees time
linear in the text and refuses, at compile time, what it cannot run that way (lookaround,
backreferences); :func:`compile` turns that refusal into a :class:`PatternError` the caller
locates (file and JSON pointer).

Semantics are JSON Schema's (ECMA-262) where they differ from Python's: ``$`` matches only at
the end (not before a final line feed), ``\\d`` and ``\\w`` are ASCII; ``\\s`` and ``\\S`` are
rewritten to ECMA's white-space set (RE2's own ``\\s`` is ASCII only). Named groups may be
written ``(?P<name>...)`` or ``(?<name>...)``.
"""

from __future__ import annotations

import functools
from typing import Any

import re2

# ECMA-262 WhiteSpace and LineTerminator: what \s means in a JSON Schema pattern.
_ECMA_SPACE = r"\t\n\x{0B}\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}"

_REFUSED = "not a regular expression the linear-time engine (RE2) runs"
Pattern = Any  # a compiled re2 pattern: .match, .search, .fullmatch, .pattern, .groupindex


class PatternError(ValueError):
    """A pattern RE2 cannot run: invalid, or a construct (lookaround, backreference) that needs backtracking."""


def _ecma_classes(pattern: str) -> str:
    """``pattern`` with ``\\s``/``\\S`` spelled as ECMA's white-space set; RE2 parses the rest."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            if escaped == "s":
                out.append(_ECMA_SPACE if in_class else f"[{_ECMA_SPACE}]")
            elif escaped == "S":
                if in_class:  # a negated set inside a set has no RE2 spelling
                    raise PatternError(f"{_REFUSED}: \\S inside a character class; write [^...] with \\s")
                out.append(f"[^{_ECMA_SPACE}]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            # A ']' right after '[' or '[^' is a literal, not the end of the class.
            for lead in ("^", "]"):
                if pattern.startswith(lead, i + 1):
                    out.append(lead)
                    i += 1
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out)


@functools.cache
def compile(pattern: str) -> Pattern:
    """``pattern`` compiled for RE2; raises :class:`PatternError` with RE2's reason when it cannot run."""
    options = re2.Options()
    options.log_errors = False  # the caller reports the problem, located; RE2 must not print to stderr
    try:
        return re2.compile(_ecma_classes(pattern), options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise PatternError(f"{_REFUSED}: {reason}") from None


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` (from data) matches anywhere in ``text``, as JSON Schema's ``pattern`` asks."""
    return compile(pattern).search(text) is not None


def schema_patterns(node: Any, pointer: str = "") -> list[tuple[str, str]]:
    """Every regular expression in a JSON Schema: (JSON pointer, pattern), for ``pattern`` and ``patternProperties``."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            found.append((f"{pointer}/pattern", pattern))
        props = node.get("patternProperties")
        if isinstance(props, dict):
            found.extend((f"{pointer}/patternProperties/{_escape(key)}", key) for key in props)
        for key, value in node.items():
            if key not in ("const", "enum", "default", "examples"):  # values there are data, not schemas
                found.extend(schema_patterns(value, f"{pointer}/{_escape(key)}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(schema_patterns(value, f"{pointer}/{index}"))
    return found


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def schema_pattern_errors(schema: Any) -> list[tuple[str, str]]:
    """(pointer, reason) of each pattern in ``schema`` that RE2 cannot run; empty when all can."""
    errors = []
    for pointer, pattern in schema_patterns(schema):
        try:
            compile(pattern)
        except PatternError as exc:
            errors.append((pointer, str(exc)))
    return errors
