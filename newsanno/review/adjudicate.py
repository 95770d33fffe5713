"""Adjudication of two annotations of one document: their disagreements as items, and the record.

Annotation ids are local to a file, so A and B are compared by character spans (as in
:mod:`newsanno.review.agreement`): what both annotated alike goes through, and every difference
becomes one :class:`Item` that a person decides -- ``keep_a``, ``keep_b`` or ``edit`` (with a
replacement value) -- in the record ``adjudication.json`` (schema/adjudication.schema.json).

Each side of an item is given in a *portable* form that names other annotations by their
spans, never by ids: a mention is ``{start, end, text, label, form}``; a referent (speaker,
claimant) is ``{"mention": [start, end] | null, "entity": [start, end] | null}``, the entity
being named by its first mention; a coreference item lists clusters as ``[start, end, text]``
triples.  :func:`newsanno.review.adjudication_merge.merge` turns the decided record back into ids.

An item's id is its class and A's span (B's, for what only B has), e.g.
``claim.checkworthiness@1200-1264``: stable as long as the annotations do not change, so a
record can be updated without losing decisions.

A record names its inputs -- A's and B's file names and sha256 digests -- and is only ever
updated from those inputs: A and B swapped (by name or by content), or another file (the merged
gold) given as A, is refused by :func:`input_problems` before anything is rewritten, since an
update from the wrong inputs would reopen or drop every decision.  Records made before the
digests were kept are read as they are and get them on their next write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newsanno.disjoint import DisjointSets
from newsanno.model import Annotations
from newsanno.problems import Problem

Span = tuple[int, int]
DECISIONS = ("keep_a", "keep_b", "edit")
RECORD_VERSION = 1


@dataclass(frozen=True)
class Item:
    """One disagreement between A and B, to be decided."""

    id: str
    layer: str
    cls: str
    start: int
    end: int
    text: str
    a: Any
    b: Any

    def to_dict(self) -> dict[str, Any]:
        """The item as stored in the record (without its decision)."""
        return {
            "id": self.id,
            "layer": self.layer,
            "class": self.cls,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "a": self.a,
            "b": self.b,
        }


def _span(x: dict[str, Any]) -> Span:
    return (x["start"], x["end"])


def _spanned(x: dict[str, Any]) -> dict[str, Any]:
    """The fields every portable form starts with: where the annotation is, and its text."""
    return {"start": x["start"], "end": x["end"], "text": x["text"]}


class View:
    """One annotation file seen through spans: portable forms of its mentions, quotes and claims."""

    def __init__(self, ann: Annotations) -> None:
        self.ann = ann
        self.mention_span = {m["id"]: _span(m) for m in ann["mentions"]}
        self.entity_span: dict[str, Span] = {}
        self.entity_of: dict[Span, str] = {}
        for m in sorted(ann["mentions"], key=_span):
            self.entity_span.setdefault(m["entity_id"], _span(m))
            self.entity_of.setdefault(_span(m), m["entity_id"])
        self.quote_span = {q["id"]: _span(q) for q in ann["quotes"]}
        self.mentions = {_span(m): self.mention(m) for m in ann["mentions"]}
        self.quotes = {_span(q): self.quote(q) for q in ann["quotes"]}
        self.claims = {_span(c): self.claim(c) for c in ann["claims"]}

    def referent(self, entity_id: str | None, mention_id: str | None) -> dict[str, Any] | None:
        """A speaker or claimant by spans; None for no referent (the author, or no named source)."""
        if entity_id is None and mention_id is None:
            return None
        mention = self.mention_span.get(mention_id) if mention_id else None
        entity = self.entity_span.get(entity_id) if entity_id else None
        return {"mention": list(mention) if mention else None, "entity": list(entity) if entity else None}

    def mention(self, m: dict[str, Any]) -> dict[str, Any]:
        return {**_spanned(m), "label": m["label"], "form": m["form"]}

    def quote(self, q: dict[str, Any]) -> dict[str, Any]:
        return {
            **_spanned(q),
            "kind": q["kind"],
            "speaker": self.referent(q["speaker_entity_id"], q["speaker_mention_id"]),
            "cue": q["cue"],
        }

    def claim(self, c: dict[str, Any]) -> dict[str, Any]:
        quote = self.quote_span.get(c["quote_id"]) if c["quote_id"] else None
        return {
            **_spanned(c),
            "checkworthiness": c["checkworthiness"],
            "claimant": self.referent(c["claimant_entity_id"], c["claimant_mention_id"]),
            "quote": list(quote) if quote else None,
        }


def same_referent(x: dict[str, Any] | None, y: dict[str, Any] | None) -> bool:
    """Two referents agree when equal, or when both name the same mention (whatever its entity's first mention)."""
    return x == y or (x is not None and y is not None and x["mention"] is not None and x["mention"] == y["mention"])


def _equal(x: Any, y: Any) -> bool:
    return bool(x == y)


# Per layer: its prefix (class names) and the attributes compared on exactly matched spans.
ATTRIBUTES: dict[str, tuple[str, dict[str, Callable[[Any, Any], bool]]]] = {
    "mentions": ("mention", {"label": _equal, "form": _equal}),
    "quotes": ("quote", {"kind": _equal, "speaker": same_referent, "cue": _equal}),
    "claims": ("claim", {"checkworthiness": _equal, "claimant": same_referent, "quote": _equal}),
}


def _overlaps(x: Span, y: Span) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def span_pairs(only_a: list[Span], only_b: list[Span]) -> list[tuple[Span, Span]]:
    """Unmatched spans of A and B that overlap, paired one to one in text order: each span of A
    (sorted) with the first span of B (sorted) that overlaps it and is not paired yet.

    One pass over both: a span of B that ends before the current span of A starts overlaps no
    later one either, and is passed for good; the first one left either overlaps or starts
    after it ends, as do all behind it.
    """
    pairs, i = [], 0
    for sa in only_a:
        while i < len(only_b) and only_b[i][1] <= sa[0]:
            i += 1
        if i < len(only_b) and _overlaps(sa, only_b[i]):
            pairs.append((sa, only_b[i]))
            i += 1
    return pairs


def _item(layer: str, cls: str, span: Span, text: str, a: Any, b: Any) -> Item:
    return Item(f"{cls}@{span[0]}-{span[1]}", layer, cls, span[0], span[1], text, a, b)


def layer_items(layer: str, by_a: dict[Span, dict[str, Any]], by_b: dict[Span, dict[str, Any]]) -> list[Item]:
    """The disagreements of one span layer: attributes of matched spans, overlapping and unmatched spans."""
    prefix, attrs = ATTRIBUTES[layer]
    items = []
    for s in sorted(by_a.keys() & by_b.keys()):
        x, y = by_a[s], by_b[s]
        items += [_item(layer, f"{prefix}.{k}", s, x["text"], x[k], y[k]) for k, same in attrs.items() if not same(x[k], y[k])]
    only_a, only_b = sorted(by_a.keys() - by_b.keys()), sorted(by_b.keys() - by_a.keys())
    pairs = span_pairs(only_a, only_b)
    items += [_item(layer, f"{prefix}.span", sa, by_a[sa]["text"], by_a[sa], by_b[sb]) for sa, sb in pairs]
    paired_a, paired_b = {sa for sa, _ in pairs}, {sb for _, sb in pairs}
    items += [_item(layer, f"{prefix}.only_a", s, by_a[s]["text"], by_a[s], None) for s in only_a if s not in paired_a]
    items += [_item(layer, f"{prefix}.only_b", s, by_b[s]["text"], None, by_b[s]) for s in only_b if s not in paired_b]
    return items


def components(va: View, vb: View) -> list[tuple[list[Span], list[list[Span]], list[list[Span]]]]:
    """Mention spans both annotated, grouped where either side links them: (spans, A's clusters, B's clusters).

    A component is the smallest set of shared spans that neither A's nor B's entities link
    outside it, so deciding one component never changes another.
    """
    common = sorted(va.mentions.keys() & vb.mentions.keys())
    linked = DisjointSets(common)
    for view in (va, vb):
        first: dict[str, Span] = {}
        for s in common:
            linked.union(first.setdefault(view.entity_of[s], s), s)
    groups = {spans[0]: spans for spans in linked.groups()}
    out = []
    for spans in groups.values():
        out.append((spans, partition(spans, va), partition(spans, vb)))
    return sorted(out)


def partition(spans: list[Span], view: View) -> list[list[Span]]:
    """``spans`` grouped by their entity in ``view``, each group and the list in text order."""
    groups: dict[str, list[Span]] = defaultdict(list)
    for s in spans:
        groups[view.entity_of[s]].append(s)
    return sorted(sorted(g) for g in groups.values())


def _clusters_value(clusters: list[list[Span]], view: View) -> list[list[list[Any]]]:
    return [[[s[0], s[1], view.mentions[s]["text"]] for s in group] for group in clusters]


def coref_items(va: View, vb: View) -> list[Item]:
    """One ``coref.entity`` item per component whose clustering A and B do not share."""
    items = []
    for spans, pa, pb in components(va, vb):
        if pa != pb:
            first = spans[0]
            items.append(
                _item("coreference", "coref.entity", first, va.mentions[first]["text"], _clusters_value(pa, va), _clusters_value(pb, vb))
            )
    return items


def disagreements(a: Annotations, b: Annotations) -> list[Item]:
    """Every disagreement between A and B, in layer order then text order; agreements are left out."""
    va, vb = View(a), View(b)
    items = layer_items("mentions", va.mentions, vb.mentions)
    items += coref_items(va, vb)
    items += layer_items("quotes", va.quotes, vb.quotes)
    items += layer_items("claims", va.claims, vb.claims)
    order = {"mentions": 0, "coreference": 1, "quotes": 2, "claims": 3}
    return sorted(items, key=lambda i: (order[i.layer], i.start, i.end, i.cls))


def new_record(document_id: str, a_name: str, b_name: str) -> dict[str, Any]:
    """An empty record: no date, no items."""
    return {"version": RECORD_VERSION, "document_id": document_id, "a": a_name, "b": b_name, "date": None, "items": []}


def input_problems(record: dict[str, Any], given: dict[str, tuple[str, str]], shown: str) -> list[Problem]:
    """Why ``record`` must not be updated from the inputs ``given`` (side -> (file name, sha256)).

    The names must be the record's; and where the record keeps digests, neither input may be
    the other side's file as the record last saw it (a swap made by copying, not renaming).
    """
    names = {side: record[side] for side in ("a", "b")}
    if names != {side: name for side, (name, _) in given.items()}:
        swapped = {side: name for side, (name, _) in given.items()} == {"a": names["b"], "b": names["a"]}
        why = "A and B are swapped" if swapped else "these are not its inputs"
        message = (
            f"records A={names['a']} and B={names['b']}, given A={given['a'][0]} and B={given['b'][0]}: {why}; "
            "updating it would drop its decisions"
        )
        return [Problem(shown, message, "adjudication.inputs", pointer="/a", hint=f"run: newsanno adjudicate {names['a']} {names['b']}")]
    digests = {side: record.get(f"{side}_sha256") for side in ("a", "b")}
    for side, other in (("a", "b"), ("b", "a")):
        digest = given[side][1]
        if digests[other] is not None and digest == digests[other] and digest != digests[side]:
            message = f"the file given as {side.upper()} ({given[side][0]}) holds what the record adjudicated as {other.upper()}: A and B are swapped"
            return [
                Problem(shown, message, "adjudication.inputs", pointer=f"/{side}_sha256", hint="give the record's A and B in its order")
            ]
    return []


def stamp(record: dict[str, Any], given: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """The record naming ``given`` (side -> (file name, sha256)) as the inputs it was last updated from."""
    return {**record, **{f"{side}_sha256": digest for side, (_, digest) in given.items()}}


def update_record(record: dict[str, Any], items: list[Item]) -> tuple[dict[str, Any], list[str]]:
    """The record for today's ``items``: decisions kept where A's and B's versions are unchanged.

    Returns the new record and the ids of decided items that were reopened (their versions
    changed) or dropped (no longer a disagreement).
    """
    old = {x["id"]: x for x in record.get("items", [])}
    out, notes = [], []
    for item in items:
        entry = {**item.to_dict(), "decision": None, "reason": None}
        prev = old.pop(item.id, None)
        if prev is not None and prev.get("decision") is not None:
            if prev["a"] == item.a and prev["b"] == item.b:
                entry.update({k: prev[k] for k in ("decision", "value", "reason") if k in prev})
            else:
                notes.append(f"{item.id}: reopened, A's or B's version changed since it was decided")
        out.append(entry)
    notes += [f"{i}: dropped, no longer a disagreement" for i, x in old.items() if x.get("decision") is not None]
    return {**record, "items": out}, notes


def open_items(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The items of a record that have no decision yet."""
    return [x for x in record["items"] if x.get("decision") is None]


def decided_side(entry: dict[str, Any]) -> str:
    """Whose version a decided record entry keeps: ``"a"``, ``"b"``, or ``"edit"`` (its own value)."""
    return {"keep_a": "a", "keep_b": "b", "edit": "edit"}[entry["decision"]]


def chosen(entry: dict[str, Any]) -> Any:
    """The value a decided record entry settles on: A's, B's or the edited one."""
    side = decided_side(entry)
    return entry["value"] if side == "edit" else entry[side]
