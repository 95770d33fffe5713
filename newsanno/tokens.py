"""Tokens and sentences of a canonical text, from spaCy's rule-based English pipeline.

Tokenization is a pure function of the text, so its result can be cached by the text's
hash and the tokenizer's name and version (see :data:`TOKENIZER_ID`).
"""

from __future__ import annotations

import functools
import importlib.metadata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# Part of any cache key: a different spaCy version may split differently.  Read from the installed
# distribution rather than ``spacy.__version__``, so that a run served wholly from the token cache
# never imports spaCy (over a second of start-up); :func:`_nlp` checks that the two agree.
SPACY_VERSION = importlib.metadata.version("spacy")
TOKENIZER_ID = f"spacy-{SPACY_VERSION}-blank-en-sentencizer"


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


def tokenize(text: str) -> Tokenization:
    """Tokenize and split into sentences; a paragraph break always ends a sentence.

    Paragraphs are processed separately, which both guarantees the paragraph rule and
    drops the whitespace tokens spaCy would emit for the blank lines.
    """
    starts: list[int] = []
    ends: list[int] = []
    sentences: list[tuple[int, int]] = []
    offset = 0
    paragraphs = text.split("\n\n")
    for paragraph, doc in zip(paragraphs, _nlp().pipe(paragraphs), strict=True):
        for sent in doc.sents:
            first = len(starts)
            for token in sent:
                if token.is_space:
                    continue
                starts.append(offset + token.idx)
                ends.append(offset + token.idx + len(token.text))
            if len(starts) > first:
                sentences.append((first, len(starts)))
        offset += len(paragraph) + 2
    return Tokenization(tuple(starts), tuple(ends), tuple(sentences))
