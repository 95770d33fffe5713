"""Label Studio export: lossless round trips, code point offsets, and the setup derived from schema/."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from conftest import ROOT, SEED_ID, alpha

from newsanno import schema
from newsanno.convert import labelstudio
from newsanno.convert.labelstudio_export import default_config, export_task, labeling_config
from newsanno.jsonio import canonical_dumps

SEED = ROOT / "raw" / SEED_ID
EXAMPLE = json.loads((ROOT / "docs" / "labelstudio-config.example.json").read_text(encoding="utf-8"))


def _through_json(task: dict[str, Any]) -> Any:
    return json.loads(json.dumps(task, ensure_ascii=False))


def test_seed_round_trip_is_byte_exact() -> None:
    original = (SEED / "annotations.json").read_bytes()
    text = (SEED / "text.txt").read_text(encoding="utf-8")
    config = default_config()
    task, problems = export_task(json.loads(original), text, config)
    assert problems == []
    back, problems = labelstudio.import_task(_through_json(task), config, SEED_ID, "export.json#0")
    assert problems == [] and back is not None
    assert canonical_dumps(back, schema.ANNOTATIONS).encode("utf-8") == original


def test_offsets_are_code_points_after_an_emoji() -> None:
    b = alpha()
    data = b.annotations()
    for m in data["mentions"]:
        m["start"], m["end"] = m["start"] + 2, m["end"] + 2
    data["quotes"], data["claims"] = [], []
    text = "🎉 " + b.text
    task, problems = export_task(data, text, default_config())
    assert problems == []
    first = task["annotations"][0]["result"][0]["value"]
    assert first["start"] == data["mentions"][0]["start"]  # Label Studio's <Text> counts code points, as we do
    back, problems = labelstudio.import_task(_through_json(task), default_config(), b.doc_id, "e#0")
    assert problems == [] and back == data


def test_a_task_edited_in_label_studio_keeps_ids_and_numbers_new_spans() -> None:
    b = alpha()
    data = b.annotations()
    task, _ = export_task(data, b.text, default_config())
    start = b.text.index("Maria")
    task["annotations"][0]["result"].insert(
        0, {"id": "new1", "type": "labels", "value": {"start": start, "end": start + 5, "text": "Maria", "labels": ["PERSON"]}}
    )
    back, problems = labelstudio.import_task(task, default_config(), b.doc_id, "e#0")
    assert problems == []
    assert [m["id"] for m in back["mentions"][:-1]] == [m["id"] for m in data["mentions"]]
    added = back["mentions"][-1]  # exported spans keep their order; the new one follows with a fresh id
    assert added["text"] == "Maria" and added["id"] not in {m["id"] for m in data["mentions"]}
    assert back["entities"][: len(data["entities"])] == data["entities"]


def test_a_span_no_label_expresses_is_reported() -> None:
    b = alpha()
    config = default_config()
    del config["labels"]["cue"]
    data = b.annotations()
    task, problems = export_task(data, b.text, config)
    cues = {(q["cue"]["start"], q["cue"]["end"]) for q in data["quotes"] if q["cue"]}
    assert cues and [p.code for p in problems] == ["labelstudio.no_label"] * len(cues)
    assert all(r["value"]["labels"] != ["cue"] for r in task["annotations"][0]["result"] if r["type"] == "labels")


def test_broken_notes_block_is_a_problem() -> None:
    b = alpha()
    task, _ = export_task(b.annotations(), b.text, EXAMPLE)
    task["data"]["newsanno"]["entities"] = [{"entity": "E1"}]
    back, problems = labelstudio.import_task(task, EXAMPLE, b.doc_id, "e#0")
    assert back is None and [p.code for p in problems] == ["labelstudio.bad_note"]


def test_default_config_covers_every_schema_value_and_its_xml_lists_them() -> None:
    config = default_config()
    assert labelstudio.config_problems(config, "default") == []
    meanings = {tuple(sorted(spec.items())) for spec in config["labels"].values()}
    assert len(meanings) == len(config["labels"])
    # One label per entity type (the form is a per-region choice), so every label gets a hotkey.
    assert len(config["labels"]) == len(schema.ENTITY_TYPES) + len(schema.QUOTE_KINDS) + 1 + len(schema.CHECKWORTHINESS)
    view = ET.fromstring(labeling_config(config))
    assert [label.get("value") for label in view.iter("Label")] == list(config["labels"])
    hotkeys = [label.get("hotkey") for label in view.iter("Label")]
    assert None not in hotkeys and len(set(hotkeys)) == len(hotkeys)
    assert [c.get("value") for c in view.iter("Choice")] == list(schema.MENTION_FORMS)
    assert [r.get("value") for r in view.iter("Relation")] == [k for k in labelstudio.LINKS if k != "coref"]
    assert [t.get("value") for t in view.iter("Text")] == ["$text", "$entities"]


def test_a_link_lost_with_its_deleted_target_is_named() -> None:
    b = alpha()
    task, _ = export_task(b.annotations(), b.text, default_config())
    result = task["annotations"][0]["result"]
    # Deleting M1 in Label Studio takes its relations with it: Q1's speaker and C1's claimant.
    task["annotations"][0]["result"] = [r for r in result if "M1" not in (r.get("id"), r.get("from_id"), r.get("to_id"))]
    back, problems = labelstudio.import_task(_through_json(task), default_config(), b.doc_id, "e#0")
    assert back is not None and back["quotes"][0]["speaker_mention_id"] is None
    lost = [(p.code, p.annotation_id, p.message) for p in problems if p.code == "labelstudio.link_lost"]
    assert lost == [
        ("labelstudio.link_lost", "Q1", "quote Q1's speaker M1 was deleted, and the link with it: Q1 now has no speaker"),
        ("labelstudio.link_lost", "C1", "claim C1's claimant M1 was deleted, and the link with it: C1 now has no claimant"),
    ]


def test_a_coref_relation_joining_two_entities_merges_them_and_says_so() -> None:
    b = alpha()
    task, _ = export_task(b.annotations(), b.text, default_config())
    # An annotator draws a coref arrow from "Monday" (E3) to "2025" (E6), both DATE.
    task["annotations"][0]["result"].append({"type": "relation", "from_id": "M4", "to_id": "M8", "direction": "right", "labels": ["coref"]})
    back, problems = labelstudio.import_task(_through_json(task), default_config(), b.doc_id, "e#0")
    assert back is not None
    assert {m["id"]: m["entity_id"] for m in back["mentions"]}["M8"] == "E3"
    assert "E6" not in {e["id"] for e in back["entities"]}
    assert [(p.code, p.annotation_id, p.severity) for p in problems] == [("labelstudio.entity_merged", "E6", "warning")]
