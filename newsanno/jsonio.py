"""Strict reading and canonical writing of the project's JSON and text files.

Reading never raises on bad input: it returns the value (or None) and a list of problems.
Writing produces the one canonical form (2-space indent, schema key order, non-ASCII kept,
one final LF) so that diffs stay small and a round trip is byte-exact.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import orjson

from newsanno import schema
from newsanno.problems import Problem

DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits applied to every file read from an untrusted corpus."""

    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH


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


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def decode_text(data: bytes, display: str, *, require_lf: bool = True) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 strictly, rejecting a byte-order mark and (optionally) CR line ends."""
    problems: list[Problem] = []
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [
            Problem(
                display,
                "file starts with a UTF-8 byte-order mark",
                "encoding.bom",
                line=1,
                column=1,
                hint="save the file as UTF-8 without BOM",
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", errors="replace")
        line, col = line_col(good, len(good))
        return None, [
            Problem(
                display,
                f"not valid UTF-8: byte 0x{data[exc.start]:02x} at byte offset {exc.start}",
                "encoding.utf8",
                line=line,
                column=col,
                hint="save the file as UTF-8",
            )
        ]
    if require_lf and "\r" in text:
        line, col = line_col(text, text.index("\r"))
        problems.append(
            Problem(
                display,
                "carriage return found; line ends must be LF",
                "encoding.crlf",
                line=line,
                column=col,
                hint="convert line ends to LF (dos2unix)",
            )
        )
    return text, problems


def _depth(value: Any) -> int:
    depth, stack = 0, [(value, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, dict | list):
            depth = max(depth, d)
            stack.extend((child, d + 1) for child in (node.values() if isinstance(node, dict) else node))
    return depth


DEFAULT_LIMITS = Limits()


def dumps_indented(value: Any) -> bytes:
    """``json.dumps(value, indent=2, ensure_ascii=False) + "\\n"`` as UTF-8, via orjson where it can.

    orjson writes the same bytes for everything but floats (``1e16`` where Python writes
    ``1e+16``), integers beyond 64 bits and lone surrogates, which it refuses or formats
    differently; those go the ``json`` way.
    """
    try:
        if not _has_float(value):
            return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate or an integer over 64 bits
        pass
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8", errors="surrogatepass")


def _has_float(value: Any) -> bool:
    stack = [value]
    while stack:
        node = stack.pop()
        if type(node) is float:
            return True
        if type(node) is dict:
            stack.extend(node.values())
        elif type(node) is list:
            stack.extend(node)
    return False


def has_float(value: Any) -> bool:
    """Whether a parsed JSON value holds a float anywhere: :func:`_has_float`, a container at a time.

    The types of a container's members (and of all members of a list of objects at once) are
    collected by C loops (``set(map(type, ...))``); Python code only runs for nested containers.
    """
    if type(value) is float:
        return True
    stack = [value] if type(value) in (dict, list) else []
    while stack:
        node = stack.pop()
        members: Any = node.values() if type(node) is dict else node
        kinds = set(map(type, members))
        if kinds == {dict}:  # a list of objects: all their members in one go
            members = list(itertools.chain.from_iterable(map(dict.values, members)))
            kinds = set(map(type, members))
        if float in kinds:
            return True
        if dict in kinds or list in kinds:
            stack.extend([m for m in members if type(m) is dict or type(m) is list])
    return False


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


_MISS = object()


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
    except _DuplicateKey as exc:
        pos = locate_duplicate(text, exc.key)
        line, col = line_col(text, pos) if pos is not None else (None, None)
        return None, [
            Problem(
                display,
                f"duplicate key {exc.key!r} in one object",
                "json.duplicate_key",
                line=line,
                column=col,
                hint="keep one of the two values",
            )
        ]
    except _TooLong as exc:
        line, col = line_col(text, exc.position(text))
        return None, [
            Problem(
                display,
                f"expected a number of at most {MAX_DIGITS} digits, found one of {exc.digits}",
                "json.number",
                line=line,
                column=col,
            )
        ]
    except ValueError as exc:  # NaN / Infinity via parse_constant
        match = re.search(r"\b(NaN|-?Infinity)\b", text)
        line, col = line_col(text, match.start()) if match else (None, None)
        return None, [Problem(display, f"invalid JSON: {exc}", "json.constant", line=line, column=col, hint="use a number or null")]
    except RecursionError:
        return None, [_too_deep(text, display, limits)]
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
            for key, child in node.items():
                child_ptr = f"{ptr}/{key.replace('~', '~0').replace('/', '~1')}"
                if _SURROGATE.search(key):
                    return child_ptr
                stack.append((child, child_ptr))
        elif isinstance(node, list):
            stack.extend((child, f"{ptr}/{i}") for i, child in enumerate(node))
    return None


# Offsets fit in 10 digits; a longer number is hostile (CPython refuses > 4300 digits anyway).
MAX_DIGITS = 30


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


class _Locator:
    """A small JSON scanner that records where each value starts, by JSON pointer.

    Only run on files that have problems, to turn pointers into line and column.
    """

    _WS = re.compile(r"[ \t\n\r]*")
    _SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, int] = {}
        self.key_positions: dict[str, int] = {}
        self.duplicates: dict[str, int] = {}

    def _ws(self, i: int) -> int:
        return self._WS.match(self.text, i).end()  # type: ignore[union-attr]

    def value(self, i: int, pointer: str) -> int:
        i = self._ws(i)
        self.positions[pointer] = i
        ch = self.text[i : i + 1]
        if ch == "{":
            i = self._ws(i + 1)
            seen: set[str] = set()
            if self.text[i : i + 1] == "}":
                return i + 1
            while True:
                i = self._ws(i)
                key_start = i
                key, i = json.decoder.scanstring(self.text, i + 1)
                child = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
                if key in seen:
                    self.duplicates.setdefault(key, key_start)
                seen.add(key)
                self.key_positions[child] = key_start
                i = self._ws(i)
                i = self.value(i + 1, child)  # skip ':'
                i = self._ws(i)
                if self.text[i] == ",":
                    i += 1
                    continue
                return i + 1
        if ch == "[":
            i = self._ws(i + 1)
            if self.text[i : i + 1] == "]":
                return i + 1
            index = 0
            while True:
                i = self.value(i, f"{pointer}/{index}")
                i = self._ws(i)
                index += 1
                if self.text[i] == ",":
                    i += 1
                    continue
                return i + 1
        if ch == '"':
            return json.decoder.scanstring(self.text, i + 1)[1]
        match = self._SCALAR.match(self.text, i)
        if not match:
            raise ValueError(f"unexpected character at {i}")
        return match.end()


def locate_all(text: str) -> dict[str, tuple[int, int]]:
    """Map every JSON pointer in a (syntactically valid) document to (line, column)."""
    locator = _Locator(text)
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        locator.value(0, "")  # on a fault, keep what was located before it
    # One pass over the newlines, then a binary search per value: a per-value count would be
    # quadratic on files with tens of thousands of located problems.
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    located = {}
    for ptr, pos in locator.positions.items():
        line = bisect.bisect_right(starts, pos)
        located[ptr] = (line, pos - starts[line - 1] + 1)
    return located


def locate_duplicate(text: str, key: str) -> int | None:
    """Character index of the second occurrence of a duplicated key."""
    locator = _Locator(text)
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        locator.value(0, "")
    return locator.duplicates.get(key)


def canonical_dumps(value: Any, schema_name: str) -> str:
    """The canonical text of a JSON file described by ``schema/<schema_name>``."""
    root = schema.load(schema_name)
    ordered = schema.canonical_order(value, root, root)
    return dumps_indented(ordered).decode("utf-8", errors="surrogatepass")


def is_nfc(text: str) -> bool:
    """True when the text is in Unicode Normalization Form C."""
    return unicodedata.is_normalized("NFC", text)
