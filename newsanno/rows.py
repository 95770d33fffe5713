"""Rows of every config from one validated document.

Each builder is a pure function of the document (and, for ``ner``, its tokenization);
rows come out in the published sort order: (start, end, id) within a document, and
sentence order for ``ner``.  The table in :mod:`newsanno.configs` says which builder makes
which config; :func:`newsanno.configs.build_rows` runs them all.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Any

from newsanno import corpus, schema
from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.tokens import Tokenization

Row = dict[str, Any]

# ner_tags are stored as ClassLabel ids; the names live in the Features.
_TAG_ID = {tag: i for i, tag in enumerate(schema.NER_TAGS)}


def _span_order(item: dict[str, Any]) -> tuple[int, int, str]:
    return (item["start"], item["end"], item["id"])


def documents_rows(doc: Document) -> list[Row]:
    """The single row of the ``documents`` config: metadata, text and every annotation list."""
    meta = doc.meta
    return [
        {
            "document_id": meta["id"],
            "title": meta["title"],
            "author": meta["author"],
            "published": dt.date.fromisoformat(meta["published"]),
            "publisher": meta["publisher"],
            "language": meta["language"],
            "source_url": meta["source_url"],
            "text": doc.text,
            **{name: doc.annotations[name] for name in schema.ANNOTATION_LISTS},  # type: ignore[literal-required]
        }
    ]


def mentions_rows(doc: Document) -> list[Row]:
    """One row per mention, with its entity's canonical name."""
    names = {e["id"]: e["name"] for e in doc.annotations["entities"]}
    return [
        {
            "document_id": doc.id,
            "mention_id": m["id"],
            "entity_id": m["entity_id"],
            "entity_name": names[m["entity_id"]],
            "start": m["start"],
            "end": m["end"],
            "text": m["text"],
            "label": m["label"],
            "form": m["form"],
        }
        for m in sorted(doc.annotations["mentions"], key=_span_order)  # type: ignore[arg-type]
    ]


def quotes_rows(doc: Document) -> list[Row]:
    """One row per quote, with the speaker's name and the cue flattened."""
    names = {e["id"]: e["name"] for e in doc.annotations["entities"]}
    rows = []
    for q in sorted(doc.annotations["quotes"], key=_span_order):  # type: ignore[arg-type]
        cue = q["cue"]
        rows.append(
            {
                "document_id": doc.id,
                "quote_id": q["id"],
                "start": q["start"],
                "end": q["end"],
                "text": q["text"],
                "kind": q["kind"],
                "speaker_entity_id": q["speaker_entity_id"],
                "speaker_name": names.get(q["speaker_entity_id"]) if q["speaker_entity_id"] else None,
                "cue_text": cue["text"] if cue else None,
                "cue_start": cue["start"] if cue else None,
                "cue_end": cue["end"] if cue else None,
            }
        )
    return rows


def claims_rows(doc: Document) -> list[Row]:
    """One row per claim; a claim without claimant entity is the author's."""
    names = {e["id"]: e["name"] for e in doc.annotations["entities"]}
    return [
        {
            "document_id": doc.id,
            "claim_id": c["id"],
            "start": c["start"],
            "end": c["end"],
            "text": c["text"],
            "claimant_entity_id": c["claimant_entity_id"],
            "claimant_name": names[c["claimant_entity_id"]] if c["claimant_entity_id"] else doc.meta["author"],
            "checkworthiness": c["checkworthiness"],
            "quote_id": c["quote_id"],
        }
        for c in sorted(doc.annotations["claims"], key=_span_order)  # type: ignore[arg-type]
    ]


def _nam_tokens(doc: Document, tokens: Tokenization) -> tuple[list[tuple[str, int, int]], list[Problem]]:
    """(label, first token, last token) of every NAM mention, or the problems of those that do not fit.

    Token starts and ends are strictly increasing, so a binary search finds the token an edge
    must coincide with; no per-token lookup table is built.
    """
    starts, ends = tokens.starts, tokens.ends
    n = len(starts)
    named = [(index, m) for index, m in enumerate(doc.annotations["mentions"]) if m["form"] == "NAM"]
    spans: list[tuple[str, int, int]] = []
    problems: list[Problem] = []
    if not named:
        return spans, problems
    # Sentence index of each token, as slices of one list (C speed), for the cross-sentence rule.
    sentence_of = [0] * n
    for s, (lo, hi) in enumerate(tokens.sentences):
        sentence_of[lo:hi] = [s] * (hi - lo)
    shown = f"{doc.origin}/{corpus.ANNOTATIONS}"
    for index, m in named:
        start, end = m["start"], m["end"]
        i = bisect.bisect_left(starts, start)
        j = bisect.bisect_left(ends, end)
        where = f"/mentions/{index}"
        if i == n or starts[i] != start or j == n or ends[j] != end:
            near = [doc.text[a:b] for a, b in zip(starts, ends, strict=True) if b > start and a < end]
            problems.append(
                Problem(
                    shown,
                    f"NAM mention {m['text']!r} at {start}..{end} does not align to token boundaries (tokens: {near!r})",
                    "ner.misaligned",
                    pointer=where,
                    annotation_id=m["id"],
                    hint="extend or shrink the span to whole tokens",
                )
            )
        elif sentence_of[i] != sentence_of[j]:
            problems.append(
                Problem(
                    shown,
                    f"NAM mention {m['text']!r} crosses a sentence boundary",
                    "ner.cross_sentence",
                    pointer=where,
                    annotation_id=m["id"],
                )
            )
        else:
            spans.append((m["label"], i, j))
    return spans, problems


def ner_problems(doc: Document, tokens: Tokenization) -> list[Problem]:
    """Why the document cannot be written as BIO tags (empty when it can); what :func:`ner_rows` reports.

    The check alone, for ``validate``: no tag list and no rows are built.
    """
    return _nam_tokens(doc, tokens)[1]


def ner_rows(doc: Document, tokens: Tokenization) -> tuple[list[Row], list[Problem]]:
    """One row per sentence with BIO tags from the NAM mentions.

    A NAM mention whose edges are not token edges, or that crosses a sentence boundary,
    cannot be expressed as BIO tags: it is reported and the document yields no rows.
    """
    spans, problems = _nam_tokens(doc, tokens)
    if problems:
        return [], problems
    tags = [_TAG_ID["O"]] * len(tokens.starts)
    for label, i, j in spans:
        tags[i] = _TAG_ID[f"B-{label}"]
        tags[i + 1 : j + 1] = [_TAG_ID[f"I-{label}"]] * (j - i)
    rows = []
    for s, (lo, hi) in enumerate(tokens.sentences):
        rows.append(
            {
                "document_id": doc.id,
                "sentence_id": s,
                "tokens": [doc.text[a:b] for a, b in zip(tokens.starts[lo:hi], tokens.ends[lo:hi], strict=True)],
                "ner_tags": tags[lo:hi],
                "token_starts": list(tokens.starts[lo:hi]),
                "token_ends": list(tokens.ends[lo:hi]),
            }
        )
    return rows, []
