"""Scheme 2.0 in the schema: nominals and pronouns only for the full-coverage types, and the optional provenance."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import alpha, dump, run_cli, write_corpus

from newsanno import schema


def test_the_full_coverage_types_are_schema_data() -> None:
    raw = json.loads((Path(schema.schema_dir()) / "annotations.schema.json").read_text(encoding="utf-8"))
    consts = [o["const"] for o in raw["$defs"]["full_coverage_label"]["oneOf"]]
    assert schema.FULL_COVERAGE_TYPES == tuple(consts) == ("PERSON", "ORG", "GPE", "LOC", "FAC")
    assert set(schema.FULL_COVERAGE_TYPES) < set(schema.ENTITY_TYPES)


def _rewrite(raw: Path, doc_id: str, edit) -> bytes:  # type: ignore[no-untyped-def]
    path = raw / doc_id / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    edit(ann)
    path.write_text(dump(ann), encoding="utf-8")
    return path.read_bytes()


def test_a_nominal_of_a_name_only_type_is_a_located_error(tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")

    def nominal_date(ann: dict) -> None:  # type: ignore[type-arg]
        monday = next(m for m in ann["mentions"] if m["text"] == "Monday")
        monday["form"] = "NOM"

    before = _rewrite(raw, "alpha", nominal_date)
    result = run_cli("validate", "--raw", raw, "--no-cache")
    assert result.returncode == 1
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "annotations.json" in line]
    assert len(lines) == 1, result.stdout + result.stderr
    assert "/mentions/3/label" in lines[0] and "M4" in lines[0] and "DATE" in lines[0]
    assert "NOM or PRO" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert (raw / "alpha" / "annotations.json").read_bytes() == before
    # A nominal of a full-coverage type (alpha's "the mayor of Springfield") is fine, as is the fix.
    _rewrite(raw, "alpha", lambda ann: next(m for m in ann["mentions"] if m["text"] == "Monday").update(form="NAM"))
    assert run_cli("validate", "--raw", raw, "--no-cache").returncode == 0


def test_provenance_is_optional_and_checked(tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    good = {"annotators": ["annotator A", "annotator B"], "method": "by hand from text.txt and GUIDELINES.md"}
    _rewrite(raw, "alpha", lambda ann: ann.update(provenance=good))
    assert run_cli("validate", "--raw", raw, "--no-cache").returncode == 0
    for bad, where in (({"annotators": [], "method": "x"}, "/provenance/annotators"), ({"annotators": ["A"]}, "/provenance")):
        _rewrite(raw, "alpha", lambda ann, bad=bad: ann.update(provenance=bad))
        result = run_cli("validate", "--raw", raw, "--no-cache")
        assert result.returncode == 1 and where in result.stdout + result.stderr
    assert alpha().ann.get("provenance") is None


def test_the_card_shows_each_recorded_provenance(tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    _rewrite(raw, "beta", lambda ann: ann.update(provenance={"annotators": ["Ines Ortega"], "method": "by hand, one pass"}))
    card = tmp_path / "CARD.md"
    card.write_text("# Fixture card\n", encoding="utf-8")
    out = tmp_path / "dataset"
    result = run_cli("build", "--raw", raw, "--out", out, "--card", card)
    assert result.returncode == 0, result.stdout + result.stderr
    readme = (out / "README.md").read_text(encoding="utf-8")
    process = readme.split("## Annotation process and agreement", 1)[1].split("\n## ", 1)[0]
    assert "| beta | Ines Ortega | by hand, one pass |" in process
    assert "| alpha |" not in process
