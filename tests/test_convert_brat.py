"""brat standoff export and import: lossless round trips and clear problems for broken files."""

from __future__ import annotations

import json

from conftest import ROOT, SEED_ID, alpha, span

from newsanno import schema
from newsanno.convert import brat
from newsanno.jsonio import canonical_dumps

SEED = ROOT / "raw" / SEED_ID


def test_seed_round_trip_is_byte_exact() -> None:
    original = (SEED / "annotations.json").read_bytes()
    text = (SEED / "text.txt").read_text(encoding="utf-8")
    ann, lost = brat.export_ann(json.loads(original))
    assert lost == []
    back, problems = brat.import_ann(ann, text, SEED_ID)
    assert problems == []
    assert back is not None
    assert canonical_dumps(back, schema.ANNOTATIONS).encode("utf-8") == original


def test_export_uses_native_brat_lines() -> None:
    b = alpha()
    ann, _ = brat.export_ann(b.annotations())
    lines = ann.splitlines()
    maria = span(b.text, "Maria Lopez")
    assert f"T1\tPERSON {maria['start']} {maria['end']}\tMaria Lopez" in lines
    assert "A1\tForm T1 NAM" in lines
    kinds = {line.split("\t")[1].split()[0] for line in lines if line.startswith("R")}
    assert {"Speaker", "Cue", "Coref"} <= kinds
    # Every T line's text equals the span it claims, in the original text.
    for line in lines:
        if line.startswith("T"):
            _, typ_offsets, shown = line.split("\t")
            _, start, end = typ_offsets.split()
            assert b.text[int(start) : int(end)] == shown


def test_fixture_round_trip() -> None:
    b = alpha()
    original = canonical_dumps(b.annotations(), schema.ANNOTATIONS)
    ann, _ = brat.export_ann(b.annotations())
    back, problems = brat.import_ann(ann, b.text, b.doc_id)
    assert problems == []
    assert canonical_dumps(back, schema.ANNOTATIONS) == original


def test_mentionless_entity_and_entity_override_survive() -> None:
    b = alpha()
    data = b.annotations()
    data["entities"].append({"id": "X9", "name": "Nobody", "type": "PERSON", "wikidata": "Q42"})
    data["quotes"][0]["speaker_entity_id"] = "X9"
    ann, _ = brat.export_ann(data)
    back, problems = brat.import_ann(ann, b.text, b.doc_id)
    assert problems == []
    assert back["entities"][-1] == {"id": "X9", "name": "Nobody", "type": "PERSON", "wikidata": "Q42"}
    assert back["quotes"][0]["speaker_entity_id"] == "X9"


def test_hand_made_brat_file_gets_ids_and_entities() -> None:
    text = "Ann Lee said she agreed. Lee left.\n"
    ann = (
        "T1\tPERSON 0 7\tAnn Lee\n"
        "T2\tPERSON 13 16\tshe\n"
        "A1\tForm T2 PRO\n"
        "T3\tPERSON 25 28\tLee\n"
        "T4\tQuote 13 23\tshe agreed\n"
        "A2\tKind T4 indirect\n"
        "T5\tCue 8 12\tsaid\n"
        "R1\tSpeaker Arg1:T4 Arg2:T1\n"
        "R2\tCue Arg1:T4 Arg2:T5\n"
        "*\tEquiv T1 T3\n"
        "R3\tCoref Arg1:T3 Arg2:T2\n"
        "#1\tAnnotatorNotes T1\ta human comment, ignored\n"
    )
    back, problems = brat.import_ann(ann, text, "doc")
    assert problems == []
    assert [m["id"] for m in back["mentions"]] == ["M1", "M2", "M3"]
    assert {m["entity_id"] for m in back["mentions"]} == {"E1"}
    assert back["entities"] == [{"id": "E1", "name": "Ann Lee", "type": "PERSON", "wikidata": None}]
    assert back["mentions"][1]["form"] == "PRO"
    quote = back["quotes"][0]
    assert quote["speaker_mention_id"] == "M1" and quote["speaker_entity_id"] == "E1"
    assert quote["cue"] == {"start": 8, "end": 12, "text": "said"}


def test_span_across_a_line_break() -> None:
    text = "New\nYork is big.\n"
    data = {
        "document_id": "d",
        "entities": [{"id": "E1", "name": "New York", "type": "GPE", "wikidata": None}],
        "mentions": [{"id": "M1", "entity_id": "E1", "start": 0, "end": 8, "text": "New\nYork", "label": "GPE", "form": "NAM"}],
        "quotes": [],
        "claims": [],
        "exceptions": [],
    }
    ann, _ = brat.export_ann(data)
    assert ann.splitlines()[0] == "T1\tGPE 0 8\tNew York"  # the break did not split the T line
    back, problems = brat.import_ann(ann, text, "d")
    assert problems == [] and back == data


def test_broken_lines_are_problems_not_exceptions() -> None:
    text = "Ann Lee spoke.\n"
    ann = "T1\tPERSON 0 3;4 7\tAnn Lee\nT2\tPERSON 1 8\tAnn Lee\nT3\tPERSON x y\tAnn\ngarbage\n#1\tAnnotatorNotes T9\tnewsanno [1, 2]\n"
    back, problems = brat.import_ann(ann, text, "d", shown="d.ann")
    assert back is None
    codes = {(p.code, p.line) for p in problems}
    assert ("brat.discontinuous", 1) in codes
    assert ("brat.offsets", 2) in codes
    assert ("brat.syntax", 3) in codes
    assert ("brat.syntax", 5) in codes
    assert all(p.file == "d.ann" for p in problems)


def test_annotation_conf_declares_every_label() -> None:
    conf = brat.annotation_conf()
    entities = conf.split("[relations]")[0].split()
    for label in schema.ENTITY_TYPES:
        assert label in entities
    assert f"Value:{'|'.join(schema.QUOTE_KINDS)}" in conf


def test_a_span_without_its_id_note_gets_the_lowest_free_id() -> None:
    b = alpha()
    original = canonical_dumps(b.annotations(), schema.ANNOTATIONS)
    ann, _ = brat.export_ann(b.annotations())
    second = b.annotations()["mentions"][1]["id"]
    kept = [line for line in ann.splitlines() if not line.endswith(f'{{"id":"{second}"}}')]
    assert len(kept) == len(ann.splitlines()) - 1
    back, problems = brat.import_ann("\n".join(kept) + "\n", b.text, b.doc_id)
    assert problems == []
    # The spans before it keep their noted ids without using up numbers, so it gets its own id back.
    assert canonical_dumps(back, schema.ANNOTATIONS) == original
