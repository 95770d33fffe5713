"""Repair span offsets from span texts where the intended occurrence is unambiguous.

Every span of ``annotations.json`` repeats its text, so a span whose offsets no longer point
at that text (an off-by-one, a text edited after annotation) can often be put back.  The rule,
applied to each span whose ``text[start:end]`` differs from its ``text`` (or whose offsets are
not integers, or split a grapheme cluster):

1. the candidates are the occurrences of the span's text in ``text.txt`` that start and end on
   grapheme-cluster boundaries (``regex``'s ``\\X``) and on token boundaries: an occurrence is
   rejected when a word character sits right before it and the span starts with a word
   character, or right after it and the span ends with one (so 'he' is no candidate inside
   "The", nor 'say' inside "says");
2. if there is exactly one candidate in the whole document, the span moves there;
3. otherwise, if exactly one candidate starts within ``window`` code points of the old start
   (default :data:`WINDOW`), the span moves there;
4. a placement inside another, longer name (``NAM`` mention) that is correctly placed ("Port Calder" inside
   "Port Calder Harbour Authority") is not made: the span is reported ``ambiguous`` (the right
   occurrence may be further away);
5. otherwise the span is left alone and reported: ``absent`` (no candidate) or ``ambiguous``
   (several, none singled out by the window), with the candidates.

Lint exceptions located by span carry no text of their own; one whose ``start``/``end`` equal
the old offsets of spans that were moved, all to the same place, moves with them.  Any other
exception span is left as it is.

:func:`fix_offsets` is pure: it takes parsed JSON and the canonical text and returns a
repaired copy plus what it did.  :func:`fix_folder` applies it to one document folder: it
reads the files strictly and writes annotations.json back canonically and atomically, only
when something changed.  Both return their outcome as values; the CLI prints them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsanno import corpus, jsonio, schema
from newsanno.atomic import write_atomic
from newsanno.problems import Problem
from newsanno.validate import DEFAULT_LIMITS, Limits, decode_text, grapheme_boundaries, parse_json, read_bytes

# Half-width, in code points, of the window around the old start in which a single occurrence
# is taken as the intended one.  Wide enough for off-by-a-few errors and a short inserted
# phrase; narrow enough that a repeated name a paragraph away is not mistaken for it.
WINDOW = 64
# Candidates listed per unfixable span (a common word can occur hundreds of times).
MAX_CANDIDATES = 10

# Layers whose items are spans, and whether each item may carry a nested cue span.
_SPAN_LAYERS = schema.SPAN_LAYERS


@dataclass(frozen=True)
class Fix:
    """One span moved: where it is in the file, and its old and new offsets."""

    pointer: str
    annotation_id: str | None
    old: tuple[Any, Any]
    new: tuple[int, int]
    text: str | None


@dataclass(frozen=True)
class Unfixable:
    """One span left alone: why (``absent``, ``ambiguous``, ``malformed``) and the candidate starts."""

    pointer: str
    annotation_id: str | None
    old: tuple[Any, Any]
    text: Any
    reason: str
    candidates: tuple[int, ...] = ()
    # Candidates beyond the MAX_CANDIDATES listed, so a report can say "... and N more".
    more: int = 0
    # The longer mention (start, end) that the only placement found falls inside, if that is why.
    inside: tuple[int, int] | None = None


@dataclass
class Outcome:
    """The repaired annotations and a record of every change and every span left broken."""

    annotations: Any
    fixes: list[Fix] = field(default_factory=list)
    unfixable: list[Unfixable] = field(default_factory=list)


def _is_offset(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _item_id(item: dict[str, Any]) -> str | None:
    value = item.get("id")
    return value if isinstance(value, str) else None


def spans(annotations: Any) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    """Every span object with a ``text`` field: (JSON pointer, owning annotation id, the object).

    Tolerates any shape (the file may be schema-invalid): what is not a list of objects is skipped.
    """
    if not isinstance(annotations, dict):
        return
    for layer in _SPAN_LAYERS:
        items = annotations.get(layer)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            pointer = f"/{layer}/{index}"
            if "text" in item:
                yield pointer, _item_id(item), item
            cue = item.get("cue") if layer == "quotes" else None
            if isinstance(cue, dict) and "text" in cue:
                yield f"{pointer}/cue", _item_id(item), cue


_WORD = re.compile(r"\w")


def _is_word(ch: str) -> bool:
    return bool(ch) and _WORD.match(ch) is not None


def token_occurrences(text: str, needle: str, boundaries: frozenset[int]) -> list[int]:
    """Starts of ``needle`` in ``text`` on grapheme boundaries and token boundaries (see the module rule 1)."""
    found, i = [], text.find(needle)
    # Whether the needle's own edges are word characters decides if its neighbours matter.
    check_left, check_right = _is_word(needle[0]), _is_word(needle[-1])
    while i != -1:
        end = i + len(needle)
        glued = (check_left and i > 0 and _is_word(text[i - 1])) or (check_right and _is_word(text[end : end + 1]))
        if not glued and i in boundaries and end in boundaries:
            found.append(i)
        i = text.find(needle, i + 1)
    return found


def _mention_spans(annotations: Any, text: str, boundaries: frozenset[int]) -> list[tuple[int, int]]:
    """(start, end) of every correctly placed name (``NAM`` mention): what a placement must not fall inside.

    Only names: a nominal mention ("the mayor of Springfield") holds names as a matter of course.
    """
    items = annotations.get("mentions") if isinstance(annotations, dict) else None
    if not isinstance(items, list):
        return []
    return [(m["start"], m["end"]) for m in items if isinstance(m, dict) and m.get("form") == "NAM" and _is_correct(m, text, boundaries)]


def _enclosing(placed: tuple[int, int], names: list[tuple[int, int]]) -> tuple[int, int] | None:
    """A longer mention span that contains ``placed``, if any."""
    start, end = placed
    return next((n for n in names if n[0] <= start and end <= n[1] and n[1] - n[0] > end - start), None)


def _is_correct(span: dict[str, Any], text: str, boundaries: frozenset[int]) -> bool:
    start, end, said = span.get("start"), span.get("end"), span.get("text")
    return (
        _is_offset(start)
        and _is_offset(end)
        and isinstance(said, str)
        and 0 <= start < end <= len(text)  # type: ignore[operator]
        and text[start:end] == said
        and start in boundaries
        and end in boundaries
    )


def choose(candidates: list[int], old_start: Any, window: int) -> int | None:
    """The intended start among ``candidates`` by the module's rule, or None when there is none or no single one."""
    if len(candidates) == 1:
        return candidates[0]
    if not _is_offset(old_start):
        return None
    near = [c for c in candidates if abs(c - old_start) <= window]
    return near[0] if len(near) == 1 else None


def fix_offsets(annotations: Any, text: str, window: int = WINDOW) -> Outcome:
    """A copy of ``annotations`` with every unambiguously placeable span moved onto its text."""
    result = copy.deepcopy(annotations)
    outcome = Outcome(result)
    boundaries = grapheme_boundaries(text)
    names = _mention_spans(result, text, boundaries)
    moved: dict[tuple[Any, Any], set[tuple[int, int]]] = {}
    for pointer, ann_id, span in spans(result):
        if _is_correct(span, text, boundaries):
            continue
        old = (span.get("start"), span.get("end"))
        said = span.get("text")
        if not isinstance(said, str) or not said:
            outcome.unfixable.append(Unfixable(pointer, ann_id, old, said, "malformed"))
            continue
        candidates = token_occurrences(text, said, boundaries)
        chosen = choose(candidates, old[0], window)
        inside = _enclosing((chosen, chosen + len(said)), names) if chosen is not None else None
        if chosen is None or inside is not None:
            reason = "absent" if not candidates else "ambiguous"
            listed = tuple(candidates[:MAX_CANDIDATES])
            outcome.unfixable.append(Unfixable(pointer, ann_id, old, said, reason, listed, len(candidates) - len(listed), inside))
            continue
        new = (chosen, chosen + len(said))
        span["start"], span["end"] = new
        outcome.fixes.append(Fix(pointer, ann_id, old, new, said))
        if _is_offset(old[0]) and _is_offset(old[1]):
            moved.setdefault(old, set()).add(new)
    _move_exceptions(result, moved, outcome)
    return outcome


def _move_exceptions(annotations: Any, moved: dict[tuple[Any, Any], set[tuple[int, int]]], outcome: Outcome) -> None:
    """Move exception spans that sat exactly on spans which all moved to one place."""
    items = annotations.get("exceptions") if isinstance(annotations, dict) else None
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        old = (item.get("start"), item.get("end"))
        targets = moved.get(old) if _is_offset(old[0]) and _is_offset(old[1]) else None
        if targets is not None and len(targets) == 1:
            new = next(iter(targets))
            item["start"], item["end"] = new
            outcome.fixes.append(Fix(f"/exceptions/{index}", _item_id({"id": item.get("annotation_id")}), old, new, None))


@dataclass
class FolderOutcome:
    """What :func:`fix_folder` did to one document folder.

    ``outcome`` is None when the files could not be read or parsed; ``problems`` then say why.
    """

    annotations_file: str  # as shown in messages
    problems: list[Problem] = field(default_factory=list)
    outcome: Outcome | None = None
    written: bool = False


def fix_folder(folder: Path, window: int = WINDOW, limits: Limits = DEFAULT_LIMITS, *, write: bool = True) -> FolderOutcome:
    """Fix the offsets of one document folder's annotations.json; write it back (if ``write``) when a span moved."""
    ann_path, text_path = folder / corpus.ANNOTATIONS, folder / corpus.TEXT
    result = FolderOutcome(corpus.display(ann_path))
    raw_ann, problems = read_bytes(ann_path, limits)
    raw_text, text_problems = read_bytes(text_path, limits)
    problems += text_problems
    data = text = None
    if raw_ann is not None:
        data, parse_problems = parse_json(raw_ann, result.annotations_file, limits)
        problems += parse_problems
    if raw_text is not None:
        text, decode_problems = decode_text(raw_text, corpus.display(text_path))
        problems += decode_problems
    result.problems = problems
    if data is None or text is None or problems:
        return result
    result.outcome = fix_offsets(data, text, window)
    if result.outcome.fixes and write:
        write_atomic(ann_path, jsonio.canonical_dumps(result.outcome.annotations, schema.ANNOTATIONS).encode("utf-8"))
        result.written = True
    return result
