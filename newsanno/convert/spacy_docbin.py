"""The ``ner`` view as a spaCy ``DocBin`` (``.spacy``), the training format of ``spacy train``.

One spaCy ``Doc`` per document over the vocabulary of ``spacy.blank("en")``, with the project's
tokens (:mod:`newsanno.tokens`), its sentence starts, and entities from the NAM mentions' BIO tags.
A token is followed by a space when the text has any whitespace after it (paragraph breaks
become one space: spaCy's training docs need no layout).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import spacy
from spacy.tokens import Doc, DocBin

from newsanno.rows.features import NER_TAGS


def ner_doc(vocab: Any, rows: list[dict[str, Any]]) -> Doc:
    """The spaCy Doc of one document from its ``ner`` rows (one per sentence, in order)."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    tags: list[str] = []
    sent_starts: list[bool] = []
    for row in rows:
        words.extend(row["tokens"])
        starts.extend(row["token_starts"])
        ends.extend(row["token_ends"])
        tags.extend(NER_TAGS[t] for t in row["ner_tags"])
        sent_starts.extend(i == 0 for i in range(len(row["tokens"])))
    spaces = [end < nxt for end, nxt in zip(ends, starts[1:], strict=False)] + ([False] if words else [])
    return Doc(vocab, words=words, spaces=spaces, sent_starts=sent_starts, ents=tags)


def docbin_bytes(documents: Iterable[list[dict[str, Any]]]) -> bytes:
    """The ``.spacy`` file of documents, each given as its ``ner`` rows."""
    vocab = spacy.blank("en").vocab
    docbin = DocBin(attrs=["ORTH", "SPACY", "SENT_START", "ENT_IOB", "ENT_TYPE"], store_user_data=False)
    for rows in documents:
        docbin.add(ner_doc(vocab, rows))
    return docbin.to_bytes()
