"""Strict parsing of untrusted JSON bytes, with its fast path for canonical files.

:func:`parse_json` refuses every fault a hostile or sloppy file can hold (bad UTF-8, BOM,
duplicate keys, NaN, huge numbers, lone surrogates, deep nesting) and names the spot;
:func:`parse_json_exact` first tries orjson on bytes that are already in the 2-space form,
which is the common case and gives the same answer (``tests/test_fastpaths.py`` checks it).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import orjson

from newsanno.problems import Problem
from newsanno.validate.locate import locate_all, locate_duplicate
from newsanno.validate.pointers import child
from newsanno.validate.reading import DEFAULT_LIMITS, Limits, decode_text, line_col, read_bytes

# Offsets fit in 10 digits; a longer number is hostile (CPython refuses > 4300 digits anyway).
MAX_DIGITS = 30


def parse_json_exact(data: bytes, display: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, list[Problem], bool]:
    """:func:`parse_json`, plus whether ``data`` is byte for byte the 2-space serialization of the value.

    The flag lets the canonical-form check skip re-serializing: such a file is canonical
    exactly when its keys are in schema order.
    """
    if len(data) <= limits.max_file_bytes:
        value = _parse_exact(data, limits)
        if value is not _MISS:
            return value, [], True
    value, problems = parse_json(data, display, limits)
    return value, problems, False


_MISS = object()


def _parse_exact(data: bytes, limits: Limits) -> Any:
    """The value of ``data`` when orjson re-serializes it (2-space indent) to exactly ``data``; else ``_MISS``.

    Why this equals the strict parse, fault for fault: bytes that are the serialization of a
    parsed value are valid UTF-8 without BOM or CR, contain no NaN/Infinity, no duplicate key
    (a dict cannot serialize one) and no integer over 64 bits (orjson reads those as floats,
    which serialize with a point or exponent, so the bytes would differ).  Nesting: in that form
    a container at depth d starts on a line indented 2(d-1) spaces, so a file without a line
    indented 2*max_depth spaces nests at most max_depth deep.  Anything else takes the strict path.
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return _MISS
    if b"\n" + b" " * (2 * limits.max_depth) in data:
        return _MISS
    try:
        if orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n" != data:
            return _MISS
    except TypeError:
        return _MISS
    return value


def parse_json(data: bytes, display: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, list[Problem]]:
    """Parse untrusted JSON bytes; on any fault return (None, problems) naming the spot."""
    if len(data) > limits.max_file_bytes:
        return None, [
            Problem(
                display,
                f"file is {len(data)} bytes, over the limit of {limits.max_file_bytes}",
                "file.too_large",
                hint="split the file or raise --max-file-bytes",
            )
        ]
    text, problems = decode_text(data, display, require_lf=False)
    if text is None:
        return None, problems
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        return None, [Problem(display, f"invalid JSON: {exc.msg}", "json.syntax", line=exc.lineno, column=exc.colno)]
    except (_DuplicateKey, _TooLong, ValueError, RecursionError) as exc:
        return None, [_refused(exc, text, display, limits)]
    if _depth(value) > limits.max_depth:
        return None, [_too_deep(text, display, limits)]
    bad = _lone_surrogate(value)
    if bad is not None:
        line, col = locate_all(text).get(bad, (None, None))
        return None, [
            Problem(
                display,
                "string holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), which is not a character",
                "encoding.surrogate",
                pointer=bad,
                line=line,
                column=col,
                hint="write the character itself, or a complete surrogate pair",
            )
        ]
    return value, problems


def read_json_file(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, bytes, list[Problem]]:
    """Read a corpus file within ``limits`` and parse it strictly: (value, its bytes, problems).

    The value is None when reading or parsing failed (the problems say why; the bytes are then
    empty); otherwise there are no problems yet and the caller checks the value further.
    """
    data, problems = read_bytes(path, limits)
    if data is None:
        return None, b"", problems
    value, problems = parse_json(data, display, limits)
    return value, data, problems


def _refused(exc: Exception, text: str, display: str, limits: Limits) -> Problem:
    """The problem for what the parser's hooks (or the recursion limit) refused, located in ``text``."""
    if isinstance(exc, _DuplicateKey):
        pos = locate_duplicate(text, exc.key)
        line, col = line_col(text, pos) if pos is not None else (None, None)
        return Problem(
            display,
            f"duplicate key {exc.key!r} in one object",
            "json.duplicate_key",
            line=line,
            column=col,
            hint="keep one of the two values",
        )
    if isinstance(exc, _TooLong):
        line, col = line_col(text, exc.position(text))
        return Problem(
            display, f"expected a number of at most {MAX_DIGITS} digits, found one of {exc.digits}", "json.number", line=line, column=col
        )
    if isinstance(exc, RecursionError):
        return _too_deep(text, display, limits)
    # NaN / Infinity via parse_constant
    match = re.search(r"\b(NaN|-?Infinity)\b", text)
    line, col = line_col(text, match.start()) if match else (None, None)
    return Problem(display, f"invalid JSON: {exc}", "json.constant", line=line, column=col, hint="use a number or null")


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class _TooLong(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits

    def position(self, text: str) -> int:
        match = re.search(rf"\d{{{MAX_DIGITS + 1},}}", text)
        return match.start() if match else 0


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_DIGITS:
        raise _TooLong(len(literal.lstrip("-")))
    return int(literal)


def _depth(value: Any) -> int:
    depth, stack = 0, [(value, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, dict | list):
            depth = max(depth, d)
            stack.extend((child, d + 1) for child in (node.values() if isinstance(node, dict) else node))
    return depth


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value: Any) -> str | None:
    """Pointer of the first string (key or value) holding a lone surrogate, which no UTF-8 file or tool can carry."""
    stack: list[tuple[Any, str]] = [(value, "")]
    while stack:
        node, ptr = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return ptr
        elif isinstance(node, dict):
            for key, member in node.items():
                member_ptr = child(ptr, key)
                if _SURROGATE.search(key):
                    return member_ptr
                stack.append((member, member_ptr))
        elif isinstance(node, list):
            stack.extend((member, f"{ptr}/{i}") for i, member in enumerate(node))
    return None


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep(text: str, display: str, limits: Limits) -> Problem:
    """The too-deep problem, located at the bracket that crosses the limit."""
    depth, where = 0, 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limits.max_depth:
                where = match.start()
                break
        elif token in "]}":
            depth -= 1
    line, col = line_col(text, where)
    return Problem(
        display,
        f"expected JSON nested at most {limits.max_depth} levels deep, found deeper nesting",
        "json.too_deep",
        line=line,
        column=col,
        hint="raise the limit with --max-depth if the file is genuine",
    )
