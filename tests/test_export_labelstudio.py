"""``newsanno export labelstudio``: a Label Studio project that comes back through ``newsanno import
labelstudio`` with nothing lost, suggestions shown as predictions, and an output guard."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from conftest import SEED_ID, copy_seed, run_cli

from newsanno import schema
from newsanno.convert import labelstudio


def as_label_studio_exports(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What Label Studio's JSON export gives back for imported tasks: ids and bookkeeping added
    to tasks, annotations and results, predictions reduced to their ids."""
    out = []
    for n, task in enumerate(tasks, start=1):
        results = [dict(r, origin="manual") for r in task["annotations"][0]["result"]]
        annotation = {"id": 100 + n, "completed_by": 1, "result": results, "was_cancelled": False, "ground_truth": False, "lead_time": 42.5}
        predictions = [200 + n] if task["predictions"] else []
        out.append({"id": n, "inner_id": n, "data": task["data"], "annotations": [annotation], "predictions": predictions, "meta": {}})
    return out


def export(raw: Path, out: Path) -> list[dict[str, Any]]:
    result = run_cli("export", "labelstudio", "--raw", raw, "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((out / "tasks.json").read_text(encoding="utf-8"))


def test_seed_round_trip_through_label_studio_is_byte_identical(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    annotations = raw / SEED_ID / "annotations.json"
    original = annotations.read_bytes()
    out = tmp_path / "ls"
    tasks = export(raw, out)
    assert [t["data"]["document_id"] for t in tasks] == [SEED_ID] and tasks[0]["predictions"] == []
    exported = tmp_path / "label-studio-export.json"
    exported.write_text(json.dumps(as_label_studio_exports(tasks)), encoding="utf-8")

    annotations.write_text("{}", encoding="utf-8")  # the import alone must bring every byte back
    result = run_cli("import", "labelstudio", exported, "--config", out / "labelstudio-config.json", "--raw", raw)
    assert result.returncode == 0, result.stdout + result.stderr
    assert annotations.read_bytes() == original


def test_labeling_config_matches_the_mapping_and_schema(tmp_path: Path) -> None:
    out = tmp_path / "ls"
    export(copy_seed(tmp_path / "raw"), out)
    mapping = json.loads((out / "labelstudio-config.json").read_text(encoding="utf-8"))
    assert labelstudio.config_problems(mapping, "labelstudio-config.json") == []
    view = ET.fromstring((out / "labeling-config.xml").read_text(encoding="utf-8"))
    assert [label.get("value") for label in view.iter("Label")] == list(mapping["labels"])
    relations = {r.get("value") for r in view.iter("Relation")}
    # Coreference is the per-region entity field, not an arrow per link; the mapping still reads coref relations.
    assert {"speaker", "claimant"} <= relations and set(mapping["relations"]) - {"coref"} == relations
    assert {t.get("name"): t.get("perRegion") for t in view.iter() if t.get("perRegion")} == {"entity": "true", "form": "true"}
    specs = mapping["labels"].values()
    assert {s["kind"] for s in specs if s["layer"] == "quote"} == set(schema.QUOTE_KINDS)
    assert {s["label"] for s in specs if s["layer"] == "mention"} == set(schema.ENTITY_TYPES)


def write_suggestions(folder: Path) -> dict[str, Any]:
    text = (folder / "text.txt").read_text(encoding="utf-8")
    start = text.index("Zelensky")
    mention = {"id": "M1", "start": start, "end": start + 8, "text": "Zelensky", "label": "PERSON", "form": "NAM", "entity_id": "E1"}
    suggested = {
        "document_id": folder.name,
        "entities": [{"id": "E1", "name": "Zelensky", "type": "PERSON", "wikidata": None}],
        "mentions": [mention],
        "quotes": [],
        "reasons": {"M1": {"source": "corpus", "reason": "'Zelensky' is annotated as E3 in another document"}},
    }
    (folder / "suggestions.json").write_text(json.dumps(suggested), encoding="utf-8")
    return suggested


def test_suggestions_become_predictions_and_are_not_imported_as_gold(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    original = (raw / SEED_ID / "annotations.json").read_bytes()
    write_suggestions(raw / SEED_ID)
    out = tmp_path / "ls"
    (task,) = export(raw, out)
    (prediction,) = task["predictions"]
    result, entity_field, form_field = prediction["result"]
    assert entity_field["id"] == form_field["id"] == "suggested:M1" and entity_field["value"]["text"] == ["suggested:E1"]
    assert prediction["model_version"] == "newsanno suggest"
    assert result["id"] == "suggested:M1" and result["value"]["labels"] == ["PERSON"] and result["value"]["text"] == "Zelensky"
    assert result["meta"] == {"text": ["corpus: 'Zelensky' is annotated as E3 in another document"]}
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps([task]), encoding="utf-8")
    result_run = run_cli("import", "labelstudio", exported, "--config", out / "labelstudio-config.json", "--raw", raw)
    assert result_run.returncode == 0, result_run.stdout + result_run.stderr
    assert (raw / SEED_ID / "annotations.json").read_bytes() == original


def test_unreadable_suggestions_are_skipped_with_a_warning(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    folder = raw / SEED_ID
    for broken in (
        "{not json",
        json.dumps({**write_suggestions(folder), "mentions": [{"id": "M1", "start": 0, "end": 4, "text": "nope"}]}),
    ):
        (folder / "suggestions.json").write_text(broken, encoding="utf-8")
        out = tmp_path / "ls"
        result = run_cli("export", "labelstudio", "--raw", raw, "--out", out)
        assert result.returncode == 0, result.stdout + result.stderr
        lines = [line for line in result.stdout.splitlines() if "suggestions.json" in line]
        assert len(lines) == 1 and "warning [labelstudio.suggestions]" in lines[0], result.stdout
        assert json.loads((out / "tasks.json").read_text(encoding="utf-8"))[0]["predictions"] == []


def test_output_guard_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    out = tmp_path / "notes"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    result = run_cli("export", "labelstudio", "--raw", raw, "--out", out)
    assert result.returncode == 1 and "[output.not_ours]" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["mine.txt"]
    inside = run_cli("export", "labelstudio", "--raw", raw, "--out", raw / "ls")
    assert inside.returncode == 1 and "[output.overlaps_input]" in inside.stdout
    again = tmp_path / "ls"
    export(raw, again)
    export(raw, again)  # its own earlier output (marker: labeling-config.xml) may be replaced
