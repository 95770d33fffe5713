"""The figures a dataset card publishes about how the gold was made: agreement before adjudication, and the adjudication.

Read from the files, never from the clock: each document folder that holds
``annotations.a.json``, ``annotations.b.json`` and ``adjudication.json`` contributes.  Several
documents are pooled into one: their texts are concatenated and every offset shifted, so each
figure is computed once over all items (micro-averaged), not averaged over documents.
"""

from __future__ import annotations

import copy
import hashlib
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsanno import corpus, schema
from newsanno.model import Annotations
from newsanno.review import agreement
from newsanno.validate import decode_text
from newsanno.validate.annotators import ADJUDICATION_SCHEMA, read_json

# Said wherever these figures are shown: B's guidelines drew their examples from A's gold.
CAVEAT = (
    "The second annotator worked from GUIDELINES.md, whose rules and examples were written from "
    "annotator A's annotation of the same article(s); agreement is therefore higher than two "
    "annotators working from guidelines written independently of the texts would reach."
)


def _shifted(ann: Annotations, shift: int, prefix: str) -> Annotations:
    """``ann`` with every offset moved by ``shift`` and every id prefixed (ids are local to a file)."""
    out = copy.deepcopy(ann)

    def ref(x: str | None) -> str | None:
        return None if x is None else f"{prefix}{x}"

    for e in out["entities"]:
        e["id"] = f"{prefix}{e['id']}"
    for layer in ("mentions", "quotes", "claims"):
        for x in out[layer]:  # type: ignore[literal-required]
            x["id"], x["start"], x["end"] = f"{prefix}{x['id']}", x["start"] + shift, x["end"] + shift
    for m in out["mentions"]:
        m["entity_id"] = f"{prefix}{m['entity_id']}"
    for q in out["quotes"]:
        q["speaker_mention_id"], q["speaker_entity_id"] = ref(q["speaker_mention_id"]), ref(q["speaker_entity_id"])
        if q["cue"]:
            q["cue"] = {**q["cue"], "start": q["cue"]["start"] + shift, "end": q["cue"]["end"] + shift}
    for c in out["claims"]:
        c["claimant_mention_id"], c["claimant_entity_id"] = ref(c["claimant_mention_id"]), ref(c["claimant_entity_id"])
        c["quote_id"] = ref(c["quote_id"])
    return out


def _pool(docs: list[tuple[str, Annotations, Annotations, str]]) -> tuple[Annotations, Annotations, str]:
    """The documents as one: texts joined by a paragraph break, annotations shifted to match."""
    empty: Annotations = {"document_id": "pooled", "entities": [], "mentions": [], "quotes": [], "claims": [], "exceptions": []}
    pa, pb, text = copy.deepcopy(empty), copy.deepcopy(empty), ""
    for doc_id, a, b, doc_text in docs:
        shift = len(text) + (2 if text else 0)
        text = f"{text}\n\n{doc_text}" if text else doc_text
        for pooled, ann in ((pa, a), (pb, b)):
            moved = _shifted(ann, shift, f"{doc_id}:")
            for layer in ("entities", "mentions", "quotes", "claims"):
                pooled[layer] += moved[layer]  # type: ignore[literal-required]
    return pa, pb, text


def _read(folder: Path) -> tuple[Annotations, Annotations, dict[str, Any], str]:
    a, pa = read_json(folder / corpus.ANNOTATIONS_A, schema.ANNOTATIONS)
    b, pb = read_json(folder / corpus.ANNOTATIONS_B, schema.ANNOTATIONS)
    record, pr = read_json(folder / corpus.ADJUDICATION, ADJUDICATION_SCHEMA)
    data = (folder / corpus.TEXT).read_bytes() if (folder / corpus.TEXT).is_file() else None
    text, pt = decode_text(data, str(folder / corpus.TEXT)) if data is not None else (None, [])
    if a is None or b is None or record is None or text is None:
        problems = [f"{p.file}: {p.message}" for p in pa + pb + pr + pt if p.severity == "error"]
        raise ValueError("; ".join(problems) or f"{folder}: text.txt is missing")
    return a, b, record, text


def inputs_digest(raw_folder: Path) -> str:
    """A digest of everything :func:`agreement_summary` reads and of the code that computes it,
    so a cached summary under this key is the very one a fresh computation gives."""
    from newsanno.tokens import TOKENIZER_ID

    digest = hashlib.sha256(TOKENIZER_ID.encode())
    for module in (agreement, sys.modules[__name__]):
        digest.update(hashlib.sha256(Path(module.__file__ or "").read_bytes()).digest())
    folders, _ = corpus.discover(raw_folder)
    for folder in folders:
        if all((folder / n).is_file() for n in corpus.OPTIONAL_FILES):
            for name in (*corpus.OPTIONAL_FILES, corpus.TEXT):
                digest.update(f"{folder.name}/{name}\0".encode() + hashlib.sha256((folder / name).read_bytes()).digest())
    return digest.hexdigest()


def agreement_summary(raw_folder: Path, tokenize: Callable[[str], Any] | None = None) -> dict[str, Any]:
    """Agreement before adjudication and the adjudication's counts, over every adjudicated document of ``raw_folder``.

    Keys: ``documents`` (ids), ``figures`` (per layer: mentions span F1, label kappa and token
    alpha; coreference CoNLL F1; quotes span F1 and source agreement; claims span F1, claimant
    agreement and check-worthiness kappa; None where undefined), ``items_by_class`` and
    ``items_by_decision`` (counts), ``changes_by_layer`` (decisions that changed A's
    annotation: keep_b or edit), ``open`` (items still undecided), ``date`` (the latest
    adjudication date recorded, None if none is), and ``caveat``.  Raises ValueError when an
    adjudicated document's files cannot be read.
    """
    folders, _ = corpus.discover(raw_folder)
    docs, records = [], []
    for folder in folders:
        if all((folder / n).is_file() for n in corpus.OPTIONAL_FILES):
            a, b, record, text = _read(folder)
            docs.append((folder.name, a, b, text))
            records.append(record)
    items = [x for r in records for x in r["items"]]
    summary: dict[str, Any] = {
        "documents": [d[0] for d in docs],
        "figures": None,
        "items_by_class": dict(sorted(Counter(x["class"] for x in items).items())),
        "items_by_decision": dict(sorted(Counter(x["decision"] or "open" for x in items).items())),
        "changes_by_layer": dict(sorted(Counter(x["layer"] for x in items if x["decision"] in ("keep_b", "edit")).items())),
        "open": sum(x["decision"] is None for x in items),
        "date": max((r["date"] for r in records if r["date"]), default=None),
        "caveat": CAVEAT,
    }
    if docs:
        pa, pb, text = _pool(docs)
        report = agreement.agreement(pa, pb, text, tokenize)
        m, q, c = report["mentions"], report["quotes"], report["claims"]
        summary["figures"] = {
            "mentions": {"span_f1": m["exact"]["f1"], "label_kappa": m["label_kappa"], "token_alpha": m["token_alpha"]},
            "coreference": {"conll_f1": report["coreference"]["conll_f1"]},
            "quotes": {"span_f1": q["exact"]["f1"], "source_agreement": q["speaker_agreement"]},
            "claims": {
                "span_f1": c["exact"]["f1"],
                "claimant_agreement": c["claimant_agreement"],
                "checkworthiness_kappa": c["checkworthiness_kappa"],
            },
        }
    return summary
