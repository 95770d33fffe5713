"""Adjudication: disagreements as items per class, merge by decision, the record and the command."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ALPHA_TEXT, DocBuilder, alpha, dump, run_cli, span, write_document

from newsanno import jsonio, schema
from newsanno.review import agreement
from newsanno.review.adjudicate import disagreements, new_record, update_record
from newsanno.review.adjudication_merge import merge
from newsanno.validate import annotation_problems, schema_problems


def variant() -> DocBuilder:
    """Annotator B of the alpha text: one disagreement of nearly every class against alpha()."""
    b = DocBuilder("alpha", ALPHA_TEXT)
    b.entity("E1", "Maria Lopez", "PERSON")
    b.entity("E2", "Springfield", "GPE")
    b.entity("E3", "Monday", "DATE")
    b.entity("E4", "12", "QUANTITY")
    b.entity("E5", "Springfield Tribune", "ORG")
    b.entity("E7", "she", "PERSON")
    b.entity("E8", "The council", "ORG")
    b.mention("M1", "E1", "Maria Lopez")
    b.mention("M2", "E1", "mayor of Springfield", form="NOM")  # mention.span against "the mayor of Springfield"
    b.mention("M3", "E2", "Springfield")
    b.mention("M4", "E3", "Monday", form="NOM")  # mention.form
    b.mention("M5", "E4", "12")  # mention.label
    b.mention("M6", "E5", "Springfield Tribune")
    b.mention("M7", "E7", "she", form="PRO")  # coref.entity: not linked to Maria Lopez
    b.mention("M9", "E8", "The council", form="NOM")  # mention.only_b; "2025" is mention.only_a
    b.quote("Q1", "the budget is balanced.", "indirect", "M2", None)  # quote.kind, .speaker, .cue; Q2 is quote.only_a
    b.claim("C1", "the budget is balanced.", "M1", "CFS", "Q1")  # claim.span against "the budget is balanced"
    b.claim("C2", "The council approved 12 new schools.", "M9", "CFS", "Q1")  # claim.claimant, .checkworthiness, .quote
    b.claim("C3", "she will run again", "M7", "CFS")  # claim.only_b
    return b


def decide_all(a: dict[str, Any], b: dict[str, Any], decision: str) -> dict[str, Any]:
    record, _ = update_record(new_record("alpha", "annotations.a.json", "annotations.b.json"), disagreements(a, b))
    for item in record["items"]:
        item.update(decision=decision, reason="fixture")
    return record


def test_every_class_is_detected() -> None:
    items = disagreements(alpha().annotations(), variant().annotations())  # type: ignore[arg-type]
    classes = {i.cls for i in items}
    assert classes == {
        "mention.span",
        "mention.label",
        "mention.form",
        "mention.only_a",
        "mention.only_b",
        "coref.entity",
        "quote.kind",
        "quote.speaker",
        "quote.cue",
        "quote.only_a",
        "claim.span",
        "claim.checkworthiness",
        "claim.claimant",
        "claim.quote",
        "claim.only_b",
    }
    by_id = {i.id: i for i in items}
    s = span(ALPHA_TEXT, "12")
    label = by_id[f"mention.label@{s['start']}-{s['end']}"]
    assert (label.a, label.b, label.text, label.layer) == ("CARDINAL", "QUANTITY", "12", "mentions")
    coref = next(i for i in items if i.cls == "coref.entity")
    assert coref.text == "Maria Lopez" and len(coref.a) == 1 and len(coref.b) == 2
    # Swapping the sides swaps only_a and only_b.
    swapped = {i.cls for i in disagreements(variant().annotations(), alpha().annotations())}  # type: ignore[arg-type]
    assert "claim.only_a" in swapped and "mention.only_b" in swapped and "quote.only_b" in swapped


def test_identical_annotations_have_no_items() -> None:
    assert disagreements(alpha().annotations(), alpha().annotations()) == []  # type: ignore[arg-type]


def test_keep_a_reproduces_a_and_keep_b_agrees_with_b() -> None:
    a, b = alpha().annotations(), variant().annotations()
    merged, lines = merge(a, b, decide_all(a, b, "keep_a"))  # type: ignore[arg-type]
    assert lines == [] and merged == a
    merged, lines = merge(a, b, decide_all(a, b, "keep_b"))  # type: ignore[arg-type]
    assert lines == [] and merged is not None
    report = agreement.agreement(merged, b)  # type: ignore[arg-type]
    assert report["mentions"]["exact"]["f1"] == 1.0 and report["mentions"]["label_kappa"] == 1.0
    assert report["coreference"]["conll_f1"] == pytest.approx(1.0)
    assert report["quotes"]["exact"]["f1"] == 1.0 and report["quotes"]["speaker_agreement"] == 1.0
    assert report["claims"]["exact"]["f1"] == 1.0 and report["claims"]["claimant_agreement"] == 1.0
    assert report["claims"]["checkworthiness_agreement"] == 1.0
    assert not schema_problems(merged, schema.ANNOTATIONS, "merged")
    # B's own ids are not reused: what only B has gets the next free id of A's numbering.
    council = next(m for m in merged["mentions"] if m["text"] == "The council")
    assert council["id"] == "M9" and council["entity_id"] not in {e["id"] for e in a["entities"]}


def test_edit_decisions_replace_the_value_and_keep_a_ids() -> None:
    a, b = alpha().annotations(), variant().annotations()
    record = decide_all(a, b, "keep_a")
    mayor = span(ALPHA_TEXT, "the mayor")
    for item in record["items"]:
        if item["class"] == "claim.checkworthiness":
            item.update(decision="edit", value="CFS")
        if item["class"] == "mention.span":
            item.update(decision="edit", value={**mayor, "label": "PERSON", "form": "NOM"})
    merged, lines = merge(a, b, record)  # type: ignore[arg-type]
    assert lines == [] and merged is not None
    assert [c["checkworthiness"] for c in merged["claims"]] == ["CFS", "CFS"]
    edited = next(m for m in merged["mentions"] if m["start"] == mayor["start"])
    assert (edited["id"], edited["entity_id"], edited["text"]) == ("M2", "E1", "the mayor")  # A's ids kept
    assert not annotation_problems(merged, ALPHA_TEXT, "merged")


def test_merge_refuses_with_one_line_per_open_item() -> None:
    a, b = alpha().annotations(), variant().annotations()
    record = decide_all(a, b, "keep_a")
    for item in record["items"][:3]:
        item.update(decision=None, reason=None)
    merged, lines = merge(a, b, record, "rec.json")  # type: ignore[arg-type]
    assert merged is None and len(lines) == 3
    assert all(line.startswith(f"rec.json: {item['id']} ") for line, item in zip(lines, record["items"][:3], strict=True))


def test_record_update_keeps_decisions_and_reopens_changed_items() -> None:
    a, b = alpha().annotations(), variant().annotations()
    record = decide_all(a, b, "keep_b")
    label = next(x for x in record["items"] if x["class"] == "mention.label")
    label["reason"] = "QUANTITY needs a unit; kept because of the fixture"
    b2 = copy.deepcopy(b)
    b2["claims"][1]["checkworthiness"] = "UFS"  # the checkworthiness item disappears
    b2["quotes"][0]["kind"] = "mixed"  # the kind item changes B's version
    updated, notes = update_record(record, disagreements(a, b2))  # type: ignore[arg-type]
    by_class = {x["class"]: x for x in updated["items"]}
    assert by_class["mention.label"]["decision"] == "keep_b" and by_class["mention.label"]["reason"] == label["reason"]
    assert by_class["quote.kind"]["decision"] is None and by_class["quote.kind"]["b"] == "mixed"
    assert "claim.checkworthiness" not in by_class
    assert len(notes) == 2 and any("reopened" in n for n in notes) and any("dropped" in n for n in notes)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The alpha document with A and B beside it."""
    folder = write_document(tmp_path / "raw", alpha(), "train")
    (folder / "annotations.a.json").write_text(dump(alpha().annotations()), encoding="utf-8")
    (folder / "annotations.b.json").write_text(dump(variant().annotations()), encoding="utf-8")
    return folder


def test_cli_round_trip(folder: Path) -> None:
    a, b, rec, out = folder / "annotations.a.json", folder / "annotations.b.json", folder / "adjudication.json", folder / "merged.json"
    result = run_cli("adjudicate", a, b, "--record", rec, "--out", out)
    assert result.returncode == 1 and not out.exists()
    record = json.loads(rec.read_text(encoding="utf-8"))
    lines = result.stdout.splitlines()
    assert len(lines) == len(record["items"]) == 15
    assert all(line.startswith(f"{rec}: {x['id']} {x['class']} ") for line, x in zip(lines, record["items"], strict=True))
    assert rec.read_text(encoding="utf-8") == jsonio.canonical_dumps(record, "adjudication")
    for item in record["items"]:
        item.update(decision="keep_a", reason="A follows the rule.")
    rec.write_text(dump(record), encoding="utf-8")
    result = run_cli("adjudicate", a, b, "--record", rec, "--out", out, "--date", "2026-12-03")
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_text(encoding="utf-8") == jsonio.canonical_dumps(alpha().annotations(), "annotations")
    assert json.loads(rec.read_text(encoding="utf-8"))["date"] == "2026-12-03"
    assert run_cli("validate", "--raw", folder.parent, "--no-cache").returncode == 0


def test_cli_rejects_a_bad_date_and_a_bad_record(folder: Path) -> None:
    a, b, rec = folder / "annotations.a.json", folder / "annotations.b.json", folder / "adjudication.json"
    assert run_cli("adjudicate", a, b, "--record", rec, "--date", "2026-13-01").returncode == 2
    rec.write_text('{"version": 1}\n', encoding="utf-8")
    result = run_cli("adjudicate", a, b, "--record", rec)
    assert result.returncode == 1 and "adjudication.json" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_validate_checks_the_adjudication_record_against_its_schema(folder: Path) -> None:
    a, b = alpha().annotations(), variant().annotations()
    record = decide_all(a, b, "keep_a")
    record["items"][0]["decision"] = "maybe"
    record["items"][1].update(decision="edit")  # an edit without its value
    (folder / "adjudication.json").write_text(dump(record), encoding="utf-8")
    result = run_cli("validate", "--raw", folder.parent, "--no-cache", "--format", "json")
    assert result.returncode == 1
    found = [p for p in map(json.loads, result.stdout.splitlines()) if p["file"].endswith("adjudication.json")]
    assert {p["pointer"] for p in found} >= {"/items/0/decision", "/items/1"}


def test_validate_checks_annotations_b_like_the_gold(folder: Path) -> None:
    bad = variant().annotations()
    bad["mentions"][0]["start"] += 1  # the span no longer matches its text
    (folder / "annotations.b.json").write_text(dump(bad), encoding="utf-8")
    result = run_cli("validate", "--raw", folder.parent, "--no-cache", "--format", "json")
    assert result.returncode == 1
    problems = [json.loads(line) for line in result.stdout.splitlines()]
    assert problems and all(p["file"].endswith("annotations.b.json") for p in problems)
    assert any(p["annotation_id"] == "M1" for p in problems)
