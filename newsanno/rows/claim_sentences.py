"""Rows of the ``claim_sentences`` config: every sentence with its ClaimBuster class.

A sentence's class is the highest class (in the schema's order NFS < UFS < CFS, ClaimBuster's
-1, 0, 1) of the claims that overlap it by at least one character, NFS when none does.  A
claim that spans sentences counts for each sentence it overlaps.  The claimants are listed
parallel to ``claim_ids``; an author's claim has a null entity id and the byline as name, as
in the ``claims`` config.
"""

from __future__ import annotations

from newsanno import schema
from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.rows import Row
from newsanno.tokens import Tokenization

# ClassLabel ids are positions in the schema's order; the class of no claim is the one no claim can have.
_CLASS_ID = {name: i for i, name in enumerate(schema.SENTENCE_CLASSES)}
_NO_CLAIM = next(name for name in schema.SENTENCE_CLASSES if name not in schema.CHECKWORTHINESS)


def claim_sentence_rows(doc: Document, tokens: Tokenization) -> tuple[list[Row], list[Problem]]:
    """One row per sentence with its class, the claims overlapping it and their claimants."""
    names = {e["id"]: e["name"] for e in doc.annotations["entities"]}
    claims = sorted(doc.annotations["claims"], key=lambda c: (c["start"], c["end"], c["id"]))
    rows = []
    for s, (lo, hi) in enumerate(tokens.sentences):
        start, end = tokens.starts[lo], tokens.ends[hi - 1]
        held = [c for c in claims if c["start"] < end and c["end"] > start]
        label = max((_CLASS_ID[c["checkworthiness"]] for c in held), default=_CLASS_ID[_NO_CLAIM])
        rows.append(
            {
                "document_id": doc.id,
                "sentence_id": s,
                "text": doc.text[start:end],
                "start": start,
                "end": end,
                "label": label,
                "claim_ids": [c["id"] for c in held],
                "claimant_entity_ids": [c["claimant_entity_id"] for c in held],
                "claimant_names": [names[c["claimant_entity_id"]] if c["claimant_entity_id"] else doc.meta["author"] for c in held],
            }
        )
    return rows, []
