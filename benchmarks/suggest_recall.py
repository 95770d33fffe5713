"""How many of a document's gold mentions and quotes ``newsanno suggest`` would have found if it were new.

For each document of the corpus, suggestions are made without its own annotations, from
(a) leave-one-out knowledge: the names of every *other* document (with a one-document corpus
that is nothing, so these are the text-only suggestions), and (b) the document's own names as
knowledge, an upper bound on what the corpus could contribute.  Suggestions are scored against
gold: recall and precision with exact span match (for mentions, also span and label) and with
any overlap.

Run: PYTHONPATH=$PWD python benchmarks/suggest_recall.py [RAW_DIR]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsanno import corpus
from newsanno.contribute import suggest
from newsanno.validate import load_document

Span = tuple[int, int]


def _score(
    gold: list[dict[str, Any]], found: list[dict[str, Any]], same: Callable[[dict[str, Any], dict[str, Any]], bool]
) -> tuple[int, int]:
    """(gold items matched by some suggestion, suggestions matching some gold item)."""
    hit_gold = sum(any(same(g, s) for s in found) for g in gold)
    hit_found = sum(any(same(g, s) for g in gold) for s in found)
    return hit_gold, hit_found


def exact(g: dict[str, Any], s: dict[str, Any]) -> bool:
    return (g["start"], g["end"]) == (s["start"], s["end"])


def exact_label(g: dict[str, Any], s: dict[str, Any]) -> bool:
    return exact(g, s) and g["label"] == s["label"]


def overlap(g: dict[str, Any], s: dict[str, Any]) -> bool:
    return g["start"] < s["end"] and s["start"] < g["end"]


def measure(raw: Path) -> list[str]:
    """One table row per (setting, layer, match rule), summed over the corpus."""
    docs = []
    for folder in corpus.discover(raw)[0]:
        document, _ = load_document(folder)
        if document is not None:
            docs.append(document)
    totals: dict[tuple[str, str, str], list[int]] = {}
    for doc in docs:
        others = [d.annotations for d in docs if d.id != doc.id]
        for setting, names in (("(a) leave-one-out", suggest.knowledge(others)), ("(b) own names", suggest.knowledge([doc.annotations]))):
            found = suggest.suggest(doc.id, doc.text, names)
            for layer, rules in (("mentions", (("exact span+label", exact_label), ("exact span", exact), ("overlap", overlap))),
                                 ("quotes", (("exact span", exact), ("overlap", overlap)))):  # fmt: skip
                gold, got = doc.annotations[layer], found[layer]  # type: ignore[literal-required]
                for rule, same in rules:
                    hit_gold, hit_found = _score(gold, got, same)
                    row = totals.setdefault((setting, layer, rule), [0, 0, 0, 0])
                    for i, n in enumerate((hit_gold, len(gold), hit_found, len(got))):
                        row[i] += n
    lines = [
        f"{len(docs)} document(s) in {raw}",
        *speakers(docs),
        "",
        "| setting | layer | match | recall | precision |",
        "|---|---|---|---|---|",
    ]
    for (setting, layer, rule), (hg, ng, hf, nf) in totals.items():
        recall = f"{hg}/{ng} = {hg / ng:.1%}" if ng else "-"
        precision = f"{hf}/{nf} = {hf / nf:.1%}" if nf else "- (none suggested)"
        lines.append(f"| {setting} | {layer} | {rule} | {recall} | {precision} |")
    return lines


def speakers(docs: list[Any]) -> list[str]:
    """Of the quotes found with their exact span, how many got the gold speaker's span as speaker guess."""
    lines = []
    for setting, own in (("(a) leave-one-out", False), ("(b) own names", True)):
        right = matched = 0
        for doc in docs:
            names = suggest.knowledge([doc.annotations] if own else [d.annotations for d in docs if d.id != doc.id])
            found = suggest.suggest(doc.id, doc.text, names)
            spans = {m["id"]: (m["start"], m["end"]) for m in [*doc.annotations["mentions"], *found["mentions"]]}
            for g in doc.annotations["quotes"]:
                s = next((q for q in found["quotes"] if exact(g, q)), None)
                if s is not None:
                    matched += 1
                    right += spans.get(g["speaker_mention_id"] or "", "gold") == spans.get(s["speaker_mention_id"] or "", "none")
        lines.append(f"{setting}: speaker guess right for {right} of {matched} exactly found quotes")
    return lines


if __name__ == "__main__":
    print("\n".join(measure(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("raw"))))
