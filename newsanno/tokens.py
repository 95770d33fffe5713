"""Tokens and sentences of a canonical text, from spaCy's rule-based English pipeline.

Tokenization is a pure function of the text, so its result can be cached by the text's
hash and the tokenizer's name and version (see :data:`TOKENIZER_ID`).
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# Part of any cache key: a different spaCy version may split differently.  Read from the installed
# distribution rather than ``spacy.__version__``, so that a run served wholly from the token cache
# never imports spaCy (over a second of start-up); :func:`_nlp` checks that the two agree.
SPACY_VERSION = importlib.metadata.version("spacy")
# "pieces100k": paragraphs over CHUNK_CHARS are cut (see _pieces); caches of whole-paragraph runs are not reused.
TOKENIZER_ID = f"spacy-{SPACY_VERSION}-blank-en-sentencizer-pieces100k"


@dataclass(frozen=True, slots=True)
class Tokenization:
    """Non-whitespace tokens as (start, end) character offsets, and sentences as token ranges."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    sentences: tuple[tuple[int, int], ...]  # [first token, last token + 1)


@functools.cache
def _nlp() -> Language:
    import spacy

    if spacy.__version__ != SPACY_VERSION:
        # Cached tokens would be filed under the wrong tokenizer version.
        raise RuntimeError(f"imported spaCy {spacy.__version__} differs from the installed distribution's version {SPACY_VERSION}")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


# spaCy refuses a text longer than ``nlp.max_length`` (1,000,000 characters), and its memory use
# grows with the text; a paragraph is therefore fed to it in pieces of at most this many characters.
CHUNK_CHARS = 100_000
# Where a long paragraph is cut: after a sentence's final punctuation and its whitespace if the last
# part of the piece has one, else at the last whitespace, else (one token that long) anywhere.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")


def _pieces(paragraph: str, limit: int) -> list[str]:
    """``paragraph`` cut into pieces of at most ``limit`` characters that join back into it.

    spaCy's tokenizer splits on whitespace before anything else, so a cut at whitespace changes
    no token; a cut after a sentence end changes no sentence either.  Only a paragraph with no
    sentence end in the last tenth of a piece gets an extra sentence break at the cut, and only
    a run of ``limit`` characters without whitespace is cut inside a token: a documented limit
    (README, Security notes) that no text of the corpus comes near.
    """
    pieces, start = [], 0
    while len(paragraph) - start > limit:
        window = paragraph[start : start + limit]
        tail = limit - limit // 10
        ends = [m.end() for m in _SENTENCE_END.finditer(window, tail)]
        cut = ends[-1] if ends and ends[-1] < limit else next((i + 1 for i in range(limit - 1, 0, -1) if window[i].isspace()), limit)
        pieces.append(window[:cut])
        start += cut
    pieces.append(paragraph[start:])
    return pieces


def tokenize(text: str, limit: int = CHUNK_CHARS) -> Tokenization:
    """Tokenize and split into sentences; a paragraph break always ends a sentence.

    Paragraphs are processed separately, which both guarantees the paragraph rule and
    drops the whitespace tokens spaCy would emit for the blank lines.  A paragraph longer than
    ``limit`` characters is processed in pieces (see :func:`_pieces`), so no text reaches
    spaCy's ``max_length``.
    """
    starts: list[int] = []
    ends: list[int] = []
    sentences: list[tuple[int, int]] = []
    offset = 0
    pieces, offsets = [], []
    for paragraph in text.split("\n\n"):
        at = offset
        for piece in _pieces(paragraph, limit):
            pieces.append(piece)
            offsets.append(at)
            at += len(piece)
        offset += len(paragraph) + 2
    for at, doc in zip(offsets, _nlp().pipe(pieces), strict=True):
        for sent in doc.sents:
            first = len(starts)
            for token in sent:
                if token.is_space:
                    continue
                starts.append(at + token.idx)
                ends.append(at + token.idx + len(token.text))
            if len(starts) > first:
                sentences.append((first, len(starts)))
    return Tokenization(tuple(starts), tuple(ends), tuple(sentences))
