"""Machine suggestions for a document: proposals a person reviews, never gold.

Three sources, each item tagged with its ``source`` and a ``reason``:

- ``corpus``: every name already annotated in the corpus (the text of each ``NAM`` mention and
  each entity's name) found again, whole-word and case-sensitive, longest first and without
  overlaps, carrying the label, name and Wikidata id of the entity it was annotated as;
- ``quotes``: a pair of quotation marks (straight or curly) within a paragraph whose sentence
  holds a cue word (``schema/cues.json``) outside the marks, as a ``direct`` quote whose speaker
  is the nearest suggested PERSON or ORG mention in that sentence;
- ``pattern``: numbers, percentages, amounts of money and dates ("Monday", "7 February 2024").

The result has the shape of ``schema/suggestions.schema.json``: the layers of annotations.json
plus ``reasons`` (item id -> source and reason).  Pure functions: the CLI reads and writes files.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsanno import schema
from newsanno.contribute.fixoffsets import token_occurrences
from newsanno.model import Annotations
from newsanno.validate import grapheme_boundaries

SUGGESTIONS = "suggestions"  # schema/suggestions.schema.json
# Ids of suggested items, distinct from annotators' E/M/Q ids so accepting can renumber them.
ENTITY_PREFIX, MENTION_PREFIX, QUOTE_PREFIX = "SE", "SM", "SQ"
SPEAKER_LABELS = ("PERSON", "ORG")

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_ABOUT = r"(?:(?i:about|almost|nearly|over|some|at least|more than|up to)\s+)?"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s+(?:thousand|million|billion|trillion))?"
# (label, pattern), tried in this order; an earlier match wins over an overlapping later one.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("MONEY", re.compile(rf"{_ABOUT}[$€£]\s?(?:{_NUMBER}){_SCALE}|{_ABOUT}(?:{_NUMBER}){_SCALE}\s+(?:dollars|euros|pounds)")),
    ("PERCENT", re.compile(rf"{_ABOUT}(?:{_NUMBER})\s?(?:%|percent\b|per cent\b)")),
    (
        "DATE",
        re.compile(
            rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|(?:{_MONTHS})\s+\d{{1,2}},\s+\d{{4}}|(?:{_MONTHS})\s+\d{{4}}"
            rf"|(?:(?:[Ee]arly|[Ll]ate|[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?:{_DAYS}|{_MONTHS})"
            rf"|(?:[Ll]ast|[Nn]ext|[Tt]his)\s+(?:week|month|year)|(?:19|20)\d{{2}}|today|yesterday|tomorrow)\b"
        ),
    ),
    ("ORDINAL", re.compile(r"\b(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\b")),
    ("CARDINAL", re.compile(rf"(?<![\w.,]){_ABOUT}(?:{_NUMBER}){_SCALE}(?![\w%])")),
)
_QUOTE_PAIRS = re.compile(r'"([^"\n]+)"|“([^“”\n]+)”')
_SENTENCE_END = re.compile(r"[.!?][\"\u201d\u2019)]*\s|\n")


@dataclass(frozen=True)
class Name:
    """A name the corpus knows: its text and the entity it was annotated as."""

    text: str
    label: str
    entity_name: str
    wikidata: str | None


@functools.cache
def cues() -> tuple[str, ...]:
    """The cue words of ``schema/cues.json``."""
    with open(schema.schema_dir() / "cues.json", encoding="utf-8") as f:
        return tuple(json.load(f)["cues"])


def knowledge(corpus: Iterable[Annotations]) -> dict[str, Name]:
    """Every name annotated in ``corpus``, by its text; a text annotated several ways takes its commonest entity."""
    seen: dict[str, Counter[tuple[str, str, str | None]]] = {}
    for ann in corpus:
        entities = {e["id"]: e for e in ann["entities"]}
        for e in ann["entities"]:
            seen.setdefault(e["name"], Counter())[(e["type"], e["name"], e["wikidata"])] += 1
        for m in ann["mentions"]:
            entity = entities.get(m["entity_id"])
            if m["form"] == "NAM" and entity is not None:
                seen.setdefault(m["text"], Counter())[(m["label"], entity["name"], entity["wikidata"])] += 1
    names = {}
    for text, counts in seen.items():
        # Most frequent, then the smallest tuple: the same corpus always gives the same choice.
        (label, name, wikidata), _ = min(counts.items(), key=lambda kv: (-kv[1], (kv[0][0], kv[0][1], kv[0][2] or "")))
        names[text] = Name(text, label, name, wikidata)
    return names


class _Builder:
    """Collects suggested entities, mentions and quotes with their reasons, numbering their ids."""

    def __init__(self, doc_id: str) -> None:
        self.out: dict[str, Any] = {"document_id": doc_id, "entities": [], "mentions": [], "quotes": [], "reasons": {}}
        self._entities: dict[tuple[str, str], str] = {}

    def entity(self, name: str, label: str, wikidata: str | None) -> str:
        key = (name, label)
        if key not in self._entities:
            eid = f"{ENTITY_PREFIX}{len(self._entities) + 1}"
            self._entities[key] = eid
            self.out["entities"].append({"id": eid, "name": name, "type": label, "wikidata": wikidata})
        return self._entities[key]

    def mention(self, start: int, text: str, label: str, entity_id: str, source: str, reason: str) -> dict[str, Any]:
        mid = f"{MENTION_PREFIX}{len(self.out['mentions']) + 1}"
        item = {"id": mid, "entity_id": entity_id, "start": start, "end": start + len(text), "text": text, "label": label, "form": "NAM"}
        self.out["mentions"].append(item)
        self.out["reasons"][mid] = {"source": source, "reason": reason}
        return item

    def quote(self, item: dict[str, Any], reason: str) -> None:
        item = {"id": f"{QUOTE_PREFIX}{len(self.out['quotes']) + 1}", **item}
        self.out["quotes"].append(item)
        self.out["reasons"][item["id"]] = {"source": "quotes", "reason": reason}


class _Taken:
    """The characters of a text already covered by a chosen match: one byte each, so that
    checking and marking a span costs its length, not the number of matches before it."""

    def __init__(self, size: int, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._mask = bytearray(size)
        for start, end in spans:
            self.add(start, end)

    def free(self, start: int, end: int) -> bool:
        return self._mask.find(1, start, end) == -1

    def add(self, start: int, end: int) -> None:
        self._mask[start:end] = b"\x01" * (end - start)


def name_matches(text: str, names: dict[str, Name]) -> list[tuple[int, Name]]:
    """(start, name) of known names in ``text``: whole-word, case-sensitive, longest first, no overlaps, by start."""
    boundaries = grapheme_boundaries(text)
    found = [(start, name) for name in names.values() for start in token_occurrences(text, name.text, boundaries)]
    found.sort(key=lambda f: (-len(f[1].text), f[0]))
    taken = _Taken(len(text))
    chosen = []
    for start, name in found:
        if taken.free(start, start + len(name.text)):
            taken.add(start, start + len(name.text))
            chosen.append((start, name))
    return sorted(chosen, key=lambda c: c[0])


def pattern_matches(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, str, str]]:
    """(start, matched text, label) of number and date patterns that overlap nothing in ``taken`` nor each other."""
    covered = _Taken(len(text), taken)
    found = []
    for label, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if covered.free(match.start(), match.end()):
                covered.add(*match.span())
                found.append((match.start(), match.group(), label))
    return sorted(found)


def _sentence(text: str, start: int, end: int, ends: list[int]) -> tuple[int, int]:
    """The stretch from the sentence end before ``start`` to the sentence end after ``end`` (a paragraph at most).

    ``ends`` are the ends of every :data:`_SENTENCE_END` match in ``text``, found once: the last
    one at or before ``start`` is a bisection away (a scan from 0 per quote was quadratic).
    """
    before = bisect.bisect_right(ends, start)
    left = ends[before - 1] if before else 0
    if _SENTENCE_END.match(text, end - 2) or _SENTENCE_END.match(text, end - 1):
        return left, end  # a passage ending in '."' or '!”' ends its sentence too
    right_match = _SENTENCE_END.search(text, end)
    return left, right_match.start() + 1 if right_match else len(text)


def _cue_in(text: str, lo: int, hi: int, anchor: int) -> dict[str, Any] | None:
    """The cue nearest ``anchor`` in ``text[lo:hi]``, as a cue span, or None."""
    best: tuple[int, int, int] | None = None
    for cue in cues():
        for match in re.finditer(rf"(?<!\w){re.escape(cue)}(?!\w)", text[lo:hi], re.IGNORECASE):
            start, end = lo + match.start(), lo + match.end()
            distance = min(abs(start - anchor), abs(end - anchor))
            if best is None or distance < best[0]:
                best = (distance, start, end)
    return None if best is None else {"start": best[1], "end": best[2], "text": text[best[1] : best[2]]}


def quote_candidates(text: str, speakers: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    """Direct-quote candidates (without id) and their reasons: marked passages with a cue in their sentence."""
    found = []
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    speakers = sorted(speakers, key=lambda m: m["start"])
    starts = [m["start"] for m in speakers]
    for match in _QUOTE_PAIRS.finditer(text):
        group = 1 if match.group(1) is not None else 2
        start, end = match.start(group), match.end(group)
        lo, hi = _sentence(text, match.start(), match.end(), ends)
        cue = _cue_in(text, lo, match.start(), match.start()) or _cue_in(text, match.end(), hi, match.end())
        if cue is None:
            continue
        near = speakers[bisect.bisect_left(starts, lo) : bisect.bisect_right(starts, hi)]  # those starting in the sentence
        outside = [m for m in near if m["end"] <= hi and (m["end"] <= match.start() or m["start"] >= match.end())]
        speaker = min(outside, key=lambda m: min(abs(m["end"] - match.start()), abs(m["start"] - match.end())), default=None)
        item = {
            "start": start,
            "end": end,
            "text": text[start:end],
            "kind": "direct",
            "speaker_mention_id": speaker["id"] if speaker else None,
            "speaker_entity_id": speaker["entity_id"] if speaker else None,
            "cue": cue,
        }
        who = f"; speaker guess {speaker['text']!r}, the nearest PERSON/ORG in the sentence" if speaker else ""
        found.append((item, f"quotation marks with the cue {cue['text']!r} in the sentence{who}"))
    return found


def _known(gold: Annotations | None) -> tuple[set[tuple[int, int, str]], set[tuple[int, int]]]:
    """Mention (start, end, label) and quote (start, end) spans already annotated: not suggested again."""
    if gold is None:
        return set(), set()
    return {(m["start"], m["end"], m["label"]) for m in gold["mentions"]}, {(q["start"], q["end"]) for q in gold["quotes"]}


def suggest(doc_id: str, text: str, names: dict[str, Name], gold: Annotations | None = None) -> dict[str, Any]:
    """Suggestions for the document ``doc_id`` with ``text``, from ``names`` (see :func:`knowledge`) and the text itself.

    Items that ``gold`` (the document's own annotations) already has are left out.
    """
    known_mentions, known_quotes = _known(gold)
    out = _Builder(doc_id)
    taken: list[tuple[int, int]] = []
    for start, name in name_matches(text, names):
        taken.append((start, start + len(name.text)))
        if (start, start + len(name.text), name.label) not in known_mentions:
            eid = out.entity(name.entity_name, name.label, name.wikidata)
            out.mention(start, name.text, name.label, eid, "corpus", f"annotated as {name.label} {name.entity_name!r} in the corpus")
    for start, matched, label in pattern_matches(text, taken):
        if (start, start + len(matched), label) not in known_mentions:
            eid = out.entity(matched, label, None)
            out.mention(start, matched, label, eid, "pattern", f"looks like a {label}")
    speakers = [m for m in out.out["mentions"] if m["label"] in SPEAKER_LABELS]
    for item, reason in quote_candidates(text, speakers):
        if (item["start"], item["end"]) not in known_quotes:
            out.quote(item, reason)
    return out.out
