"""Annotations.json from a :class:`~newsanno.convert.record.Record`: the one converter core.

Every importer ends here, so the rules live once:

- ids: a span keeps the id its source gives; the others get the lowest free ``M<n>`` / ``Q<n>`` /
  ``C<n>`` in record order (text order for Label Studio, file order for brat);
- entities: coreference pairs are merged (union-find) into chains whose root is the chain's first
  mention in record order; an entity the record spells out is bound to the chain of its mention
  (and one without a mention is kept as it is); every other chain becomes a new entity ``E<n>``
  named and typed after its first mention;
- quotes and claims take their speaker, claimant, cue and quote from the record's links, and the
  entity of the linked mention unless the record overrides it.

The record must already be consistent (links and coreference between spans of the right layers):
checking that is the parser's job, because only the parser can say where in its file a problem is.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from newsanno.convert.record import ENTITY_OVERRIDES, EntityNote, Record, Span
from newsanno.disjoint import DisjointSets

# Values of attributes a hand-made source may leave out.
DEFAULTS = {"form": "NAM", "kind": "direct", "checkworthiness": "CFS"}
ID_PREFIXES = {"mention": "M", "quote": "Q", "claim": "C"}


def fresh(prefix: str, taken: set[str]) -> str:
    """The lowest ``<prefix><n>`` (n >= 1) not in ``taken``, which then holds it."""
    k = 1
    while f"{prefix}{k}" in taken:
        k += 1
    taken.add(f"{prefix}{k}")
    return f"{prefix}{k}"


def assign_ids(spans: list[Span]) -> list[str | None]:
    """The annotation id of each span, in order (None for cues, which have none)."""
    # Given ids are taken before any fresh one is drawn, so a fresh id never repeats a later given one.
    taken = {s.id for s in spans if s.id is not None}
    ids: list[str | None] = []
    for s in spans:
        if s.id is None and s.layer in ID_PREFIXES:
            ids.append(fresh(ID_PREFIXES[s.layer], taken))
        else:
            ids.append(s.id if s.layer in ID_PREFIXES else None)
    return ids


def chain_roots(pairs: list[tuple[str, str]], items: list[str]) -> dict[str, str]:
    """Each item's chain root after merging ``pairs``; the root is the chain's earliest item."""
    chains = DisjointSets(items)
    for a, b in pairs:
        chains.union(a, b)
    return {i: chains.find(i) for i in items}


def entities_of(notes: list[EntityNote], mentions: list[Span], roots: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The entities (given ones first, then new ones) and the entity id of each mention key."""
    entities = [dict(note.entity) for note in notes]
    entity_of_root = {roots.get(note.mention, note.mention): note.entity["id"] for note in notes if note.mention is not None}
    taken = {e["id"] for e in entities}
    by_key = {m.key: m for m in mentions}
    for m in mentions:
        root = roots[m.key]
        if root not in entity_of_root:
            entity_of_root[root] = fresh("E", taken)
            head = by_key[root]
            entities.append({"id": entity_of_root[root], "name": head.text, "type": head.attrs["label"], "wikidata": None})
    return entities, {m.key: entity_of_root[roots[m.key]] for m in mentions}


def _attr(span: Span, name: str) -> Any:
    return span.attrs.get(name, DEFAULTS[name])


class _Lookup(NamedTuple):
    """What the fields of a quote or claim are looked up in."""

    links: dict[tuple[str, str], str]
    by_key: dict[str, Span]
    id_of: dict[str, str | None]
    entity_of: dict[str, str]


def _linked(span: Span, look: _Lookup) -> dict[str, Any]:
    """The fields of a quote or claim that come from its links."""
    role = "speaker" if span.layer == "quote" else "claimant"
    who = look.links.get((span.key, role))
    fields: dict[str, Any] = {
        f"{role}_mention_id": look.id_of[who] if who else None,
        f"{role}_entity_id": look.entity_of.get(who) if who else None,
    }
    override = ENTITY_OVERRIDES[span.layer]
    if override in span.attrs:
        fields[override] = span.attrs[override]
    if span.layer == "quote":
        cue = look.by_key[look.links[(span.key, "cue")]] if (span.key, "cue") in look.links else None
        fields["cue"] = {"start": cue.start, "end": cue.end, "text": cue.text} if cue else None
    else:
        in_quote = look.links.get((span.key, "in_quote"))
        fields["quote_id"] = look.id_of[in_quote] if in_quote else None
    return fields


def assemble(record: Record, document_id: str) -> dict[str, Any]:
    """The annotations.json object of a record (``jsonio.canonical_dumps`` orders its fields)."""
    ids = assign_ids(record.spans)
    mentions = [s for s in record.spans if s.layer == "mention"]
    entities, entity_of = entities_of(record.entities, mentions, chain_roots(record.coref, [m.key for m in mentions]))
    look = _Lookup(record.links, {s.key: s for s in record.spans}, {s.key: i for s, i in zip(record.spans, ids, strict=True)}, entity_of)
    out: dict[str, list[dict[str, Any]]] = {"mention": [], "quote": [], "claim": []}
    for s, sid in zip(record.spans, ids, strict=True):
        item = {"id": sid, "start": s.start, "end": s.end, "text": s.text}
        if s.layer == "mention":
            item.update(entity_id=entity_of[s.key], label=s.attrs["label"], form=_attr(s, "form"))
        elif s.layer == "quote":
            item.update(kind=_attr(s, "kind"), **_linked(s, look))
        elif s.layer == "claim":
            item.update(checkworthiness=_attr(s, "checkworthiness"), **_linked(s, look))
        if s.layer in out:
            out[s.layer].append(item)
    return {
        "document_id": document_id,
        "entities": entities,
        "mentions": out["mention"],
        "quotes": out["quote"],
        "claims": out["claim"],
        "exceptions": list(record.exceptions),
    }
