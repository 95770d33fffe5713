"""The span rules: offsets that index text.txt correctly, and flat names.

A span (a mention, a quote, a quote's cue) must be ordered, in range, on grapheme cluster
boundaries, and point at its own ``text``; NAM mentions may not overlap; no two quotes, no two
claims and no two mentions share a span (a re-run merge must not add an item twice unnoticed).  Each rule's cheap
clean-check sits beside its explaining check (see :mod:`newsanno.validate.rule`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import regex

from newsanno import schema
from newsanno.model import Annotations
from newsanno.problems import Problem
from newsanno.validate.rule import ITEM, LAYER, REFS, Order, Rule, Scope, layer_index
from newsanno.validate.spanhint import occurs_hint

_GRAPHEME = regex.compile(r"\X")
_NON_ASCII = regex.compile(r"[^\x00-\x7f]+")


def grapheme_boundaries(text: str) -> frozenset[int]:
    """Offsets at which a span may start or end: the edges of extended grapheme clusters (``\\X``)."""
    return frozenset(range(len(text) + 1)) - _inside_clusters(text)


def _inside_clusters(text: str) -> set[int]:
    """Offsets strictly inside a grapheme cluster of more than one character.

    Segmenting the whole text costs ~4 ms per article, yet between two ASCII characters there is
    always a boundary except inside CR LF (no ASCII character is Extend, SpacingMark, Prepend,
    ZWJ, Hangul, regional indicator or pictographic).  So only CR LF and the stretches around
    non-ASCII runs (one ASCII character either side, which a combining mark or a Prepend can
    join) are segmented; each stretch starts and ends at a true boundary, so its clusters are
    the whole text's.
    """
    inside: set[int] = set()
    start = text.find("\r\n")
    while start != -1:
        inside.add(start + 1)
        start = text.find("\r\n", start + 2)
    windows: list[list[int]] = []
    for run in _NON_ASCII.finditer(text):
        lo, hi = max(run.start() - 1, 0), min(run.end() + 1, len(text))
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        offset = lo
        for cluster in _GRAPHEME.findall(text, lo, hi):
            inside.update(range(offset + 1, offset + len(cluster)))
            offset += len(cluster)
    return inside


def _at(shown: str, where: str, field: str, ann_id: str | None, message: str, code: str, hint: str | None = None) -> list[Problem]:
    """The one problem of a span, pointing at its ``field`` (a span stops at its first fault)."""
    return [Problem(shown, message, code, pointer=f"{where}/{field}", annotation_id=ann_id, hint=hint)]


def span_problems(
    span: dict[str, Any],
    text: str,
    shown: str,
    where: str,
    ann_id: str | None,
    boundaries: frozenset[int] | None = None,
    scope: Scope | None = None,
) -> list[Problem]:
    """Offsets of one span: ordered, in range, on grapheme boundaries, and pointing at the span's own text.

    With ``scope`` the "occurs at" hints are deferred to it (made only for problems a report shows).
    """
    start, end, said = span["start"], span["end"], span["text"]

    def occurs(field: str, message: str, code: str) -> list[Problem]:
        if scope is None:
            return _at(shown, where, field, ann_id, message, code, occurs_hint(text, said, start))
        return [scope.later(p, lambda: occurs_hint(text, said, start)) for p in _at(shown, where, field, ann_id, message, code)]

    if end <= start:
        kind = "zero-length" if end == start else "reversed"
        return occurs("end", f"{kind} span: start {start} is not before end {end}", "span.order")
    if end > len(text):
        message = f"span end {end} is past the end of text.txt ({len(text)} characters)"
        return _at(shown, where, "end", ann_id, message, "span.range")
    for name, offset in (("start", start), ("end", end)):
        if boundaries is not None and offset not in boundaries:
            left = max(b for b in boundaries if b < offset)
            right = min(b for b in boundaries if b > offset)
            message = (
                f"{name} {offset} splits the grapheme cluster {text[left:right]!r} at {left}..{right}; "
                f"expected {left} or {right}, found {offset}"
            )
            hint = "a base letter and its combining marks (or an emoji sequence) belong to one span"
            return _at(shown, where, name, ann_id, message, "span.grapheme", hint)
    actual = text[start:end]
    if actual == said:
        return []
    return occurs("start", f"`text` is {said!r} but text[{start}:{end}] is {actual!r}", "span.text")


def _offsets_clean(ann: Annotations, text: str) -> bool:
    spans = [x for layer in schema.LAYERS for x in cast(list[dict[str, Any]], ann[layer]) if "start" in x]  # type: ignore[literal-required]
    spans += [q["cue"] for q in ann["quotes"] if q["cue"] is not None]
    size = len(text)
    if [x for x in spans if not (0 <= x["start"] < x["end"] <= size and text[x["start"] : x["end"]] == x["text"])]:
        return False
    inside = _inside_clusters(text)
    return not (inside and [x for x in spans if x["start"] in inside or x["end"] in inside])


def _offsets_explain(scope: Scope) -> Iterator[tuple[Order, Problem]]:
    boundaries = grapheme_boundaries(scope.text)
    for li, layer in enumerate(schema.LAYERS):
        for i, item in scope.kept[layer]:
            if "start" in item:
                for p in span_problems(item, scope.text, scope.shown, f"/{layer}/{i}", item["id"], boundaries, scope):
                    yield (ITEM, li, i, 1), p
    quotes = layer_index("quotes")
    for i, q in scope.kept["quotes"]:
        if q["cue"] is not None:
            cue = cast(dict[str, Any], q["cue"])
            for p in span_problems(cue, scope.text, scope.shown, f"/quotes/{i}/cue", q["id"], boundaries, scope):
                yield (REFS, quotes, i, 0), p  # checked with the quote's references


def _names_clean(ann: Annotations, _text: str) -> bool:
    last_end = -1
    for start, end in sorted((m["start"], m["end"]) for m in ann["mentions"] if m["form"] == "NAM"):
        if start < last_end:
            return False
        last_end = max(last_end, end)
    return True


def _names_explain(scope: Scope) -> Iterator[tuple[Order, Problem]]:
    named = sorted((m["start"], m["end"], i, m["id"]) for i, m in scope.kept["mentions"] if m["form"] == "NAM")
    last_end, last_id = -1, ""
    mentions = layer_index("mentions")
    for k, (start, end, i, mid) in enumerate(named):
        if start < last_end:
            message = f"NAM mention overlaps NAM mention {last_id!r}; names are flat"
            yield (
                (LAYER, mentions, k, 0),
                scope.problem(message, "span.nam_overlap", f"/mentions/{i}", mid, "keep the longer name, or mark the inner one NOM"),
            )
        if end > last_end:
            last_end, last_id = end, mid


# Layers where one span is one annotation: a second quote or claim on the same span is the same one twice.
_ONE_PER_SPAN = ("mentions", "quotes", "claims")


def _both_named(x: dict[str, Any], y: dict[str, Any]) -> bool:
    """Two NAM mentions on one span: already reported by the flat-names rule, not again."""
    return x.get("form") == "NAM" and y.get("form") == "NAM"


def _spans_clean(ann: Annotations, _text: str) -> bool:
    for layer in _ONE_PER_SPAN:
        items = cast(list[dict[str, Any]], ann[layer])  # type: ignore[literal-required]
        if len({(x["start"], x["end"]) for x in items}) != len(items) and list(_repeats(list(enumerate(items)))):
            return False
    return True


def _repeats(items: list[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, dict[str, Any], dict[str, Any]]]:
    """(index, item, the first item on its span) for every later item on an already used span."""
    first: dict[tuple[int, int], dict[str, Any]] = {}
    for i, x in items:
        seen = first.setdefault((x["start"], x["end"]), x)
        if seen is not x and not _both_named(seen, x):
            yield i, x, seen


def _spans_explain(scope: Scope) -> Iterator[tuple[Order, Problem]]:
    for layer in _ONE_PER_SPAN:
        li = layer_index(layer)
        for k, (i, x, seen) in enumerate(_repeats(scope.kept[layer])):
            message = f"{layer[:-1]} on the same span {x['start']}-{x['end']} as {seen['id']!r}: the same annotation twice"
            yield (
                (LAYER, li, k, 1),
                scope.problem(message, "span.duplicate", f"/{layer}/{i}", x["id"], f"keep one of {seen['id']!r} and {x['id']!r}"),
            )


RULES: tuple[Rule, ...] = (
    Rule("span offsets", _offsets_clean, _offsets_explain),
    # NAM mentions are flat, as in OntoNotes: no two may overlap.
    Rule("flat names", _names_clean, _names_explain),
    Rule("one annotation per span", _spans_clean, _spans_explain),
)
