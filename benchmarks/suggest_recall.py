"""Recall and precision of ``newsanno suggest``, per suggestion kind, leave-one-out.

Every document is scored on suggestions made without its own annotations being used to make any
rule: the suggester has no learned parameters (its word lists come from ``schema/`` and were not
tuned on these documents), and the only data it reads from the corpus, the names of ``knowledge``,
come from the *other* documents.  Two settings:

- (a) text only: the document's text and the names annotated in every other document;
- (b) names given: as (a), plus the document's own gold names (its ``NAM`` mentions of non-value
  types and their entities), the way a contributor who has marked the names runs ``suggest`` for
  pronouns, nominals, quotes and values.  Nothing else of the gold is given.

Kinds (gold and suggestions compared by span, code-point offsets):

- ``PRO``: a pronoun mention, span and entity right;  ``PRO span``: span only;
- ``NOM``: a nominal, span, label and entity right; ``NOM head``: the same head (same end, label), any extent;
- ``quote speaker``: a quote with exact span whose speaker guess is a mention of the gold speaker's entity
  (recall over every gold quote with a speaker: indirect and mixed quotes are not suggested);
- ``speaker of found quote``: the same, over the quotes found with their exact span only;
- ``values``: DATE, TIME, MONEY, PERCENT, QUANTITY, CARDINAL, ORDINAL mentions, exact span and label;
- ``names``: other NAM mentions, exact span and label (setting (a) only: (b) gives them).

An entity guess is right when the suggested entity and the gold entity share another mention's span
(both singletons also count).  Recall is over gold items of the kind, precision over suggested ones.

Run: PYTHONPATH=$PWD python benchmarks/suggest_recall.py RAW_DIR [DOC_ID_PREFIX ...]
(scores the documents whose id starts with a prefix, all of RAW_DIR being the corpus; no prefix: all).
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsanno import corpus
from newsanno.contribute import suggest
from newsanno.validate import load_document

Span = tuple[int, int]
VALUE_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
KINDS = ("PRO", "PRO span", "NOM", "NOM head", "quote speaker", "speaker of found quote", "values", "names")


def _span(item: dict[str, Any]) -> Span:
    return item["start"], item["end"]


def names_only(gold: dict[str, Any]) -> dict[str, Any]:
    """The gold of setting (b): its names of non-value types and their entities, nothing else."""
    given = copy.deepcopy(gold)
    given["mentions"] = [m for m in gold["mentions"] if m["form"] == "NAM" and m["label"] not in VALUE_LABELS]
    used = {m["entity_id"] for m in given["mentions"]}
    given["entities"] = [e for e in gold["entities"] if e["id"] in used]
    given["quotes"], given["claims"] = [], []
    return given


class Chains:
    """Mention spans per entity, of gold and of suggestions (a suggested entity named like a given gold one joins it)."""

    def __init__(self, gold: dict[str, Any], found: dict[str, Any], given: dict[str, Any] | None) -> None:
        self.gold: dict[str, set[Span]] = {}
        for m in gold["mentions"]:
            self.gold.setdefault(m["entity_id"], set()).add(_span(m))
        self.gold_entity = {_span(m): m["entity_id"] for m in gold["mentions"]}
        self.found: dict[str, set[Span]] = {}
        for m in found["mentions"]:
            self.found.setdefault(m["entity_id"], set()).add(_span(m))
        if given is not None:
            by_name = {(e["name"], e["type"]): e["id"] for e in given["entities"]}
            for e in found["entities"]:
                gid = by_name.get((e["name"], e["type"]))
                if gid is not None:
                    self.found.setdefault(e["id"], set()).update(_span(m) for m in given["mentions"] if m["entity_id"] == gid)
        self.found_entity = {_span(m): m["entity_id"] for m in found["mentions"]}
        if given is not None:
            for m in given["mentions"]:
                for eid, spans in self.found.items():
                    if _span(m) in spans:
                        self.found_entity.setdefault(_span(m), eid)

    def same_entity(self, span: Span, found_entity: str, gold_entity: str) -> bool:
        mine, theirs = self.found.get(found_entity, set()) - {span}, self.gold.get(gold_entity, set()) - {span}
        return bool(mine & theirs) or (not mine and not theirs)


def _pairs(
    gold: list[dict[str, Any]], found: list[dict[str, Any]], same: Callable[[dict[str, Any], dict[str, Any]], bool]
) -> tuple[int, int]:
    return sum(any(same(g, s) for s in found) for g in gold), sum(any(same(g, s) for g in gold) for s in found)


def score(gold: dict[str, Any], found: dict[str, Any], given: dict[str, Any] | None) -> dict[str, tuple[int, int, int, int]]:
    """Per kind: (gold items matched, gold items, suggestions matched, suggestions)."""
    chains = Chains(gold, found, given)
    out = {}

    def linked(g: dict[str, Any], s: dict[str, Any]) -> bool:
        return _span(g) == _span(s) and chains.same_entity(_span(s), s["entity_id"], g["entity_id"])

    def by_form(form: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [m for m in items if m["form"] == form]

    gm, fm = gold["mentions"], found["mentions"]
    rules: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]], Callable[[dict[str, Any], dict[str, Any]], bool]]] = {
        "PRO": (by_form("PRO", gm), by_form("PRO", fm), linked),
        "PRO span": (by_form("PRO", gm), by_form("PRO", fm), lambda g, s: _span(g) == _span(s)),
        "NOM": (by_form("NOM", gm), by_form("NOM", fm), lambda g, s: linked(g, s) and g["label"] == s["label"]),
        "NOM head": (by_form("NOM", gm), by_form("NOM", fm), lambda g, s: g["end"] == s["end"] and g["label"] == s["label"]),
        "values": (
            [m for m in gm if m["label"] in VALUE_LABELS],
            [m for m in fm if m["label"] in VALUE_LABELS],
            lambda g, s: (_span(g), g["label"]) == (_span(s), s["label"]),
        ),
    }
    if given is None:
        rules["names"] = (
            [m for m in gm if m["form"] == "NAM" and m["label"] not in VALUE_LABELS],
            [m for m in fm if m["form"] == "NAM" and m["label"] not in VALUE_LABELS],
            lambda g, s: (_span(g), g["label"]) == (_span(s), s["label"]),
        )
    speaker_span = {m["id"]: _span(m) for m in [*(given or {}).get("mentions", []), *fm]}
    gold_speaker = {m["id"]: m["entity_id"] for m in gm}

    def speaks(g: dict[str, Any], s: dict[str, Any]) -> bool:
        if _span(g) != _span(s) or g["speaker_mention_id"] is None or s["speaker_mention_id"] is None:
            return False
        return speaker_span.get(s["speaker_mention_id"]) in chains.gold.get(gold_speaker.get(g["speaker_mention_id"], ""), set())

    rules["quote speaker"] = ([q for q in gold["quotes"] if q["speaker_mention_id"]], found["quotes"], speaks)
    for kind, (g, s, same) in rules.items():
        hit_gold, hit_found = _pairs(g, s, same)
        out[kind] = (hit_gold, len(g), hit_found, len(s))
    # The speaker guess alone: over the quotes found with their exact span.
    spans = {_span(q) for q in found["quotes"]}
    found_gold = [q for q in gold["quotes"] if q["speaker_mention_id"] and _span(q) in spans]
    guessed = [q for q in found["quotes"] if q["speaker_mention_id"] and any(_span(g) == _span(q) for g in found_gold)]
    right = sum(any(speaks(g, s) for s in found["quotes"]) for g in found_gold)
    out["speaker of found quote"] = (right, len(found_gold), right, len(guessed))
    return out


def measure(raw: Path, prefixes: tuple[str, ...] = ()) -> list[str]:
    """A table of recall and precision per setting and kind, summed over the scored documents."""
    docs = [d for d in (load_document(f)[0] for f in corpus.discover(raw)[0]) if d is not None]
    scored = [d for d in docs if not prefixes or d.id.startswith(tuple(prefixes))]
    totals: dict[tuple[str, str], list[int]] = {}
    for doc in scored:
        names = suggest.knowledge([d.annotations for d in docs if d.id != doc.id])
        gold = dict(doc.annotations)
        for setting, given in (("(a) text only", None), ("(b) names given", names_only(gold))):
            found = suggest.suggest(doc.id, doc.text, names, given)  # type: ignore[arg-type]
            for kind, row in score(gold, found, given).items():
                total = totals.setdefault((setting, kind), [0, 0, 0, 0])
                for i, n in enumerate(row):
                    total[i] += n
    lines = [
        f"{len(scored)} document(s) scored ({', '.join(prefixes) or 'all'}), knowledge from the other {len(docs) - 1} of {raw}",
        "",
        "| setting | kind | recall | precision |",
        "|---|---|---|---|",
    ]
    order = {k: i for i, k in enumerate(KINDS)}
    for (setting, kind), (hg, ng, hf, nf) in sorted(totals.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        recall = f"{hg}/{ng} = {hg / ng:.1%}" if ng else "-"
        precision = f"{hf}/{nf} = {hf / nf:.1%}" if nf else "- (none suggested)"
        lines.append(f"| {setting} | {kind} | {recall} | {precision} |")
    return lines


if __name__ == "__main__":
    print("\n".join(measure(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("raw"), tuple(sys.argv[2:]))))
