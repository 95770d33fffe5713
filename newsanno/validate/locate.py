"""From JSON pointers to line and column: a small scanner over the text of a parsed file.

Only files with problems are scanned.  The PyPI package ``json-source-map`` does the same
job, but it keys objects by the raw text of their keys (no unescaping, no RFC 6901
escaping), so a problem at an escaped key would land on its parent; it does not report
where a duplicate key is; and it is about 3.5 times slower on a 5 MB file.  Hence this one.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re

from newsanno.problems import Problem
from newsanno.validate import seek
from newsanno.validate.pointers import child


class _Locator:
    """A small JSON scanner that records where each value starts, by JSON pointer."""

    _WS = re.compile(r"[ \t\n\r]*")
    _SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, int] = {}
        self.duplicates: dict[str, int] = {}

    def _ws(self, i: int) -> int:
        return self._WS.match(self.text, i).end()  # type: ignore[union-attr]

    def value(self, i: int, pointer: str) -> int:
        """Scan the value starting at or after ``i``; return the index just past it."""
        # One frame per nesting level (objects and arrays inline), as deep as json.loads goes.
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
                if key in seen:
                    self.duplicates.setdefault(key, key_start)
                seen.add(key)
                i = self._ws(i)
                i = self.value(i + 1, child(pointer, key))  # skip ':'
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


def _scanned(text: str) -> _Locator:
    locator = _Locator(text)
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        locator.value(0, "")  # on a fault, keep what was located before it
    return locator


def locate_all(text: str) -> dict[str, tuple[int, int]]:
    """Map every JSON pointer in a (syntactically valid) document to (line, column)."""
    positions = _scanned(text).positions
    # One pass over the newlines, then a binary search per value: a per-value count would be
    # quadratic on files with tens of thousands of located problems.
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    located = {}
    for ptr, pos in positions.items():
        line = bisect.bisect_right(starts, pos)
        located[ptr] = (line, pos - starts[line - 1] + 1)
    return located


def locate_duplicate(text: str, key: str) -> int | None:
    """Character index of the second occurrence of a duplicated key."""
    return _scanned(text).duplicates.get(key)


def locate(problems: list[Problem], raw: bytes | None, detail: int = 0) -> list[Problem]:
    """Fill in line and column of JSON problems from their pointers (a missing pointer falls back to its parent).

    ``problems`` are one file's, in report order; ``detail`` > 0 locates only the first ``detail``
    of them, counted as a report capped at ``detail`` per file counts (each pointer, code and
    message once), which are all it can show.
    """
    if detail:
        seen: set[tuple[str, str, str]] = set()
        chosen = set()
        for i, p in enumerate(problems):
            seen.add((p.pointer, p.code, p.message))
            if len(seen) > detail:
                break
            chosen.add(i)
        needs = [p for i, p in enumerate(problems) if p.line is None and i in chosen]
    else:
        chosen = None
        needs = [p for p in problems if p.line is None]
    if not needs or raw is None:
        return problems
    # Only the pointers that have problems are sought: a file with many broken annotations
    # would otherwise pay for recording every value (see :mod:`~newsanno.validate.seek`).
    positions = seek.locate(raw.decode("utf-8"), (p.pointer for p in needs))
    out = []
    for i, p in enumerate(problems):
        if p.line is None and (chosen is None or i in chosen):
            ptr = p.pointer
            while ptr and ptr not in positions:
                ptr = ptr.rsplit("/", 1)[0]
            line, col = positions.get(ptr, (None, None))
            p = Problem(p.file, p.message, p.code, p.pointer, line, col, p.annotation_id, p.hint, p.severity)
        out.append(p)
    return out
