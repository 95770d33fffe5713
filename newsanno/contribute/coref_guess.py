"""Pronoun and nominal suggestions of scheme 2.0, each with a guessed entity: the nearest compatible antecedent.

A candidate is every personal pronoun of ``schema/mention_words.json`` and every definite nominal
whose head noun names an entity type there ("the president", "the city", "its government": a
determiner or possessive, at most three modifier words, the head).  Its entity is guessed from
simple features, no learned parameters:

- he/him/his/himself and she/her/...: the nearest earlier singular PERSON mention whose entity no
  pronoun of the other gender has taken;
- it/its/itself: the nearest earlier singular ORG, GPE, LOC or FAC mention;
- they/them/their/...: the nearest earlier plural nominal ("officials") or ORG (a group);
- a nominal: the nearest earlier mention of its head's type and number (number from the head: "officials");
- I/me/my/we/us/our inside a quote: the quote's speaker (we/us/our: an ORG speaker, or else the
  nearest ORG before the quote); you/your and first person outside quotes: a new entity of its own.

Pleonastic "it" ("it is likely that", "it was reported") is left out.  Pure functions: the
caller (:mod:`newsanno.contribute.suggest`) turns the result into suggestions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsanno.validate.lint import mention_words

# Person, number and gender by pronoun: grammar, not a word list (which words count is mention_words.json's).
_FEATURES = {
    **dict.fromkeys(("i", "me", "my", "mine", "myself"), ("1", "sg", "")),
    **dict.fromkeys(("we", "us", "our", "ours", "ourselves"), ("1", "pl", "")),
    **dict.fromkeys(("you", "your", "yours", "yourself", "yourselves"), ("2", "", "")),
    **dict.fromkeys(("he", "him", "his", "himself"), ("3", "sg", "m")),
    **dict.fromkeys(("she", "her", "hers", "herself"), ("3", "sg", "f")),
    **dict.fromkeys(("it", "its", "itself"), ("3", "sg", "n")),
    **dict.fromkeys(("they", "them", "their", "theirs", "themselves"), ("3", "pl", "")),
}
THING_LABELS = ("ORG", "GPE", "LOC", "FAC")
GROUP_LABELS = ("ORG",)
_PLEONASTIC = re.compile(
    r"(?:\s+(?:is|was|has been|had been|will be|would be|seems|seemed|appears|appeared|remains|became)|['\u2019]s)\s+"
    r"(?:(?:not|also|still|now|very|more|less|quite)\s+)?(?:\w+\s+)?(?:that|to|whether|if|how|why|when)\b"
    r"|(?:\s+(?:is|was|has been)|['\u2019]s)\s+(?:reported|said|believed|thought|expected|understood|estimated|alleged)\b"
)
# Up to three modifier words ("the Ukrainian deputy minister", "the U.S. border") within one line, no punctuation.
_MODIFIER = r"(?:(?:[\w'\u2019-]+|(?:[A-Z]\.)+)[ \t]+){0,3}?"


def features(pronoun: str) -> tuple[str, str, str]:
    """(person, number, gender) of a pronoun of mention_words.json; KeyError names one the table lacks."""
    return _FEATURES[pronoun.lower()]


@dataclass
class Referent:
    """What an earlier mention tells about its entity: its key, label, number and gender so far."""

    key: str
    label: str
    plural: bool
    genders: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Candidate:
    """A pronoun or nominal to suggest: its span, form and (for a nominal) the type its head names."""

    start: int
    end: int
    text: str
    form: str  # "PRO" or "NOM"
    label: str | None  # a nominal's head type; a pronoun's is decided with its antecedent
    plural: bool


@functools.cache
def _pronoun_pattern() -> re.Pattern[str]:
    words = mention_words()["personal_pronouns"]
    forms = sorted({v for w in words for v in (w, w[:1].upper() + w[1:])}, key=len, reverse=True)  # type: ignore[union-attr]
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")


@functools.cache
def _nominal_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    heads: dict[str, list[str]] = mention_words()["head_nouns"]  # type: ignore[assignment]
    type_of = {noun.lower(): etype for etype, nouns in heads.items() for noun in nouns}
    determiners: list[str] = mention_words()["determiners"]  # type: ignore[assignment]
    opener = "|".join(map(re.escape, sorted(determiners, key=len, reverse=True)))
    head = "|".join(map(re.escape, sorted(type_of, key=len, reverse=True)))
    # The head is the last noun of the phrase: no further head noun or lower-case noun-like word may follow it.
    pattern = rf"(?<![\w'\u2019])(?i:(?:{opener})[ \t]+|[A-Z][\w.-]*['\u2019]s[ \t]+){_MODIFIER}(?i:(?P<head>{head}))(?!\w)"
    return re.compile(pattern), type_of


def candidates(text: str) -> list[Candidate]:
    """Every personal pronoun (but pleonastic "it") and definite entity-type nominal of ``text``, by start."""
    found = []
    for match in _pronoun_pattern().finditer(text):
        word = match.group()
        if word.lower() == "it" and _PLEONASTIC.match(text, match.end()):
            continue
        found.append(Candidate(match.start(), match.end(), word, "PRO", None, features(word)[1] == "pl"))
    pattern, type_of = _nominal_pattern()
    for match in pattern.finditer(text):
        head = match.group("head").lower()
        nxt = re.match(r"\s+([\w-]+)", text[match.end() :])
        if nxt and (nxt.group(1).lower() in type_of or nxt.group(1)[:1].isupper()):
            continue  # "the city council", "the president Zelensky": the noun is a modifier or a title
        if re.search(r"[,;:.!?\"\u201c\u201d()]", match.group()):
            continue
        found.append(
            Candidate(match.start(), match.end(), match.group(), "NOM", type_of[head], head.endswith("s") and head not in ("press",))
        )
    taken: list[tuple[int, int]] = []
    chosen = []
    # A pronoun inside a nominal ("its government") is a candidate of its own; nominals do not overlap each other.
    for c in sorted(found, key=lambda c: (c.form != "NOM", c.start, -(c.end - c.start))):
        if c.form == "NOM" and any(a < c.end and c.start < b for a, b in taken):
            continue
        if c.form == "NOM":
            taken.append((c.start, c.end))
        chosen.append(c)
    return sorted(chosen, key=lambda c: (c.start, c.end))


def compatible(c: Candidate, r: Referent) -> bool:
    """Whether the earlier mention ``r`` agrees with ``c`` in type, number and gender."""
    if c.form == "NOM":
        return r.label == c.label and r.plural == c.plural
    person, _number, gender = features(c.text)
    if person != "3":
        return False
    if gender in ("m", "f"):
        return r.label == "PERSON" and not r.plural and not (r.genders - {gender})
    if gender == "n":
        return r.label in THING_LABELS and not r.plural
    return r.plural or r.label in GROUP_LABELS


def antecedent(c: Candidate, earlier: Sequence[tuple[int, Referent]]) -> Referent | None:
    """The nearest compatible referent among ``earlier`` (end offset, referent), searched backwards from ``c``."""
    for end, r in sorted(earlier, key=lambda er: -er[0]):
        if end <= c.start and compatible(c, r):
            return r
    return None
