"""Label Studio import: label mapping, relation kinds, offsets of older (UTF-16) exports."""

from __future__ import annotations

import json
from typing import Any

from conftest import ROOT

from newsanno import schema
from newsanno.convert import labelstudio
from newsanno.validate import annotation_problems, schema_problems

CONFIG = json.loads((ROOT / "docs" / "labelstudio-config.example.json").read_text(encoding="utf-8"))
TEXT = '🎉 Big news! Ann Lee said "we won". She was happy.\n'


def _utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def labels(rid: str, text: str, needle: str, label: str, *, utf16: bool) -> dict[str, Any]:
    start = text.index(needle)
    end = start + len(needle)
    if utf16:
        start, end = _utf16(text, start), _utf16(text, end)
    return {"id": rid, "type": "labels", "value": {"start": start, "end": end, "text": needle, "labels": [label]}}


def relation(a: str, b: str, *names: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": a, "to_id": b, "labels": list(names), "direction": "right"}


def task(*, utf16: bool) -> dict[str, Any]:
    result = [
        labels("q", TEXT, "we won", "Direct quote", utf16=utf16),
        labels("ann", TEXT, "Ann Lee", "PERSON", utf16=utf16),
        labels("she", TEXT, "She", "PERSON-pronoun", utf16=utf16),
        labels("said", TEXT, "said", "Cue", utf16=utf16),
        labels("c", TEXT, "She was happy", "Unimportant claim", utf16=utf16),
        relation("q", "ann", "said by"),
        relation("said", "q"),  # no label, reversed: still the quote's cue
        relation("ann", "she", "same as"),
    ]
    return {"id": 7, "data": {"text": TEXT}, "annotations": [{"result": result}]}


def test_example_config_is_valid() -> None:
    assert labelstudio.config_problems(CONFIG, "cfg.json") == []


def test_utf16_offsets_after_an_emoji_are_converted() -> None:
    t = task(utf16=True)
    raw_start = t["annotations"][0]["result"][1]["value"]["start"]
    assert raw_start == TEXT.index("Ann Lee") + 1  # the emoji is two UTF-16 units: offsets really differ
    ann, problems = labelstudio.import_task(t, CONFIG, "doc", "export.json#0")
    # Every region fits UTF-16 units and one does not fit code points: an older export, converted and said.
    assert [(p.code, p.severity) for p in problems] == [("labelstudio.utf16", "warning")]
    same, _ = labelstudio.import_task(task(utf16=False), CONFIG, "doc", "export.json#0")
    assert ann == same
    mention = ann["mentions"][0]
    assert TEXT[mention["start"] : mention["end"]] == "Ann Lee"
    assert ann["entities"] == [{"id": "E1", "name": "Ann Lee", "type": "PERSON", "wikidata": None}]
    assert [m["form"] for m in ann["mentions"]] == ["NAM", "PRO"]
    quote = ann["quotes"][0]
    assert quote["kind"] == "direct" and quote["speaker_mention_id"] == "M1" and quote["speaker_entity_id"] == "E1"
    assert quote["cue"]["text"] == "said"
    assert ann["claims"][0]["checkworthiness"] == "UFS" and ann["claims"][0]["claimant_mention_id"] is None
    # The result passes the project's own schema and semantic checks.
    assert schema_problems(ann, schema.ANNOTATIONS, "a.json") == []
    assert annotation_problems(ann, TEXT, "a.json") == []


def test_offset_inside_a_surrogate_pair_is_an_error() -> None:
    t = {
        "data": {"text": TEXT},
        "annotations": [{"result": [{"id": "x", "type": "labels", "value": {"start": 1, "end": 5, "text": "? B", "labels": ["PERSON"]}}]}],
    }
    ann, problems = labelstudio.import_task(t, CONFIG, "doc", "export.json#0")
    assert ann is None
    assert [(p.code, p.annotation_id, p.file) for p in problems] == [("labelstudio.offsets", "x", "export.json#0")]
    assert "neither in code points (' Big' there) nor in UTF-16 units (which split a character outside the BMP)" in problems[0].message


def test_unknown_label_bad_relation_and_bad_shapes_are_problems() -> None:
    t = task(utf16=False)
    t["annotations"][0]["result"].append(labels("z", TEXT, "Big", "Headline", utf16=False))
    ann, problems = labelstudio.import_task(t, CONFIG, "doc", "e#0")
    assert ann is None and [p.code for p in problems] == ["labelstudio.unknown_label"]
    t = task(utf16=False)
    t["annotations"][0]["result"].append(relation("q", "c", "said by"))
    ann, problems = labelstudio.import_task(t, CONFIG, "doc", "e#0")
    assert ann is None and [p.code for p in problems] == ["labelstudio.bad_relation"]
    odd_label = {"id": "x", "type": "labels", "value": {"start": 0, "end": 1, "text": "x", "labels": [{}]}}
    boolean = {"id": "x", "type": "labels", "value": {"start": True, "end": 1, "text": "x", "labels": ["PERSON"]}}
    for broken in (
        None,
        {"data": {}},
        {"data": {"text": "x"}, "annotations": 5},
        {"data": {"text": "x"}, "annotations": [{"result": [5]}]},
        {"data": {"text": "x"}, "annotations": [{"result": [odd_label]}]},
        {"data": {"text": "x"}, "annotations": [{"result": [boolean]}]},
    ):
        ann, problems = labelstudio.import_task(broken, CONFIG, "doc", "e#0")
        assert ann is None and problems


def test_config_problems_name_the_bad_label() -> None:
    bad = {"labels": {"Person": {"layer": "mention", "label": "HUMAN"}, "Q": {"layer": "speech"}}, "relations": {"x": "friend"}}
    pointers = sorted(p.pointer for p in labelstudio.config_problems(bad, "cfg.json"))
    assert pointers == ["/labels/Person", "/labels/Q", "/relations/x"]
