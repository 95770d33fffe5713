"""Rows of the ``attribution`` config: every sentence with PARC 3.0 style BIO tags, one sequence per quote.

A quote's roles are its source (the speaker mention), its cue and its content (the quote's
own span); the tag names are :data:`newsanno.schema.ATTRIBUTION_TAGS`.  Quotes may nest (a
quote inside another's content), so a sentence carries one tag sequence per quote it touches,
parallel to ``quote_ids``: nothing is merged or lost.  A role that continues from the
previous sentence starts with an ``I-`` tag, so concatenating a quote's sequences over its
sentences decodes to its spans in the document.  A content or cue whose edges are not token
edges, or roles of one quote that overlap, are errors that keep the document out of every
config, as in ``ner``.
"""

from __future__ import annotations

import itertools
from typing import Any

from newsanno import schema
from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.rows import Row, align
from newsanno.tokens import Tokenization

_TAG_ID = {tag: i for i, tag in enumerate(schema.ATTRIBUTION_TAGS)}
SOURCE, CUE, CONTENT = schema.ATTRIBUTION_ROLES

RoleSpans = list[tuple[str, int, int]]  # (role, first token, last token)


def _role_edges(quote: dict[str, Any], mentions: dict[str, dict[str, Any]]) -> list[tuple[str, int, int, str]]:
    """(role, start, end, JSON pointer suffix) of every role the quote has, as character spans."""
    edges = [(CONTENT, quote["start"], quote["end"], "")]
    if quote["cue"] is not None:
        edges.append((CUE, quote["cue"]["start"], quote["cue"]["end"], "/cue"))
    speaker = mentions.get(quote["speaker_mention_id"] or "")
    if speaker is not None:
        edges.append((SOURCE, speaker["start"], speaker["end"], "/speaker_mention_id"))
    return edges


def _quote_spans(doc: Document, tokens: Tokenization) -> tuple[list[tuple[dict[str, Any], RoleSpans]], list[Problem]]:
    """Every quote (in span order) with its role token spans, or the problems of the quotes that do not fit.

    A speaker mention that does not fit the tokens is left to the mention checks (``ner``,
    ``coref``), which report it.
    """
    mentions = {m["id"]: m for m in doc.annotations["mentions"]}
    indexed = sorted(enumerate(doc.annotations["quotes"]), key=lambda item: (item[1]["start"], item[1]["end"], item[1]["id"]))
    found: list[tuple[dict[str, Any], RoleSpans]] = []
    problems: list[Problem] = []
    for index, quote in indexed:
        spans: RoleSpans = []
        for role, start, end, suffix in _role_edges(quote, mentions):
            span = align.token_span(tokens, start, end)
            if span is not None:
                spans.append((role, *span))
            elif role != SOURCE:
                where = f"/quotes/{index}{suffix}"
                problems.append(
                    align.misaligned(doc, tokens, f"quote {role.lower()}", start, end, "attribution.misaligned", where, quote["id"])
                )
        ordered = sorted(spans, key=lambda s: s[1])
        for (a, _, a_end), (b, b_start, _) in itertools.pairwise(ordered):
            if b_start <= a_end:
                problems.append(
                    Problem(
                        align.annotations_file(doc),
                        f"quote {quote['id']}: its {a} and {b} overlap, so one tag sequence cannot hold both",
                        "attribution.overlap",
                        pointer=f"/quotes/{index}",
                        annotation_id=quote["id"],
                    )
                )
        found.append((quote, spans))
    return found, problems


def attribution_problems(doc: Document, tokens: Tokenization) -> list[Problem]:
    """Why the document's quotes cannot be written as BIO tags (empty when they can); for ``validate``."""
    return _quote_spans(doc, tokens)[1]


def _tags(spans: RoleSpans, lo: int, hi: int) -> list[int]:
    """The quote's tag ids over the tokens ``lo..hi-1`` of one sentence."""
    tags = [_TAG_ID["O"]] * (hi - lo)
    for role, first, last in spans:
        for k in range(max(first, lo), min(last, hi - 1) + 1):
            tags[k - lo] = _TAG_ID[f"{'B' if k == first else 'I'}-{role}"]
    return tags


def attribution_rows(doc: Document, tokens: Tokenization) -> tuple[list[Row], list[Problem]]:
    """One row per sentence: its tokens and, for each quote with a role in it, that quote's tags."""
    found, problems = _quote_spans(doc, tokens)
    if problems:
        return [], problems
    rows = []
    text = doc.text
    for s, (lo, hi) in enumerate(tokens.sentences):
        touching = [(quote, spans) for quote, spans in found if any(first < hi and last >= lo for _, first, last in spans)]
        starts, ends = tokens.starts[lo:hi], tokens.ends[lo:hi]
        rows.append(
            {
                "document_id": doc.id,
                "sentence_id": s,
                "tokens": [text[a:b] for a, b in zip(starts, ends, strict=True)],
                "quote_ids": [quote["id"] for quote, _ in touching],
                "tags": [_tags(spans, lo, hi) for _, spans in touching],
                "token_starts": list(starts),
                "token_ends": list(ends),
            }
        )
    return rows, []
