"""fix-offsets never guesses wrong: token boundaries, placements inside longer names, counted candidate lists, span.order hints."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DocBuilder, run_cli, write_document

from newsanno.contribute import fixoffsets


def test_occurrences_inside_words_are_not_candidates() -> None:
    text = "The chair says he will say no.\n"
    # 'he' occurs inside "The" (0..3) and as a word at 16; only the word is a candidate.
    ann = {
        "mentions": [{"id": "M1", "start": 0, "end": 2, "text": "he"}],
        "quotes": [{"id": "Q1", "cue": {"start": 0, "end": 3, "text": "say"}}],
    }
    outcome = fixoffsets.fix_offsets(ann, text)
    assert outcome.annotations["mentions"][0]["start"] == text.index(" he ") + 1
    # 'say' inside "says" is no candidate: the only one is the word "say".
    assert outcome.annotations["quotes"][0]["cue"]["start"] == text.index(" say ") + 1
    assert not outcome.unfixable


def test_span_edges_that_are_not_word_characters_may_touch_words() -> None:
    text = 'He said "no" twice.\n'
    ann = {"quotes": [{"id": "Q1", "start": 0, "end": 4, "text": '"no"'}]}
    outcome = fixoffsets.fix_offsets(ann, text)
    assert outcome.annotations["quotes"][0]["start"] == text.index('"no"')


def test_placement_inside_a_longer_mention_is_ambiguous_not_fixed(tmp_path: Path) -> None:
    text = "The Port Calder Harbour Authority met on Monday.\n\n" + "x " * 100 + "\n\nLater, Port Calder voted.\n"
    b = DocBuilder("delta", text)
    b.entity("E1", "Port Calder Harbour Authority", "ORG")
    b.entity("E2", "Port Calder", "GPE")
    b.mention("M1", "E1", "Port Calder Harbour Authority")
    b.mention("M2", "E2", "Port Calder", nth=1)
    folder = write_document(tmp_path / "raw", b, "train")
    ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    # M2 moved next to M1: the occurrence near its old start is the one inside M1's name.
    ann["mentions"][1]["start"], ann["mentions"][1]["end"] = 5, 16
    (folder / "annotations.json").write_text(json.dumps(ann, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    before = (folder / "annotations.json").read_bytes()

    result = run_cli("fix-offsets", folder)

    assert result.returncode == 1, result.stdout
    assert (folder / "annotations.json").read_bytes() == before
    line = next(x for x in result.stdout.splitlines() if "(M2)" in x)
    assert "cannot fix" in line and "inside the longer mention at 4..33" in line, line


def test_cut_candidate_list_says_how_many_more() -> None:
    text = "Paris. " * 25 + "\n"
    ann = {"mentions": [{"id": "M1", "start": 1, "end": 6, "text": "Paris"}]}
    bad = fixoffsets.fix_offsets(ann, text).unfixable[0]
    assert bad.reason == "ambiguous" and len(bad.candidates) == fixoffsets.MAX_CANDIDATES
    assert bad.more == 25 - fixoffsets.MAX_CANDIDATES


def test_cli_prints_the_count_of_candidates_left_out(tmp_path: Path) -> None:
    text = "Paris. " * 25 + "\n"
    b = DocBuilder("delta", text)
    b.entity("E1", "Paris", "GPE")
    b.mention("M1", "E1", "Paris", nth=3)
    folder = write_document(tmp_path / "raw", b, "train")
    ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    ann["mentions"][0]["start"] += 1
    ann["mentions"][0]["end"] += 1
    (folder / "annotations.json").write_text(json.dumps(ann, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_cli("fix-offsets", folder)
    assert result.returncode == 1
    assert "... and 15 more" in result.stdout, result.stdout


def test_zero_length_span_error_says_where_the_text_occurs(tmp_path: Path) -> None:
    text = "Officials in Paris said so.\n"
    b = DocBuilder("delta", text)
    b.entity("E1", "Paris", "GPE")
    b.mention("M1", "E1", "Paris")
    folder = write_document(tmp_path / "raw", b, "train")
    ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    ann["mentions"][0]["end"] = ann["mentions"][0]["start"]
    (folder / "annotations.json").write_text(json.dumps(ann, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run_cli("validate", "--raw", tmp_path / "raw", folder)
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if "[span.order]" in x)
    assert "zero-length" in line and "(hint: 'Paris' occurs at 13..18)" in line, line
