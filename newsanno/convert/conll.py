"""The ``ner`` view as CoNLL-2003-style BIO text.

One ``token TAG`` line per token, a blank line after each sentence, and a ``-DOCSTART- O`` line
(followed by a blank line) before each document, as in the CoNLL-2003 files.  Tokens never hold
whitespace (they come from :mod:`newsanno.tokens`), so the space is an unambiguous separator.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsanno.rows.features import NER_TAGS

DOCSTART = "-DOCSTART- O"


def conll_text(documents: Iterable[list[dict[str, Any]]]) -> str:
    """BIO text of documents, each given as its ``ner`` rows (one per sentence, in order)."""
    out: list[str] = []
    for rows in documents:
        out.append(DOCSTART + "\n\n")
        for row in rows:
            out.extend(f"{token} {NER_TAGS[tag]}\n" for token, tag in zip(row["tokens"], row["ner_tags"], strict=True))
            out.append("\n")
    return "".join(out)
