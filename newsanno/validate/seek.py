"""Line and column of JSON pointers in a JSON file, for many pointers at once.

:func:`newsanno.validate.locate_all` records every value of a file, which costs ~100 µs per
annotation in Python; a file with 200,000 broken annotations then takes tens of seconds to
report.  :func:`locate` walks only into the containers that lead to a wanted pointer and skips
every other value with the C scanner of :mod:`json`, then turns all positions into line and
column in one sorted pass over the newlines.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
from collections.abc import Iterable

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")
_DECODER = json.JSONDecoder()
# An object whose members are all strings or scalars (an annotation), matched in one C-level step.
_FLAT_OBJECT = re.compile(r'\{(?:[^{}\[\]"]++|"[^"\\]*+(?:\\.[^"\\]*+)*+")*+\}')
# One object member: white space, the key (group 1, still escaped), the colon, and, when it is a
# string or scalar, the value (group 2) with the white space after it; one regex step per member.
_MEMBER = re.compile(
    r'[ \t\n\r]*"((?:[^"\\]|\\.)*)"[ \t\n\r]*:[ \t\n\r]*'
    r'(?:("(?:[^"\\]|\\.)*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)[ \t\n\r]*)?'
)


@functools.lru_cache(maxsize=64)
def _member_key(name: str) -> re.Pattern[str]:
    """The regex of member ``name`` (a pointer token) of a flat object, ending where its value starts."""
    key = json.dumps(name.replace("~1", "/").replace("~0", "~"), ensure_ascii=False)
    return re.compile(rf"[{{,][ \t\n\r]*{re.escape(key)}[ \t\n\r]*:[ \t\n\r]*")


class _Done(Exception):
    """Every wanted pointer is recorded."""


class _Walker:
    """Records the start of each value whose pointer is on the way to (or is) a wanted pointer."""

    def __init__(self, text: str, prefixes: set[str], wanted: set[str]) -> None:
        self.text = text
        self.prefixes = prefixes
        self.wanted = wanted
        # Parent pointer -> names of its children that are wanted or lead to one: members with
        # other names are skipped without building their pointers.
        self.children: dict[str, set[str]] = {}
        for ptr in prefixes | wanted:
            if ptr:
                parent, _, name = ptr.rpartition("/")
                self.children.setdefault(parent, set()).add(name)
        self.positions: dict[str, int] = {}
        self.found = 0  # wanted pointers recorded so far: when all are, the walk stops

    def _record(self, pointer: str, at: int) -> None:
        if pointer in self.wanted and pointer not in self.positions:
            self.found += 1
        self.positions[pointer] = at

    def _ws(self, i: int) -> int:
        return _WS.match(self.text, i).end()  # type: ignore[union-attr]

    def skip(self, i: int) -> int:
        """The end of the value starting at ``i`` (after white space), at C speed."""
        i = self._ws(i)
        ch = self.text[i : i + 1]
        if ch == '"':
            return json.decoder.scanstring(self.text, i + 1)[1]  # type: ignore[attr-defined,no-any-return]
        if ch in ("{", "["):
            return _DECODER.raw_decode(self.text, i)[1]
        match = _SCALAR.match(self.text, i)
        if not match:
            raise ValueError(f"unexpected character at {i}")
        return match.end()

    def _flat_members(self, pointer: str, lo: int, hi: int) -> bool:
        """Record the wanted members of the flat object ``text[lo:hi]`` at ``pointer``; False if one is not found.

        In an object without nested containers, ``"key":`` right after ``{`` or ``,`` can only be
        a member (inside a string its quotes would be escaped), so a regex search finds it
        without walking the other members: one step per annotation instead of one per field.
        """
        found = {}
        for name in self.children.get(pointer, ()):
            member = _member_key(name).search(self.text, lo, hi)
            if member is None:
                return False
            found[f"{pointer}/{name}"] = member.end()
        self._record(pointer, lo)
        for name, at in found.items():
            self._record(name, at)
        return True

    def value(self, i: int, pointer: str) -> int:
        """Walk the value at ``i``; descend only when ``pointer`` leads to a wanted one."""
        i = self._ws(i)
        self._record(pointer, i)
        if pointer not in self.prefixes:
            return self.skip(i)
        text = self.text
        ch = text[i : i + 1]
        if ch == "{":
            i = self._ws(i + 1)
            if text[i : i + 1] == "}":
                return i + 1
            kids = self.children.get(pointer, set())
            while True:
                member = _MEMBER.match(text, i)
                if member is None:
                    raise ValueError(f"expected a key at {i}")
                key = member.group(1)
                if "\\" in key:
                    key = json.loads(f'"{key}"')
                name = key.replace("~", "~0").replace("/", "~1") if "~" in key or "/" in key else key
                if member.group(2) is not None:  # a string or scalar, already passed
                    if name in kids:
                        self._record(f"{pointer}/{name}", member.start(2))
                    i = member.end()
                elif name in kids:
                    i = self._ws(self.value(member.end(), f"{pointer}/{name}"))
                else:
                    i = self._ws(self.skip(member.end()))
                if text[i] != ",":
                    return i + 1
                i += 1
        if ch == "[":
            i = self._ws(i + 1)
            if text[i : i + 1] == "]":
                return i + 1
            index = 0
            while True:
                element = f"{pointer}/{index}"
                i = self._ws(i)
                flat = _FLAT_OBJECT.match(text, i) if element in self.prefixes else None
                # A flat annotation in one step; anything else (or a member not found) walked in full.
                fast = flat is not None and self._flat_members(element, i, flat.end())
                i = flat.end() if fast and flat is not None else self.value(i, element)
                if self.found == len(self.wanted):
                    raise _Done  # the rest of the file holds nothing wanted: a capped report stops here
                i = self._ws(i)
                index += 1
                if text[i] != ",":
                    return i + 1
                i += 1
        return self.skip(i)


def _prefixes(pointers: Iterable[str]) -> set[str]:
    """Every proper ancestor of each pointer ("" included): the containers to walk into."""
    out: set[str] = set()
    for ptr in pointers:
        while ptr:
            ptr = ptr.rsplit("/", 1)[0]
            if ptr in out:
                break  # its ancestors are in already
            out.add(ptr)
    return out


def locate(text: str, pointers: Iterable[str]) -> dict[str, tuple[int, int]]:
    """(line, column), both 1-based, of each wanted pointer's value and of every value on the way to it.

    A pointer that names nothing in the file (a missing field) is absent from the result, but
    its nearest existing ancestor is present.  On a syntax fault, what was found before it is kept.
    """
    wanted = set(pointers)
    walker = _Walker(text, _prefixes(wanted) | {""}, wanted)
    with contextlib.suppress(ValueError, IndexError, RecursionError, _Done):
        walker.value(0, "")  # on a fault, keep what was located before it
    located: dict[str, tuple[int, int]] = {}
    line, line_start, done = 1, 0, 0
    for ptr, pos in sorted(walker.positions.items(), key=lambda item: item[1]):
        line += text.count("\n", done, pos)
        newline = text.rfind("\n", done, pos)
        if newline != -1:
            line_start = newline + 1
        done = pos
        located[ptr] = (line, pos - line_start + 1)
    return located
