"""``newsanno import`` and ``newsanno export``: the converters wired to files, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import spacy
from conftest import ALPHA_TEXT, ROOT, SEED_ID, copy_seed, run_cli
from spacy.tokens import DocBin

from newsanno.cli import MODULES, SUBCOMMANDS


def test_keyword_commands_map_to_modules() -> None:
    assert set(MODULES) <= set(SUBCOMMANDS)
    for command in ("import", "export"):
        result = run_cli(command, "--help")
        assert result.returncode == 0, result.stderr
        assert "FORMAT" in result.stdout


def test_brat_round_trip_of_the_seed_through_the_cli(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    folder = raw / SEED_ID
    original = (folder / "annotations.json").read_bytes()
    out = tmp_path / "brat"
    result = run_cli("export", "brat", "--raw", raw, "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (out / f"{SEED_ID}.txt").read_bytes() == (folder / "text.txt").read_bytes()
    assert (out / "annotation.conf").is_file()
    (folder / "annotations.json").write_text("{}", encoding="utf-8")
    result = run_cli("import", "brat", folder, out / f"{SEED_ID}.ann")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (folder / "annotations.json").read_bytes() == original
    assert list(folder.glob(".*tmp")) == []


def test_brat_import_refuses_another_text(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    folder = raw / SEED_ID
    out = tmp_path / "brat"
    assert run_cli("export", "brat", "--raw", raw, "--out", out).returncode == 0
    txt = out / f"{SEED_ID}.txt"
    txt.write_text("X" + txt.read_text(encoding="utf-8"), encoding="utf-8")
    before = (folder / "annotations.json").read_bytes()
    result = run_cli("import", "brat", folder, out / f"{SEED_ID}.ann")
    assert result.returncode == 1
    assert "import.text_mismatch" in result.stdout
    assert (folder / "annotations.json").read_bytes() == before


def _task(text: str, result: list[dict]) -> list[dict]:
    return [{"id": 1, "data": {"text": text}, "annotations": [{"result": result}]}]


def _span(rid: str, needle: str, label: str) -> dict:
    start = ALPHA_TEXT.index(needle)
    return {"id": rid, "type": "labels", "value": {"start": start, "end": start + len(needle), "text": needle, "labels": [label]}}


def test_labelstudio_import_writes_valid_annotations(corpus: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    result = [
        _span("a", "Maria Lopez", "PERSON"),
        _span("b", "she", "PERSON-pronoun"),
        _span("q", "the budget is balanced.", "Direct quote"),
        _span("c", "said", "Cue"),
        {"type": "relation", "from_id": "q", "to_id": "a", "labels": ["said by"]},
        {"type": "relation", "from_id": "q", "to_id": "c", "labels": []},
        {"type": "relation", "from_id": "a", "to_id": "b", "labels": ["same as"]},
    ]
    export.write_text(json.dumps(_task(ALPHA_TEXT, result)), encoding="utf-8")
    config = ROOT / "docs" / "labelstudio-config.example.json"
    run = run_cli("import", "labelstudio", export, "--config", config, "--raw", corpus)
    assert run.returncode == 0, run.stdout + run.stderr
    written = json.loads((corpus / "alpha" / "annotations.json").read_text(encoding="utf-8"))
    assert written["document_id"] == "alpha"
    assert [m["text"] for m in written["mentions"]] == ["Maria Lopez", "she"]
    assert written["quotes"][0]["speaker_mention_id"] == "M1"
    assert run_cli("validate", "--raw", corpus).returncode == 0


def test_labelstudio_import_with_a_bad_label_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps(_task(ALPHA_TEXT, [_span("a", "Maria Lopez", "Human")])), encoding="utf-8")
    before = (corpus / "alpha" / "annotations.json").read_bytes()
    config = ROOT / "docs" / "labelstudio-config.example.json"
    run = run_cli("import", "labelstudio", export, "--config", config, "--raw", corpus)
    assert run.returncode == 1
    assert f"{export}#0" in run.stdout and "labelstudio.unknown_label" in run.stdout
    assert (corpus / "alpha" / "annotations.json").read_bytes() == before


def test_export_spacy_and_conll(corpus: Path, tmp_path: Path) -> None:
    spacy_file, conll_file = tmp_path / "train.spacy", tmp_path / "train.conll"
    assert run_cli("export", "spacy", "--raw", corpus, "--split", "train", "--out", spacy_file).returncode == 0
    docs = list(DocBin().from_disk(spacy_file).get_docs(spacy.blank("en").vocab))
    assert len(docs) == 1 and "Maria Lopez" in [e.text for e in docs[0].ents]
    assert run_cli("export", "conll", "--raw", corpus, "--out", conll_file).returncode == 0
    assert conll_file.read_text(encoding="utf-8").count("-DOCSTART-") == 3


def test_export_of_an_invalid_corpus_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    (corpus / "beta" / "annotations.json").write_text("{", encoding="utf-8")
    out = tmp_path / "x.conll"
    run = run_cli("export", "conll", "--raw", corpus, "--out", out)
    assert run.returncode == 1
    assert "beta" in run.stdout
    assert not out.exists()


def test_import_that_does_not_validate_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    """Two overlapping names convert fine from brat but break the flat-names rule: nothing is written."""
    folder = corpus / "alpha"
    before = (folder / "annotations.json").read_bytes()
    ann = tmp_path / "alpha.ann"
    (tmp_path / "alpha.txt").write_text(ALPHA_TEXT, encoding="utf-8")
    ann.write_text("T1\tPERSON 0 11\tMaria Lopez\nA1\tForm T1 NAM\nT2\tPERSON 6 11\tLopez\nA2\tForm T2 NAM\n", encoding="utf-8")
    result = run_cli("import", "brat", folder, ann)
    assert result.returncode == 1
    assert "[span.nam_overlap]" in result.stdout and "[import.not_written]" in result.stdout
    assert str(folder / "annotations.json") in result.stdout
    assert (folder / "annotations.json").read_bytes() == before
