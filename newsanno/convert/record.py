"""The neutral record every converter passes through, and the record of a document's annotations.

An importer parses its format (brat, Label Studio) into a :class:`Record` and hands it to
:func:`newsanno.convert.assemble.assemble`, which alone knows how coreference becomes entities and
how ids are given.  An exporter goes the other way: :func:`from_annotations` turns annotations.json
into a Record and the format's writer lays the record out.  So a format module only ever says how
its own lines or JSON map to spans and links.

A record holds, in the order the source gives them (ids are assigned in that order):

- spans: a ``key`` (the format's own handle: brat ``T3``, a Label Studio result id, or the
  annotation id when the record comes from annotations.json), a layer (:data:`LAYERS`), offsets
  and text in code points, attributes (mention: ``label`` and ``form``; quote: ``kind``; claim:
  ``checkworthiness``; plus ``speaker_entity_id`` / ``claimant_entity_id`` when the entity of a
  quote or claim is not the one of its linked mention), and the annotation ``id`` when the source
  names it;
- typed links from a quote or claim to another span (:data:`LINK_ENDS`), keyed by
  (source key, kind);
- coreference pairs of mention keys;
- entities the source spells out, each with the key of one of its mentions (None: no mention);
- accepted lint exceptions;
- the file's provenance (who made it and how), when it records one.
- the highest id number each prefix has used (fresh ids are drawn above it).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, NamedTuple

LAYERS = ("mention", "quote", "cue", "claim")
# Link kind -> (layer of its source, layer of its target).
LINK_ENDS = {
    "speaker": ("quote", "mention"),
    "cue": ("quote", "cue"),
    "claimant": ("claim", "mention"),
    "in_quote": ("claim", "quote"),
}
# Coreference is not a link of a quote or claim: the record keeps it as pairs of mentions.
COREF = "coref"
# The attribute of a quote or claim that overrides the entity of its linked mention.
ENTITY_OVERRIDES = {"quote": "speaker_entity_id", "claim": "claimant_entity_id"}


@dataclass
class Span:
    """One annotated stretch of text in a record."""

    key: str
    layer: str
    start: int
    end: int
    text: str
    attrs: dict[str, Any] = field(default_factory=dict)
    id: str | None = None


class EntityNote(NamedTuple):
    """An entity the source spells out; ``mention`` is the key of one of its mentions, if any."""

    entity: dict[str, Any]
    mention: str | None


@dataclass
class Record:
    """Spans, links, coreference, entities and exceptions of one document, format-neutral."""

    spans: list[Span] = field(default_factory=list)
    links: dict[tuple[str, str], str] = field(default_factory=dict)
    coref: list[tuple[str, str]] = field(default_factory=list)
    entities: list[EntityNote] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    provenance: dict[str, Any] | None = None
    # Id prefix -> the highest number the document ever used: a fresh id is drawn above it.
    id_floor: dict[str, int] = field(default_factory=dict)


def cue_key(cue: dict[str, Any]) -> str:
    """The key of a cue span; quotes sharing a cue share one span.  Ids never hold ``:``."""
    return f"cue:{cue['start']}:{cue['end']}"


def _spans(annotations: dict[str, Any]) -> list[Span]:
    entity_of = {m["id"]: m["entity_id"] for m in annotations["mentions"]}

    def own(item: dict[str, Any], layer: str, **attrs: Any) -> Span:
        return Span(item["id"], layer, item["start"], item["end"], item["text"], attrs, item["id"])

    spans = [own(m, "mention", label=m["label"], form=m["form"]) for m in annotations["mentions"]]
    for q in annotations["quotes"]:
        spans.append(own(q, "quote", kind=q["kind"]))
        if q["speaker_entity_id"] != entity_of.get(q["speaker_mention_id"] or ""):
            spans[-1].attrs["speaker_entity_id"] = q["speaker_entity_id"]
    cues: dict[str, dict[str, Any]] = {}
    for q in annotations["quotes"]:
        if q["cue"] is not None:
            cues.setdefault(cue_key(q["cue"]), q["cue"])
    spans += [Span(k, "cue", c["start"], c["end"], c["text"]) for k, c in cues.items()]
    for c in annotations["claims"]:
        spans.append(own(c, "claim", checkworthiness=c["checkworthiness"]))
        if c["claimant_entity_id"] != entity_of.get(c["claimant_mention_id"] or ""):
            spans[-1].attrs["claimant_entity_id"] = c["claimant_entity_id"]
    return spans


def from_annotations(annotations: dict[str, Any]) -> Record:
    """The record of valid annotations: mentions, quotes, cues (one per distinct span), claims.

    Coreference is written as chains: each mention paired with the next mention of its entity.
    """
    record = Record(spans=_spans(annotations))
    for q in annotations["quotes"]:
        if q["speaker_mention_id"] is not None:
            record.links[(q["id"], "speaker")] = q["speaker_mention_id"]
        if q["cue"] is not None:
            record.links[(q["id"], "cue")] = cue_key(q["cue"])
    for c in annotations["claims"]:
        if c["claimant_mention_id"] is not None:
            record.links[(c["id"], "claimant")] = c["claimant_mention_id"]
        if c["quote_id"] is not None:
            record.links[(c["id"], "in_quote")] = c["quote_id"]
    chains: dict[str, list[str]] = {}
    for m in annotations["mentions"]:
        chains.setdefault(m["entity_id"], []).append(m["id"])
    record.coref = [pair for chain in chains.values() for pair in itertools.pairwise(chain)]
    record.entities = [EntityNote(dict(e), chains[e["id"]][0] if e["id"] in chains else None) for e in annotations["entities"]]
    record.exceptions = [dict(x) for x in annotations.get("exceptions", [])]
    record.provenance = dict(annotations["provenance"]) if annotations.get("provenance") is not None else None
    return record
