"""The split policy: which split a document goes to, decided once, from its id and text, and never moved.

Two rules (docs/splits.md explains them and the balance they give):

* :func:`split_of_id`, for a single contribution (``newsanno add`` without ``--split``): the
  first eight hex digits of sha256(document id) modulo 10 give 0 -> test, 1 -> validation,
  anything else -> train, so about a tenth of later articles each is held out, and the same
  id always gets the same split whoever adds it.
* :func:`plan_batch`, for articles added together: sorted by word count and cut into bands
  of :data:`BAND` documents, each band gives its first document (in sha256(id) order) to
  test, the second to validation and the rest to train, so that the held-out documents
  spread over the whole range of lengths.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

BAND = 5
# Position within a band (in sha256(id) order) -> split; positions past the end are train.
_BAND_SPLITS = ("test", "validation")
_MODULUS = 10
_ID_SPLITS = {0: "test", 1: "validation"}


def id_hash(doc_id: str) -> str:
    """sha256 of the document id (UTF-8), lower-case hex: the tie-free order both rules use."""
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def split_of_id(doc_id: str) -> str:
    """The split of a document added on its own: int(sha256(id)[:8], 16) % 10 -> 0 test, 1 validation, else train."""
    return _ID_SPLITS.get(int(id_hash(doc_id)[:8], 16) % _MODULUS, "train")


def word_count(text: str) -> int:
    """Words of a canonical text: runs of non-whitespace."""
    return len(text.split())


def plan_batch(texts: Mapping[str, str], band: int = BAND) -> dict[str, str]:
    """The split of each document of a batch added together, from its id and canonical text.

    Documents are sorted by word count (ties by sha256(id)), cut into consecutive bands of
    ``band``; within a band, ordered by sha256(id), the first goes to test, the second to
    validation, the rest to train.  A last band shorter than ``band`` is split the same way,
    so a batch of fewer than ``band`` documents still holds one out first for test.
    """
    if band < len(_BAND_SPLITS) + 1:
        raise ValueError(f"a band of {band} documents cannot hold out {len(_BAND_SPLITS)} and train on the rest")
    by_length = sorted(texts, key=lambda doc_id: (word_count(texts[doc_id]), id_hash(doc_id)))
    plan: dict[str, str] = {}
    for start in range(0, len(by_length), band):
        for position, doc_id in enumerate(sorted(by_length[start : start + band], key=id_hash)):
            plan[doc_id] = _BAND_SPLITS[position] if position < len(_BAND_SPLITS) else "train"
    return dict(sorted(plan.items()))
