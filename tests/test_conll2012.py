"""``newsanno export conll2012``: the ``coref`` view as a ``*_conll`` file, scored by a real scorer.

The scorer is scorch (PyPI, the dev extras): its ``scorch.conll`` reads the CoNLL-2012 files
into clusters and ``scorch`` prints MUC, B³, CEAF and the CoNLL-2012 average.  An export scores
100 against itself and less against a copy whose chains were merged, split or dropped.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DocBuilder, run_cli, write_document

TEXT = (
    "Maria Lopez, the mayor of Springfield, said on Monday that she would run again.\n\n"
    "The city council backed her. Its chair, Tom Reed, said he agreed with Lopez.\n"
)


def _gold() -> DocBuilder:
    b = DocBuilder("council", TEXT)
    b.entity("E1", "Maria Lopez", "PERSON")
    b.entity("E2", "Springfield", "GPE")
    b.entity("E3", "Monday", "DATE")
    b.entity("E4", "The city council", "ORG")
    b.entity("E5", "Tom Reed", "PERSON")
    b.mention("M1", "E1", "Maria Lopez")
    b.mention("M2", "E1", "the mayor of Springfield", form="NOM")
    b.mention("M3", "E2", "Springfield")
    b.mention("M4", "E3", "Monday")
    b.mention("M5", "E1", "she", form="PRO")
    b.mention("M6", "E4", "The city council", form="NOM")
    b.mention("M7", "E1", "her", form="PRO")
    b.mention("M8", "E4", "Its", form="PRO")
    b.mention("M9", "E5", "Its chair", form="NOM")
    b.mention("M10", "E5", "Tom Reed")
    start = TEXT.index(" he agreed") + 1  # the word "he", not the "he" inside "the" or "she"
    b.mentions.append({"id": "M11", "entity_id": "E5", "start": start, "end": start + 2, "text": "he", "label": "PERSON", "form": "PRO"})
    b.mention("M12", "E1", "Lopez", nth=1)
    return b


def _merged() -> DocBuilder:
    b = _gold()
    for m in b.mentions:
        if m["entity_id"] == "E5":
            m.update(entity_id="E1", label="PERSON")
    b.ann["entities"] = [e for e in b.entities if e["id"] != "E5"]
    return b


def _split() -> DocBuilder:
    b = _gold()
    b.entity("E6", "she", "PERSON")
    for m in b.mentions:
        if m["id"] in ("M5", "M7", "M12"):
            m["entity_id"] = "E6"
    return b


def _dropped() -> DocBuilder:
    b = _gold()
    b.ann["mentions"] = [m for m in b.mentions if m["entity_id"] != "E4"]
    b.ann["entities"] = [e for e in b.entities if e["id"] != "E4"]
    return b


def _export(tmp: Path, name: str, builder: DocBuilder) -> Path:
    raw = tmp / name / "raw"
    raw.mkdir(parents=True)
    write_document(raw, builder, "train")
    out = tmp / name / f"{name}.v4_gold_conll"
    result = run_cli("export", "conll2012", "--raw", raw, "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _score(gold: Path, system: Path, tmp: Path) -> float:
    """The CoNLL-2012 average score scorch prints, after scorch's own converter read both files."""
    pytest.importorskip("scorch", reason="scorch (the dev extras) scores the export")
    jsons = []
    for side, conll in (("gold", gold), ("system", system)):
        folder = tmp / f"json-{side}-{system.stem}"
        folder.mkdir()
        subprocess.run([sys.executable, "-m", "scorch.conll", str(conll), str(folder)], check=True, capture_output=True, text=True)
        (found,) = folder.glob("*.json")
        jsons.append(found)
    done = subprocess.run([sys.executable, "-m", "scorch.main", str(jsons[0]), str(jsons[1])], check=True, capture_output=True, text=True)
    match = re.search(r"CoNLL-2012 average score: ([0-9.]+)", done.stdout)
    assert match, done.stdout
    return float(match.group(1))


def test_the_export_has_the_conll2012_frame(tmp_path: Path) -> None:
    lines = _export(tmp_path, "gold", _gold()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#begin document (council); part 000" and lines[-1] == "#end document"
    rows = [line.split(" ") for line in lines[1:-1] if line]
    assert {len(r) for r in rows} == {12} and {r[0] for r in rows} == {"council"} and {r[1] for r in rows} == {"0"}
    assert all(set(r[4:11]) == {"-"} for r in rows)
    # Word numbers restart at each sentence (a blank line after each).
    assert [r[2] for r in rows[:2]] == ["0", "1"] and lines.count("") == 3
    words = {r[3]: r[11] for r in rows}
    # "Maria Lopez" opens and closes its cluster; "Its" is one token inside the longer "Its chair".
    assert words["Maria"] == "(0" and words["she"] == "(0)" and words["Its"] == "(4|(3)" and words["chair"] == "4)"
    assert words["Springfield"] == "(1)|0)"


def test_a_real_scorer_gives_100_against_itself_and_less_for_each_broken_copy(tmp_path: Path) -> None:
    gold = _export(tmp_path, "gold", _gold())
    again = _export(tmp_path, "again", _gold())
    assert _score(gold, again, tmp_path) == pytest.approx(1.0)
    broken = (("merged", _merged), ("split", _split), ("dropped", _dropped))
    scores = {name: _score(gold, _export(tmp_path, name, make()), tmp_path) for name, make in broken}
    assert all(score < 0.99 for score in scores.values()), scores
    assert all(score > 0.3 for score in scores.values()), scores


def test_the_export_refuses_to_overwrite_what_it_did_not_write(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    write_document(raw, _gold(), "train")
    out = tmp_path / "notes.txt"
    out.write_text("mine\n", encoding="utf-8")
    result = run_cli("export", "conll2012", "--raw", raw, "--out", out)
    assert result.returncode != 0 and out.read_text(encoding="utf-8") == "mine\n"
