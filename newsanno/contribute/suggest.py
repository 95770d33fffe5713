"""Machine suggestions for a document: proposals a person reviews, never gold.

Four sources, each item tagged with its ``source`` and a ``reason``:

- ``corpus``: every name already annotated in the corpus (the text of each ``NAM`` mention and
  each entity's name) found again, whole-word and case-sensitive, longest first and without
  overlaps, carrying the label, name and Wikidata id of the entity it was annotated as;
- ``pattern``: numbers with their units as one mention (percentages, amounts of money "$26
  million", quantities "800 km", dates "March 10", "7 February 2024"), fractions ("a third",
  "two-thirds") as CARDINAL, never ORDINAL;
- ``coref`` (scheme 2.0): every personal pronoun and every definite nominal whose head names an
  entity type (``schema/mention_words.json``), as PRO and NOM mentions each linked to a guessed
  entity, the nearest compatible antecedent (:mod:`newsanno.contribute.coref_guess`);
- ``quotes``: a pair of quotation marks (straight or curly) within a paragraph whose sentence
  holds a cue word (``schema/cues.json``) outside the marks, as a ``direct`` quote whose speaker
  is the PERSON or ORG mention (name, nominal or pronoun) nearest the cue in that sentence; and a
  quoted passage with no cue of its own right after such a quote (a continuation), with that
  quote's speaker and cue.

The document's own gold mentions (when given) are antecedents and speakers too, and nothing gold
already has is suggested again.  No learned parameters: every rule is a pattern or a word list.
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
from newsanno.contribute import coref_guess
from newsanno.contribute.fixoffsets import token_occurrences
from newsanno.model import Annotations
from newsanno.validate import grapheme_boundaries

SUGGESTIONS = "suggestions"  # schema/suggestions.schema.json
# Ids of suggested items, distinct from annotators' E/M/Q ids so accepting can renumber them.
ENTITY_PREFIX, MENTION_PREFIX, QUOTE_PREFIX = "SE", "SM", "SQ"
SPEAKER_LABELS = ("PERSON", "ORG")

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_ABOUT = r"(?:(?i:about|almost|nearly|over|some|at least|more than|less than|up to|approximately|around)\s+)?"
_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
    "|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozens|hundreds|thousands|millions"
)
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:\s+(?:thousand|million|billion|trillion))?"
_CURRENCY = r"(?:(?:US|NZ|A|C|AU|CA|HK|S)\s?)?[$€£¥]\s?"
_UNITS = (
    r"(?:square\s+)?(?:km|kilometres?|kilometers?|miles?|metres?|meters?|m|cm|mm|feet|foot|ft|inches|inch|yards?"
    r"|kg|kilograms?|grams?|g|tonnes?|tons?|lb|lbs|litres?|liters?|gallons?|acres?|hectares?|degrees?|mph|km/h|kph)"
)
_FRACTION = r"(?:a|one)[\s-](?:half|third|quarter|fifth|sixth|seventh|eighth|ninth|tenth)(?=\s+of\b|\s*[,.;:)]|$)"
_FRACTIONS = rf"\b(?i:{_FRACTION}|(?:two|three|four|five|six|seven|eight|nine)[\s-](?:thirds|quarters|fifths|sixths|sevenths|eighths|ninths|tenths))\b"
_DAY_OF_MONTH = r"\d{1,2}(?:st|nd|rd|th)?"
# (label, pattern), tried in this order; an earlier match wins over an overlapping later one, so a
# number with its unit ("$26 million", "March 10", "800 km") is one mention, not a number and a word.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "MONEY",
        re.compile(
            rf"{_ABOUT}{_CURRENCY}(?:{_NUMBER}){_SCALE}"
            rf"|{_ABOUT}(?:{_NUMBER}|{_WORDS}){_SCALE}\s+(?:dollars|euros|pounds|yen|yuan|rupees|cents)\b"
            r"|\b(?:millions|billions|trillions) of (?:dollars|euros|pounds)\b"
        ),
    ),
    ("PERCENT", re.compile(rf"{_ABOUT}(?:{_NUMBER}|{_WORDS})\s?(?:%|percent\b|per cent\b)")),
    (
        "DATE",
        re.compile(
            rf"\b(?:(?:{_MONTHS})\s+{_DAY_OF_MONTH}(?:,?\s+\d{{4}})?|{_DAY_OF_MONTH}\s+(?:of\s+)?(?:{_MONTHS})(?:,?\s+\d{{4}})?"
            rf"|(?:{_MONTHS})\s+\d{{4}}"
            rf"|(?:(?:[Ee]arly|[Ll]ate|[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?:{_DAYS}|{_MONTHS})"
            rf"|(?:[Ll]ast|[Nn]ext|[Tt]his)\s+(?:week|month|year|summer|winter|spring|autumn)|(?:19|20)\d{{2}}|today|yesterday|tomorrow)\b"
            rf"(?!\s*[$€£%])"
        ),
    ),
    ("QUANTITY", re.compile(rf"{_ABOUT}(?<![\w.,])(?:{_NUMBER}|{_WORDS}){_SCALE}[\s-]?{_UNITS}(?![\w/])")),
    # "a third", "two-thirds": a fraction is a CARDINAL (OntoNotes), never an ORDINAL.
    ("CARDINAL", re.compile(_FRACTIONS)),
    ("ORDINAL", re.compile(r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b")),
    ("CARDINAL", re.compile(rf"(?<![\w.,$€£]){_ABOUT}(?:{_NUMBER}|\b(?:{_WORDS})\b){_SCALE}(?![\w%])")),
)
# A pair of marks within a paragraph, or an opening mark that starts a paragraph and is not closed in it
# (a quote running on into the next paragraph).
_QUOTE_PASSAGES = re.compile(r'"([^"\n]+)"|“([^“”\n]+)”|(?m:^[ \t]*["“]([^"“”\n]+)$)')
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
    """Every name annotated in ``corpus`` (NAM mention texts and the names of entities that have one), by its
    text; a text annotated several ways takes its commonest entity."""
    seen: dict[str, Counter[tuple[str, str, str | None]]] = {}
    for ann in corpus:
        entities = {e["id"]: e for e in ann["entities"]}
        # An entity with no name mention (scheme 2.0: only nominals and pronouns, "We") is named by a
        # description or a pronoun, not a name to find again.
        named = {m["entity_id"] for m in ann["mentions"] if m["form"] == "NAM"}
        nameless = {m["entity_id"] for m in ann["mentions"]} - named
        for e in ann["entities"]:
            if e["id"] in nameless:
                continue
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

    def new_entity(self, name: str, label: str) -> str:
        """An entity of its own (a pronoun or nominal with no antecedent), never shared by name."""
        eid = f"{ENTITY_PREFIX}{len(self.out['entities']) + 1}"
        self._entities[(f"{name}\0{eid}", label)] = eid
        self.out["entities"].append({"id": eid, "name": name, "type": label, "wikidata": None})
        return eid

    def name_of(self, entity_id: str) -> str:
        return str(next(e["name"] for e in self.out["entities"] if e["id"] == entity_id))

    def mention(self, start: int, text: str, label: str, entity_id: str, source: str, reason: str, form: str = "NAM") -> dict[str, Any]:
        mid = f"{MENTION_PREFIX}{len(self.out['mentions']) + 1}"
        item = {"id": mid, "entity_id": entity_id, "start": start, "end": start + len(text), "text": text, "label": label, "form": form}
        self.out["mentions"].append(item)
        self.out["reasons"][mid] = {"source": source, "reason": reason}
        return item

    def quote(self, item: dict[str, Any], reason: str) -> dict[str, Any]:
        item = {"id": f"{QUOTE_PREFIX}{len(self.out['quotes']) + 1}", **item}
        self.out["quotes"].append(item)
        self.out["reasons"][item["id"]] = {"source": "quotes", "reason": reason}
        return item


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


def _speaker(
    text: str, lo: int, hi: int, cue: dict[str, Any], quote: tuple[int, int], speakers: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The PERSON or ORG mention (a name, nominal or third-person pronoun) in ``text[lo:hi]`` outside the quote
    and nearest its speech verb ``cue``: "X said", "said X", "according to X"."""
    outside = [m for m in speakers if lo <= m["start"] and m["end"] <= hi and (m["end"] <= quote[0] or m["start"] >= quote[1])]
    return min(outside, key=lambda m: (min(abs(m["end"] - cue["start"]), abs(m["start"] - cue["end"])), m["start"]), default=None)


def _paragraph_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _previous_paragraph(text: str, para: int) -> int:
    """The start of the non-blank paragraph before the one starting at ``para`` (0 for the first)."""
    end = para - 1
    while end > 0 and text[end - 1] == "\n":
        end -= 1
    return _paragraph_start(text, max(end, 0)) if para else 0


def quote_candidates(text: str, speakers: list[dict[str, Any]]) -> list[tuple[dict[str, Any], str]]:
    """Direct-quote candidates (without id) and their reasons: marked passages with a cue in their sentence,
    and continuations: a marked passage with no cue of its own right after a quote (in the same paragraph,
    or opening the next one), which takes that quote's speaker and cue.

    ``speakers`` are the mentions that may speak (PERSON or ORG, any form).
    """
    found: list[tuple[dict[str, Any], str]] = []
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]  # once: each quote's sentence is a bisection away
    speakers = sorted(speakers, key=lambda m: m["start"])
    starts = [m["start"] for m in speakers]
    for match in _QUOTE_PASSAGES.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        start, end = match.start(group), match.end(group)
        lo, hi = _sentence(text, match.start(), match.end(), ends)
        cue = _cue_in(text, lo, match.start(), match.start()) or _cue_in(text, match.end(), hi, match.end())
        para = _paragraph_start(text, match.start())
        if cue is None:
            previous = found[-1][0] if found else None
            # The previous quote ends in this paragraph, or this one opens with the mark and the quote is in the paragraph before.
            same = previous is not None and previous["end"] >= para
            opens = previous is not None and not text[para : match.start()].strip() and previous["end"] >= _previous_paragraph(text, para)
            if not (same or opens):
                continue
            item = {**previous, "start": start, "end": end, "text": text[start:end]}
            who = f", speaker {previous['_speaker_text']!r}" if previous["_speaker_text"] else ""
            found.append((item, f"a quoted passage with no cue of its own right after a quote: its cue {previous['cue']['text']!r}{who}"))
            continue
        near = speakers[bisect.bisect_left(starts, lo) : bisect.bisect_right(starts, hi)]  # those starting in the sentence
        speaker = _speaker(text, lo, hi, cue, (match.start(), match.end()), near)
        item = {
            "start": start,
            "end": end,
            "text": text[start:end],
            "kind": "direct",
            "speaker_mention_id": speaker["id"] if speaker else None,
            "speaker_entity_id": speaker["entity_id"] if speaker else None,
            "cue": cue,
            "_speaker_text": speaker["text"] if speaker else None,
        }
        who = f"; speaker guess {speaker['text']!r}, the PERSON/ORG mention nearest the cue" if speaker else ""
        found.append((item, f"quotation marks with the cue {cue['text']!r} in the sentence{who}"))
    # The speaker's text was only kept to explain continuations.
    return [({k: v for k, v in item.items() if k != "_speaker_text"}, reason) for item, reason in found]


def _known(gold: Annotations | None) -> tuple[set[tuple[int, int, str]], set[tuple[int, int]]]:
    """Mention (start, end, label) and quote (start, end) spans already annotated: not suggested again."""
    if gold is None:
        return set(), set()
    return {(m["start"], m["end"], m["label"]) for m in gold["mentions"]}, {(q["start"], q["end"]) for q in gold["quotes"]}


# A pronoun or nominal with no compatible antecedent gets an entity of its own, of this type.
_DEFAULT_PRONOUN_LABEL = {"n": "ORG"}


def _coref(out: _Builder, text: str, gold: Annotations | None, taken: list[tuple[int, int]]) -> None:
    """Suggested PRO and NOM mentions with guessed entities (third person and nominals), then quotes, then first and second person."""
    gold_mentions = list(gold["mentions"]) if gold else []
    gold_entities = {e["id"]: e for e in gold["entities"]} if gold else {}
    covered = _Taken(len(text), taken)
    genders: dict[str, set[str]] = {}
    earlier: list[tuple[int, coref_guess.Referent]] = []
    entity_of: dict[str, str] = {}  # referent key -> suggested entity id

    def referent(key: str, label: str, plural: bool) -> coref_guess.Referent:
        return coref_guess.Referent(key, label, plural, genders.setdefault(key, set()))

    for m in gold_mentions:
        entity = gold_entities.get(m["entity_id"])
        if entity is not None:
            key = f"gold:{entity['id']}"
            earlier.append((m["end"], referent(key, m["label"], m["form"] == "NOM" and m["text"].endswith("s"))))
    for m in out.out["mentions"]:
        earlier.append((m["end"], referent(m["entity_id"], m["label"], False)))
        entity_of[m["entity_id"]] = m["entity_id"]

    def suggested_entity(r: coref_guess.Referent) -> str:
        if r.key not in entity_of:
            e = gold_entities[r.key.removeprefix("gold:")]
            entity_of[r.key] = out.entity(e["name"], e["type"], e["wikidata"])
        return entity_of[r.key]

    gold_spans = [(m["start"], m["end"]) for m in gold_mentions]
    later = []
    for c in coref_guess.candidates(text):
        # Already annotated; a pronoun inside a name or value; a nominal whose head is part of a name ("the Supreme Court").
        if (c.start, c.end) in gold_spans or not covered.free(c.end - 1 if c.form == "NOM" else c.start, c.end):
            continue
        if c.form == "PRO" and coref_guess.features(c.text)[0] != "3":
            later.append(c)
            continue
        found = coref_guess.antecedent(c, earlier)
        if found is not None:
            eid, label = suggested_entity(found), found.label
            why = f"antecedent {found.label} entity {out.name_of(eid)!r}, the nearest earlier mention agreeing in type and number"
        else:
            gender = coref_guess.features(c.text)[2] if c.form == "PRO" else ""
            label = c.label or _DEFAULT_PRONOUN_LABEL.get(gender, "PERSON")
            eid, why = out.new_entity(c.text, label), "no earlier mention agrees in type and number: an entity of its own"
            found = referent(eid, label, c.plural)
            entity_of[eid] = eid
        if c.form == "PRO" and coref_guess.features(c.text)[2] in ("m", "f"):
            found.genders.add(coref_guess.features(c.text)[2])
        kind = "pronoun" if c.form == "PRO" else f"definite nominal headed by a {c.label} noun"
        out.mention(c.start, c.text, label, eid, "coref", f"{kind}; {why}", form=c.form)
        earlier.append((c.end, coref_guess.Referent(found.key, label, c.plural, found.genders)))
    speakers = [m for m in [*gold_mentions, *out.out["mentions"]] if m["label"] in SPEAKER_LABELS]
    known_quotes = {(q["start"], q["end"]) for q in gold["quotes"]} if gold else set()
    quotes = list(gold["quotes"]) if gold else []
    for item, reason in quote_candidates(text, speakers):
        if (item["start"], item["end"]) not in known_quotes:
            quotes.append(out.quote(item, reason))
    by_id = {m["id"]: m for m in [*gold_mentions, *out.out["mentions"]]}
    for c in later:
        inside = next((q for q in quotes if q["start"] <= c.start and c.end <= q["end"]), None)
        person, number, _ = coref_guess.features(c.text)
        speaker = by_id.get(inside["speaker_mention_id"] or "") if inside else None
        if person == "1" and speaker is not None:
            if number == "pl" and speaker["label"] != "ORG":
                orgs = [(e, r) for e, r in earlier if r.label == "ORG" and e <= inside["start"]] if inside else []
                org = max(orgs, key=lambda er: er[0])[1] if orgs else None
                if org is not None:
                    out.mention(
                        c.start,
                        c.text,
                        "ORG",
                        suggested_entity(org),
                        "coref",
                        "first person plural in a quote: the nearest ORG before it",
                        form="PRO",
                    )
                    continue
            eid = (
                speaker["entity_id"]
                if speaker["id"] in {m["id"] for m in out.out["mentions"]}
                else suggested_entity(referent(f"gold:{speaker['entity_id']}", speaker["label"], False))
            )
            out.mention(
                c.start, c.text, speaker["label"], eid, "coref", f"first person in a quote: its speaker {speaker['text']!r}", form="PRO"
            )
        else:
            where = "inside a quote: the addressee" if inside else "outside a quote"
            out.mention(
                c.start,
                c.text,
                "PERSON",
                out.new_entity(c.text, "PERSON"),
                "coref",
                f"{'second' if person == '2' else 'first'} person {where}, an entity of its own",
                form="PRO",
            )


def suggest(doc_id: str, text: str, names: dict[str, Name], gold: Annotations | None = None) -> dict[str, Any]:
    """Suggestions for the document ``doc_id`` with ``text``, from ``names`` (see :func:`knowledge`) and the text itself.

    Items that ``gold`` (the document's own annotations) already has are left out; its mentions serve as
    antecedents and speakers (a suggestion linked to a gold entity joins it on ``accept``).
    """
    known_mentions, _ = _known(gold)
    out = _Builder(doc_id)
    taken: list[tuple[int, int]] = []
    gold_taken = [(m["start"], m["end"]) for m in gold["mentions"] if m["form"] == "NAM"] if gold else []
    gold_names = _Taken(len(text), gold_taken)
    for start, name in name_matches(text, names):
        end = start + len(name.text)
        taken.append((start, end))
        # Names are flat: one overlapping a gold name could never be accepted.
        if (start, end, name.label) not in known_mentions and gold_names.free(start, end):
            eid = out.entity(name.entity_name, name.label, name.wikidata)
            out.mention(start, name.text, name.label, eid, "corpus", f"annotated as {name.label} {name.entity_name!r} in the corpus")
    for start, matched, label in pattern_matches(text, taken + gold_taken):
        if (start, start + len(matched), label) not in known_mentions:
            eid = out.entity(matched, label, None)
            out.mention(start, matched, label, eid, "pattern", f"looks like a {label}")
            taken.append((start, start + len(matched)))
    _coref(out, text, gold, taken + gold_taken)
    return out.out
