"""Applying a decided adjudication record: A and B plus decisions become one annotation.

Ids: whatever comes from A keeps A's id (so the gold's ids, and every diff against it, stay
stable); what only B contributes gets the next free id of its kind.  Coreference: spans both
annotated are clustered as their component was decided (:func:`newsanno.review.adjudicate.components`);
a span only one side has joins its own side's entity, through mates whose clustering that
side also won.  Output lists are in text order (an enclosing span before what it encloses); entities in
A's order, then B's new ones in order of first mention.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from newsanno.disjoint import DisjointSets
from newsanno.model import Annotations
from newsanno.review.adjudicate import ATTRIBUTES, Span, View, chosen, components, decided_side, disagreements

# span -> (portable value, side it comes from: "a", "b" or "both", its span on that side, and
# the span of A's item it replaces, if any: a B version that wins over an overlapping A one
# takes over A's ids, so the gold's ids stay put)
Decided = dict[Span, tuple[dict[str, Any], str, Span, Span | None]]


def text_order(span: Span) -> tuple[int, int]:
    """Sort key of spans as the gold lists them: by start, an enclosing span before what it encloses."""
    return (span[0], -span[1])


def _key(span: Span) -> str:
    return f"{span[0]}-{span[1]}"


def _decide(layer: str, va: View, vb: View, entries: dict[str, dict[str, Any]]) -> Decided:
    """The merged items of one span layer with where each came from."""
    by_a: dict[Span, dict[str, Any]] = getattr(va, layer)
    by_b: dict[Span, dict[str, Any]] = getattr(vb, layer)
    prefix, attrs = ATTRIBUTES[layer]
    out: Decided = {}
    for s in sorted(by_a.keys() & by_b.keys()):
        value = dict(by_a[s])
        for k in attrs:
            entry = entries.get(f"{prefix}.{k}@{_key(s)}")
            if entry is not None:
                value[k] = chosen(entry)
        out[s] = (value, "both", s, s)
    for entry in entries.values():
        if entry["layer"] != layer or entry["class"].split(".")[1] not in ("span", "only_a", "only_b"):
            continue
        value = chosen(entry)
        if value is None:
            continue
        side = decided_side(entry)
        if side == "edit":  # an edited span stands where the side it was edited from stood
            side = "a" if entry["a"] is not None else "b"
        twin = (entry["a"]["start"], entry["a"]["end"]) if entry["a"] is not None else None
        out[(value["start"], value["end"])] = (value, side, (entry[side]["start"], entry[side]["end"]), twin)
    return dict(sorted(out.items(), key=lambda kv: text_order(kv[0])))


def _cluster(mentions: Decided, va: View, vb: View, entries: dict[str, dict[str, Any]]) -> list[list[Span]]:
    uf: DisjointSets[Span] = DisjointSets(list(mentions))
    won = shared_clusters(uf, mentions, va, vb, entries)
    _join_kept(uf, won, mentions, va, vb)
    return sorted((sorted(g, key=text_order) for g in uf.groups()), key=lambda g: text_order(g[0]))


def shared_clusters(uf: DisjointSets[Span], mentions: Decided, va: View, vb: View, entries: dict[str, dict[str, Any]]) -> dict[Span, str]:
    """Union the shared mentions as each component's clustering was decided; returns whose it followed per span."""
    won: dict[Span, str] = {}  # shared span -> whose clustering it follows
    for spans, pa, _ in components(va, vb):
        entry = entries.get(f"coref.entity@{_key(spans[0])}")
        clusters, side = pa, "both"
        if entry is not None:
            clusters = [[(x[0], x[1]) for x in group] for group in chosen(entry)]
            side = decided_side(entry)
        for group in clusters:
            kept = [s for s in group if s in mentions]
            for s in kept[1:]:
                uf.union(s, kept[0])
        won.update(dict.fromkeys(spans, side))
    return won


def _join_kept(uf: DisjointSets[Span], won: dict[Span, str], mentions: Decided, va: View, vb: View) -> None:
    merged_at = {(side, orig): s for s, (_, side, orig, _) in mentions.items()}
    # A mention only one side kept joins its entity's other mentions on that side: each one
    # placed in the merge (shared, or kept from that side), preferring those whose clustering
    # that side won.  Per (side, entity), the placed mentions are listed once with the mention
    # of that side they stand for (their origin); a mention joins all of them but those of its own
    # origin -- done with chain links and bridges, linear in the entity's size, not quadratic.
    members: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for side, view in (("a", va), ("b", vb)):
        for t in view.mentions:
            members[side, view.entity_of[t]].append(t)
    joining: dict[tuple[str, str], list[tuple[Span, Span]]] = defaultdict(list)  # (side, entity) -> [(merged span, origin)]
    for s, (_, side, orig, _) in mentions.items():
        if side != "both":
            joining[side, (va if side == "a" else vb).entity_of[orig]].append((s, orig))
    for (side, entity), joiners in joining.items():
        mates = members[side, entity]
        placed = [(t, t) for t in mates if t in won and t in mentions] + [(merged_at[side, t], t) for t in mates if (side, t) in merged_at]
        good = [(t, o) for t, o in placed if t not in won or won[t] in (side, "both")]
        _join_all_but_own(uf, joiners, good, placed)


def _join_all_but_own(
    uf: DisjointSets[Span], joiners: list[tuple[Span, Span]], good: list[tuple[Span, Span]], placed: list[tuple[Span, Span]]
) -> None:
    """Union each joiner ``(s, origin)`` with every span of ``good`` whose origin is not its own
    (or, when there is none, with the first such span of ``placed``), in time linear in the lists.

    Linking ``s`` to the first span of good-without-its-origin and that sublist into one chain
    connects exactly what linking ``s`` to each of them does.  A chain link between neighbours
    of ``good`` is valid for every joiner of another origin than the two it touches; where a
    joiner's own origin is left out, a bridge links the spans either side of the gap.
    """
    origins = {o for _, o in joiners}
    for j in range(len(good) - 1):
        touched = {good[j][1], good[j + 1][1]}
        if not origins <= touched:  # some joiner has neither origin: the link is in its chain
            uf.union(good[j][0], good[j + 1][0])
    at: dict[Span, list[int]] = defaultdict(list)
    for i, (_, o) in enumerate(good):
        at[o].append(i)
    for s, own in joiners:
        gaps = at.get(own, [])
        first = next((t for t, o in good[:3] if o != own), None) if len(gaps) < 3 else next((t for t, o in good if o != own), None)
        if first is None:
            first = next((t for t, o in placed if o != own), None)
            if first is not None:
                uf.union(s, first)
            continue
        uf.union(s, first)
        # Bridges over each run of the joiner's own origin, between the spans either side of it.
        i = 0
        while i < len(gaps):
            k = i
            while k + 1 < len(gaps) and gaps[k + 1] == gaps[k] + 1:
                k += 1
            left, right = gaps[i] - 1, gaps[k] + 1
            if left >= 0 and right < len(good):
                uf.union(good[left][0], good[right][0])
            i = k + 1


def _fresh(prefix: str, used: set[str]) -> Iterator[str]:
    n = 0
    while True:
        n += 1
        if f"{prefix}{n}" not in used:
            yield f"{prefix}{n}"


def _ids(a: Annotations, layer: str, decided: Decided, prefix: str) -> dict[Span, str]:
    """A's id for what comes from A (or both), a fresh one otherwise."""
    at_a = {(x["start"], x["end"]): x["id"] for x in a[layer]}  # type: ignore[literal-required]
    fresh = _fresh(prefix, {x["id"] for x in a[layer]})  # type: ignore[literal-required]
    return {s: at_a[twin] if twin in at_a else next(fresh) for s, (_, _, _, twin) in decided.items()}


def _entities(a: Annotations, b: Annotations, groups: list[list[Span]], mentions: Decided) -> dict[Span, dict[str, Any]]:
    """The entity record of each cluster, keyed by each of its spans."""
    va_entity = {(m["start"], m["end"]): m["entity_id"] for m in a["mentions"]}
    vb_entity = {(m["start"], m["end"]): m["entity_id"] for m in b["mentions"]}
    ents_a, ents_b = {x["id"]: x for x in a["entities"]}, {x["id"]: x for x in b["entities"]}
    fresh = _fresh("E", set(ents_a))
    used: set[str] = set()
    out = {}
    for group in groups:
        from_a = [va_entity[twin] for s in group for twin in [mentions[s][3]] if twin in va_entity]
        eid = next((e for e in from_a if e not in used), None)
        if eid is not None:
            base = ents_a[eid]
        else:
            _, side, orig, _ = mentions[group[0]]
            base = ents_a[va_entity[orig]] if side != "b" and orig in va_entity else ents_b[vb_entity[orig]]
            eid = next(fresh)
        used.add(eid)
        texts = [mentions[s][0]["text"] for s in group]
        # The name must be the text of a mention (1.4); when the winning span changed it, take the longest.
        name = base["name"] if base["name"] in texts else max(texts, key=len)
        record = {"id": eid, "name": name, "type": mentions[group[0]][0]["label"], "wikidata": base["wikidata"]}
        out.update(dict.fromkeys(group, record))
    return out


def apply(a: Annotations, b: Annotations, entries: dict[str, dict[str, Any]]) -> tuple[Annotations | None, list[str]]:
    """The merged annotation of A, B and the decided ``entries`` (by item id); or None and problems."""
    va, vb = View(a), View(b)
    mentions = _decide("mentions", va, vb, entries)
    entity = _entities(a, b, _cluster(mentions, va, vb, entries), mentions)
    mention_id = _ids(a, "mentions", mentions, "M")
    problems: list[str] = []

    def referent(ref: dict[str, Any] | None, where: str) -> tuple[str | None, str | None]:
        if ref is None:
            return None, None
        at = ref["mention"] or ref["entity"]
        if at is None or tuple(at) not in mentions:
            problems.append(f"{where}: refers to a mention at {at} that the merged annotation does not have")
            return None, None
        return entity[tuple(at)]["id"], mention_id[tuple(at)] if ref["mention"] else None  # type: ignore[index]

    out_mentions = [
        {"id": mention_id[s], "entity_id": entity[s]["id"], **{k: v[k] for k in ("start", "end", "text", "label", "form")}}
        for s, (v, *_) in mentions.items()
    ]
    # A's entities keep A's order (so keeping A reproduces A); B's new ones follow in text order.
    rank = {x["id"]: i for i, x in enumerate(a["entities"])}
    seen: dict[str, dict[str, Any]] = {}
    for s in mentions:
        seen.setdefault(entity[s]["id"], entity[s])
    seen = dict(sorted(seen.items(), key=lambda kv: rank.get(kv[0], len(rank))))
    quotes = _decide("quotes", va, vb, entries)
    quote_id = _ids(a, "quotes", quotes, "Q")
    out_quotes = []
    for s, (v, *_) in quotes.items():
        ent, men = referent(v["speaker"], f"quote {v['text']!r}")
        out_quotes.append(
            {
                "id": quote_id[s],
                **{k: v[k] for k in ("start", "end", "text", "kind")},
                "speaker_mention_id": men,
                "speaker_entity_id": ent,
                "cue": v["cue"],
            }
        )
    claims = _decide("claims", va, vb, entries)
    claim_id = _ids(a, "claims", claims, "C")
    out_claims = []
    for s, (v, *_) in claims.items():
        ent, men = referent(v["claimant"], f"claim {v['text']!r}")
        qid = quote_id.get(tuple(v["quote"])) if v["quote"] else None  # type: ignore[arg-type]
        if v["quote"] and qid is None:
            problems.append(f"claim {v['text']!r}: its quote at {v['quote']} is not in the merged annotation")
        out_claims.append(
            {
                "id": claim_id[s],
                **{k: v[k] for k in ("start", "end", "text")},
                "claimant_entity_id": ent,
                "claimant_mention_id": men,
                "checkworthiness": v["checkworthiness"],
                "quote_id": qid,
            }
        )
    ids = set(mention_id.values()) | set(quote_id.values()) | set(claim_id.values()) | set(seen)
    exceptions = [x for x in a["exceptions"] if x["annotation_id"] is None or x["annotation_id"] in ids]
    merged = {
        "document_id": a["document_id"],
        "entities": list(seen.values()),
        "mentions": out_mentions,
        "quotes": out_quotes,
        "claims": out_claims,
        "exceptions": exceptions,
    }
    return (None, problems) if problems else (merged, [])  # type: ignore[return-value]


def merge(a: Annotations, b: Annotations, record: dict[str, Any], shown: str = "adjudication.json") -> tuple[Annotations | None, list[str]]:
    """The adjudicated annotation, or None and one line per item that is open or out of date.

    See :func:`apply` for how decisions become annotations.
    """
    items = disagreements(a, b)
    entries = {x["id"]: x for x in record.get("items", [])}
    lines = []
    for item in items:
        entry = entries.get(item.id)
        if entry is None or entry.get("decision") is None:
            lines.append(f"{shown}: {item.id} {item.cls} {item.text!r}: open, no decision")
        elif entry["a"] != item.a or entry["b"] != item.b:
            lines.append(f"{shown}: {item.id} {item.cls} {item.text!r}: decided on other versions; rerun adjudicate")
    if lines:
        return None, lines
    return apply(a, b, {i.id: entries[i.id] for i in items})
