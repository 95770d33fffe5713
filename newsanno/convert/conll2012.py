"""The ``coref`` view as CoNLL-2012 ``*_conll`` text, the format the coreference scorers read.

Per document: a ``#begin document (<id>); part 000`` line, one line per token (a blank line after
each sentence) and an ``#end document`` line.  A token line has the twelve whitespace-separated
columns of the CoNLL-2012 files without predicate arguments: document id, part number, word
number in its sentence, word, then ``-`` for part of speech, parse bit, predicate lemma,
frameset, word sense, speaker and named entities, and last the coreference column: ``(k)`` for a
one-token mention of cluster ``k``, ``(k`` where a longer one opens and ``k)`` where it closes,
several joined by ``|``, ``-`` for none.  Cluster numbers are the ``coref`` row's cluster
order.  Tokens never hold whitespace (they come from :mod:`newsanno.tokens`, the tokenizer of
every config), so the columns are unambiguous.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

PART = 0
# Part of speech, parse bit, predicate lemma, frameset, word sense, speaker, named entities: not given.
EMPTY_COLUMNS = 7


def _coref_cells(row: dict[str, Any], size: int) -> list[str]:
    """The coreference column of every token of a ``coref`` row (document-level token indexes)."""
    opens: list[list[tuple[int, int]]] = [[] for _ in range(size)]  # (-length, cluster): longer spans open first
    closes: list[list[tuple[int, int]]] = [[] for _ in range(size)]  # (length, cluster): shorter spans close first
    singles: list[list[int]] = [[] for _ in range(size)]
    for cluster, spans in enumerate(row["clusters"]):
        for first, last in spans:
            if first == last:
                singles[first].append(cluster)
            else:
                opens[first].append((first - last, cluster))
                closes[last].append((last - first, cluster))
    cells = []
    for i in range(size):
        parts = [f"({k}" for _, k in sorted(opens[i])] + [f"({k})" for k in sorted(singles[i])] + [f"{k})" for _, k in sorted(closes[i])]
        cells.append("|".join(parts) or "-")
    return cells


def conll2012_text(rows: Iterable[dict[str, Any]]) -> str:
    """``*_conll`` text of documents, each given as its ``coref`` row."""
    out: list[str] = []
    dashes = " ".join(["-"] * EMPTY_COLUMNS)
    for row in rows:
        doc_id = row["document_id"]
        out.append(f"#begin document ({doc_id}); part {PART:03d}\n")
        cells = _coref_cells(row, sum(map(len, row["sentences"])))
        index = 0
        for sentence in row["sentences"]:
            for number, word in enumerate(sentence):
                out.append(f"{doc_id} {PART} {number} {word} {dashes} {cells[index]}\n")
                index += 1
            out.append("\n")
        out.append("#end document\n")
    return "".join(out)
