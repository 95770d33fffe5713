"""Character spans as token spans: the one alignment rule every token-level config shares.

A span fits the tokens when its start is some token's start and its end some token's end;
the task configs (``ner``, ``coref``, ``attribution``) refuse a document with a span that
does not fit rather than move or drop it.
"""

from __future__ import annotations

from newsanno import corpus
from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.tokens import Tokenization

# The edge indexes of the last tokenization aligned against: every config of a document (ner,
# coref, attribution) aligns its spans against the same tokens, one after the other.
_last: tuple[Tokenization, dict[int, int], dict[int, int]] | None = None


def _edges(tokens: Tokenization) -> tuple[dict[int, int], dict[int, int]]:
    """Token index by start offset and by end offset (C-level dict builds, once per tokenization)."""
    global _last
    last = _last  # one read: safe when threads (a Dask worker) align different documents
    if last is None or last[0] is not tokens:
        last = (
            tokens,
            dict(zip(tokens.starts, range(len(tokens.starts)), strict=True)),
            dict(zip(tokens.ends, range(len(tokens.ends)), strict=True)),
        )
        _last = last
    return last[1], last[2]


def token_span(tokens: Tokenization, start: int, end: int) -> tuple[int, int] | None:
    """(first token, last token) of the characters ``start..end``, or None when an edge falls inside a token.

    Token starts and ends are strictly increasing, so each offset is the edge of at most one
    token: two dict lookups find them (a binary search per edge costs several times more,
    and a document aligns every mention once per config).
    """
    starts, ends = _edges(tokens)
    i, j = starts.get(start), ends.get(end)
    if i is None or j is None:
        return None
    return i, j


def sentence_of_tokens(tokens: Tokenization) -> list[int]:
    """The sentence index of every token."""
    sentence_of = [0] * len(tokens.starts)
    for s, (lo, hi) in enumerate(tokens.sentences):
        sentence_of[lo:hi] = [s] * (hi - lo)  # slice assignment: C speed
    return sentence_of


def annotations_file(doc: Document) -> str:
    """How problems name the document's annotation file."""
    return f"{doc.origin}/{corpus.ANNOTATIONS}"


def misaligned(
    doc: Document, tokens: Tokenization, what: str, start: int, end: int, code: str, pointer: str, annotation_id: str
) -> Problem:
    """The problem of a span ``what`` at ``start..end`` whose edges are not token edges, naming the tokens it cuts."""
    near = [doc.text[a:b] for a, b in zip(tokens.starts, tokens.ends, strict=True) if b > start and a < end]
    return Problem(
        annotations_file(doc),
        f"{what} {doc.text[start:end]!r} at {start}..{end} does not align to token boundaries (tokens: {near!r})",
        code,
        pointer=pointer,
        annotation_id=annotation_id,
        hint="extend or shrink the span to whole tokens",
    )
