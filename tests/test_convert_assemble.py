"""The converter core on its own: a Record in, annotations.json out (and back through from_annotations)."""

from __future__ import annotations

import json

from conftest import ROOT, SEED_ID, alpha

from newsanno import schema
from newsanno.convert.assemble import assemble, assign_ids, chain_roots
from newsanno.convert.record import EntityNote, Record, Span, from_annotations
from newsanno.jsonio import canonical_dumps

TEXT = "Ann Lee met Bo Park. She said Park lied. Lee agreed.\n"


def mention(key: str, needle: str, label: str = "PERSON", nth: int = 0, **attrs: str) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return Span(key, "mention", start, start + len(needle), needle, {"label": label, **attrs})


def people() -> list[Span]:
    """Ann Lee, Bo Park, She, Park, Lee: in text order, keys named like a Label Studio export."""
    return [
        mention("a", "Ann Lee"),
        mention("b", "Bo Park"),
        mention("c", "She", form="PRO"),
        mention("d", "Park", nth=1),
        mention("e", "Lee", nth=1),
    ]


def test_union_find_merges_transitively_and_roots_at_the_first_item() -> None:
    roots = chain_roots([("e", "c"), ("c", "a"), ("d", "b")], ["a", "b", "c", "d", "e"])
    assert roots == {"a": "a", "b": "b", "c": "a", "d": "b", "e": "a"}
    # The pair order does not matter: the earliest item still names the chain.
    assert chain_roots([("c", "e"), ("a", "c")], ["a", "b", "c", "d", "e"]) == {"a": "a", "b": "b", "c": "a", "d": "d", "e": "a"}


def test_ids_follow_record_order_and_skip_given_ids() -> None:
    spans = people()
    assert assign_ids(spans) == ["M1", "M2", "M3", "M4", "M5"]
    spans[0].id, spans[3].id = "M2", "M9"
    quote = Span("q", "quote", 21, 39, "She said Park lied")
    cue = Span("k", "cue", 25, 29, "said")
    assert assign_ids([*spans, quote, cue]) == ["M2", "M1", "M3", "M9", "M4", "Q1", None]


def test_chains_become_entities_named_after_their_first_mention() -> None:
    record = Record(spans=people(), coref=[("e", "c"), ("c", "a"), ("d", "b")])
    out = assemble(record, "doc")
    assert out["entities"] == [
        {"id": "E1", "name": "Ann Lee", "type": "PERSON", "wikidata": None},
        {"id": "E2", "name": "Bo Park", "type": "PERSON", "wikidata": None},
    ]
    assert [m["entity_id"] for m in out["mentions"]] == ["E1", "E2", "E1", "E2", "E1"]
    assert [m["form"] for m in out["mentions"]] == ["NAM", "NAM", "PRO", "NAM", "NAM"]
    assert out["quotes"] == [] and out["claims"] == [] and out["exceptions"] == []


def test_given_entities_bind_to_their_chain_and_mentionless_ones_are_kept() -> None:
    park = {"id": "E1", "name": "Bo Park", "type": "PERSON", "wikidata": "Q1"}
    ghost = {"id": "E3", "name": "Nobody", "type": "ORG", "wikidata": None}
    # The note names Park's second mention: the whole chain takes the entity.
    record = Record(spans=people(), coref=[("d", "b"), ("c", "a")], entities=[EntityNote(park, "d"), EntityNote(ghost, None)])
    out = assemble(record, "doc")
    assert [e["id"] for e in out["entities"]] == ["E1", "E3", "E2", "E4"]  # given first, then fresh ids skipping given ones
    assert out["entities"][1] == ghost
    assert [m["entity_id"] for m in out["mentions"]] == ["E2", "E1", "E2", "E1", "E4"]


def test_links_give_speaker_cue_claimant_and_entity_overrides() -> None:
    spans = people()
    quote = Span("q", "quote", 21, 39, "She said Park lied", {"kind": "indirect"})
    cue = Span("k", "cue", 25, 29, "said")
    claim = Span("x", "claim", 30, 39, "Park lied", {"checkworthiness": "UFS", "claimant_entity_id": None})
    links = {("q", "speaker"): "c", ("q", "cue"): "k", ("x", "claimant"): "c", ("x", "in_quote"): "q"}
    out = assemble(Record(spans=[*spans, quote, cue, claim], links=links, coref=[("c", "a")]), "doc")
    assert out["quotes"] == [
        {
            "id": "Q1",
            "start": 21,
            "end": 39,
            "text": "She said Park lied",
            "kind": "indirect",
            "speaker_mention_id": "M3",
            "speaker_entity_id": "E1",
            "cue": {"start": 25, "end": 29, "text": "said"},
        }
    ]
    claim_out = out["claims"][0]
    assert claim_out["claimant_mention_id"] == "M3" and claim_out["quote_id"] == "Q1"
    assert claim_out["claimant_entity_id"] is None  # the override wins over the linked mention's entity
    assert claim_out["checkworthiness"] == "UFS"


def test_record_of_annotations_assembles_back_to_the_same_bytes() -> None:
    for data in (json.loads((ROOT / "raw" / SEED_ID / "annotations.json").read_text(encoding="utf-8")), alpha().annotations()):
        original = canonical_dumps(data, schema.ANNOTATIONS)
        assert canonical_dumps(assemble(from_annotations(data), data["document_id"]), schema.ANNOTATIONS) == original
