"""The output guard: what a command may overwrite, decided before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsanno.guard import Output, has_file, output_problems, starts_with

DATASET = Output("dataset folder", folder=True, marker=has_file("SHA256SUMS"))
CONLL = Output("CoNLL file", folder=False, marker=starts_with(b"-DOCSTART-"))


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw" / "doc"
    folder.mkdir(parents=True)
    (folder / "text.txt").write_text("x\n", encoding="utf-8")
    return tmp_path / "raw"


@pytest.mark.parametrize(("out", "relation"), [("raw", "is"), ("raw/doc", "lies inside"), (".", "contains")])
def test_an_output_overlapping_an_input_is_refused_even_with_force(raw: Path, out: str, relation: str) -> None:
    for force in (False, True):
        problems = output_problems(raw.parent / out, DATASET, [raw], force=force)
        assert [p.code for p in problems] == ["output.overlaps_input"]
        assert relation in problems[0].message


def test_an_existing_file_where_a_folder_goes_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "notes.txt"
    out.write_text("mine\n", encoding="utf-8")
    assert [p.code for p in output_problems(out, DATASET)] == ["output.not_ours"]
    assert "--force" in output_problems(out, DATASET)[0].message
    assert output_problems(out, DATASET, force=True) == []


def test_a_folder_without_the_marker_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "photos"
    out.mkdir()
    (out / "holiday.jpg").write_bytes(b"\xff\xd8")
    assert [p.code for p in output_problems(out, DATASET)] == ["output.not_ours"]
    assert output_problems(out, DATASET, force=True) == []
    (out / "SHA256SUMS").write_text("", encoding="utf-8")
    assert output_problems(out, DATASET) == [], "a folder the command wrote before may be replaced"


def test_new_and_empty_outputs_are_fine(tmp_path: Path) -> None:
    assert output_problems(tmp_path / "new", DATASET) == []
    (tmp_path / "empty").mkdir()
    assert output_problems(tmp_path / "empty", DATASET) == []


def test_file_outputs_recognise_their_own_format(tmp_path: Path) -> None:
    out = tmp_path / "train.conll"
    out.write_text("-DOCSTART- O\n", encoding="utf-8")
    assert output_problems(out, CONLL) == []
    out.write_text("my thesis\n", encoding="utf-8")
    assert [p.code for p in output_problems(out, CONLL)] == ["output.not_ours"]
    assert [p.code for p in output_problems(tmp_path, CONLL, force=True)] == ["output.not_ours"], "a folder is never a file output"


def test_symlinked_outputs_are_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "dataset"
    link.symlink_to(elsewhere, target_is_directory=True)
    for force in (False, True):
        assert [p.code for p in output_problems(link, DATASET, force=force)] == ["output.symlink"]
