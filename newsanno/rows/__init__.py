"""Rows of every config from one validated document.

Each builder is a pure function of the document (and, for ``ner``, its tokenization);
the sentence-level task configs live in the submodules (``coref``, ``claim_sentences``,
``attribution``), with the token alignment they share in ``align``;
rows come out in the published sort order: (start, end, id) within a document, and
sentence order for ``ner``.  The table in :mod:`newsanno.rows.configs` says which builder makes
which config; :func:`newsanno.rows.configs.build_rows` runs them all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from newsanno import schema
from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.rows import align
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
    """(label, first token, last token) of every NAM mention, or the problems of those that do not fit."""
    spans: list[tuple[str, int, int]] = []
    problems: list[Problem] = []
    named = [(index, m) for index, m in enumerate(doc.annotations["mentions"]) if m["form"] == "NAM"]
    if not named:
        return spans, problems
    sentence_of = align.sentence_of_tokens(tokens)
    for index, m in named:
        where = f"/mentions/{index}"
        found = align.token_span(tokens, m["start"], m["end"])
        if found is None:
            problems.append(align.misaligned(doc, tokens, "NAM mention", m["start"], m["end"], "ner.misaligned", where, m["id"]))
        elif sentence_of[found[0]] != sentence_of[found[1]]:
            problems.append(
                Problem(
                    align.annotations_file(doc),
                    f"NAM mention {m['text']!r} crosses a sentence boundary",
                    "ner.cross_sentence",
                    pointer=where,
                    annotation_id=m["id"],
                )
            )
        else:
            spans.append((m["label"], *found))
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
        starts, ends = tokens.starts[lo:hi], tokens.ends[lo:hi]
        rows.append(
            {
                "document_id": doc.id,
                "sentence_id": s,
                "tokens": [doc.text[a:b] for a, b in zip(starts, ends, strict=True)],
                "ner_tags": tags[lo:hi],
                "token_starts": list(starts),
                "token_ends": list(ends),
                "text": doc.text[starts[0] : ends[-1]],
                "spaces": token_spaces(starts, ends),
            }
        )
    return rows, []


def token_spaces(starts: tuple[int, ...], ends: tuple[int, ...]) -> list[bool]:
    """Whether whitespace follows each token of one sentence (never after its last): spaCy's ``spaces``."""
    return [end < following for end, following in zip(ends, starts[1:], strict=False)] + [False]
