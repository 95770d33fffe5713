"""The "'x' occurs at a..b" hint of span problems: where a span's text really is, near where it was put.

Shared by the ``[span.text]`` and ``[span.order]`` problems of validation, so a zero-length or
reversed span gets the same pointer to its text as a misplaced one.
"""

from __future__ import annotations

import functools
from typing import Any

# How far from the old start, in code points, the nearby search looks before the whole text.
WINDOW = 2000
# Occurrences kept from a whole-text search (a common word can occur thousands of times).
MAX_FAR = 100


@functools.lru_cache(maxsize=256)
def _first_occurrences(text: str, needle: str) -> tuple[int, ...]:
    # Cached: many spans with the same text far from any occurrence would each rescan the text.
    found, i = [], text.find(needle)
    while i != -1 and len(found) < MAX_FAR:
        found.append(i)
        i = text.find(needle, i + 1)
    return tuple(found)


def occurs_hint(text: str, said: Any, start: int) -> str | None:
    """``'x' occurs at a..b, c..d``: the (up to three) occurrences of ``said`` nearest ``start``, or None.

    Looks outward from ``start`` (three hits each way within :data:`WINDOW`) before searching
    the whole text: a whole-text search per bad span is quadratic when tens of thousands of
    spans are off by one.
    """
    if not isinstance(said, str) or not said:
        return None
    start = min(max(start, 0), len(text))
    after: list[int] = []  # occurrences at or after start, nearest first
    i, hi = start, start + WINDOW + len(said)
    while len(after) < 3 and (i := text.find(said, i, hi)) != -1:
        after.append(i)
        i += 1
    # Backwards: each rfind must end before the previous hit's end, so it finds an earlier start
    # (all before ``start``, nearest first).
    before: list[int] = []
    j, lo = start + len(said) - 1, max(0, start - WINDOW)
    while len(before) < 3 and (j := text.rfind(said, lo, j)) != -1:
        before.append(j)
        j += len(said) - 1
    if after or before:
        nearest = _merge_nearest(start, before, after)
    else:
        nearest = sorted(_first_occurrences(text, said), key=lambda p: (abs(p - start), p))[:3]
    if not nearest:
        return None
    return f"{said!r} occurs at {', '.join(f'{p}..{p + len(said)}' for p in nearest)}"


def _merge_nearest(start: int, before: list[int], after: list[int]) -> list[int]:
    """The three positions nearest ``start`` from two lists already ordered by distance (ties: the earlier)."""
    out: list[int] = []
    b = a = 0
    while len(out) < 3 and (b < len(before) or a < len(after)):
        if a == len(after) or (b < len(before) and start - before[b] <= after[a] - start):
            out.append(before[b])
            b += 1
        else:
            out.append(after[a])
            a += 1
    return sorted(out, key=lambda p: (abs(p - start), p))
