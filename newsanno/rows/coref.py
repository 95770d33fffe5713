"""Rows of the ``coref`` config: one document in the CoNLL-2012 shape coreference trainers read.

``sentences`` holds the tokens of each sentence; ``clusters`` holds, per entity, its mentions
as document-level token spans ``[first token, last token]`` (inclusive end, counting tokens
across sentences), exactly the ``clusters`` of the e2e-coref / CoNLL-2012 jsonlines format.
Every entity with a mention is a cluster, singletons included.  Under scheme 2.0 the clusters of
PERSON, ORG, GPE, LOC and FAC entities are complete (names, nominals and pronouns); the other
types are names only (see :data:`newsanno.rows.configs` for the description the card shows).  A mention whose edges are not
token edges is an error that keeps the document out of every config, as in ``ner``: a
cluster never silently lacks a mention.
"""

from __future__ import annotations

from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.rows import Row, align
from newsanno.tokens import Tokenization

Mention = dict  # one item of annotations.json's mentions


def _aligned(doc: Document, tokens: Tokenization) -> tuple[list[tuple[Mention, int, int]], list[Problem]]:
    """(mention, first token, last token) of every mention, or the problems of those that do not fit.

    Names (NAM) are left to the ``ner`` check, which reports them as ``ner.misaligned``, so a
    misaligned name is reported once.
    """
    found: list[tuple[Mention, int, int]] = []
    problems: list[Problem] = []
    for index, m in enumerate(doc.annotations["mentions"]):
        span = align.token_span(tokens, m["start"], m["end"])
        if span is not None:
            found.append((m, *span))
        elif m["form"] != "NAM":
            problems.append(
                align.misaligned(
                    doc, tokens, f"{m['form']} mention", m["start"], m["end"], "coref.misaligned", f"/mentions/{index}", m["id"]
                )
            )
    return found, problems


def coref_problems(doc: Document, tokens: Tokenization) -> list[Problem]:
    """Why the document cannot be written as token clusters (empty when it can); for ``validate``."""
    return _aligned(doc, tokens)[1]


def coref_rows(doc: Document, tokens: Tokenization) -> tuple[list[Row], list[Problem]]:
    """The document's single ``coref`` row, or the problems of the mentions that do not fit the tokens.

    Clusters come in the order of their first mention in the text; within a cluster mentions
    are in text order; ``cluster_mention_ids`` and ``cluster_mention_forms`` give each span's
    mention id and form (NAM, NOM, PRO).
    """
    found, problems = _aligned(doc, tokens)
    if problems or len(found) < len(doc.annotations["mentions"]):
        return [], problems
    entities = {e["id"]: e for e in doc.annotations["entities"]}
    clusters: dict[str, list[tuple[int, int, str, str]]] = {}
    for m, i, j in sorted(found, key=lambda item: (item[1], item[2], item[0]["id"])):
        clusters.setdefault(m["entity_id"], []).append((i, j, m["id"], m["form"]))
    text = doc.text
    return [
        {
            "document_id": doc.id,
            "sentences": [
                [text[a:b] for a, b in zip(tokens.starts[lo:hi], tokens.ends[lo:hi], strict=True)] for lo, hi in tokens.sentences
            ],
            "clusters": [[[i, j] for i, j, _, _ in spans] for spans in clusters.values()],
            "cluster_mention_ids": [[mention_id for _, _, mention_id, _ in spans] for spans in clusters.values()],
            "cluster_mention_forms": [[form for _, _, _, form in spans] for spans in clusters.values()],
            "cluster_entity_ids": list(clusters),
            "cluster_names": [entities[e]["name"] for e in clusters],
            "cluster_labels": [entities[e]["type"] for e in clusters],
        }
    ], []
