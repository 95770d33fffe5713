"""newsanno fix-offsets: moves spans back onto their text where unambiguous, leaves the rest, writes canonically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import ALPHA_TEXT, DocBuilder, alpha, dump, run_cli, span, write_document

from newsanno.contribute import fixoffsets


def load(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "annotations.json").read_text(encoding="utf-8"))


def save(folder: Path, value: dict[str, Any]) -> None:
    (folder / "annotations.json").write_text(dump(value), encoding="utf-8")


def shift(item: dict[str, Any], by: int) -> None:
    item["start"] += by
    item["end"] += by


def by_id(ann: dict[str, Any], layer: str, ident: str) -> dict[str, Any]:
    return next(item for item in ann[layer] if item["id"] == ident)


def test_moves_unique_and_windowed_spans_cues_and_exceptions_back(corpus: Path) -> None:
    folder = corpus / "alpha"
    expected = alpha().annotations()
    m1 = span(ALPHA_TEXT, "Maria Lopez")
    # An exception located on M1's span: it has no text of its own and must move with M1.
    expected["exceptions"] = [{"code": "lint.example", "annotation_id": None, "start": m1["start"], "end": m1["end"], "reason": "test"}]
    broken = json.loads(json.dumps(expected))
    shift(by_id(broken, "mentions", "M1"), 1)  # unique text anywhere
    shift(by_id(broken, "mentions", "M3"), 3)  # 'Springfield' occurs twice; only one near the old start
    shift(by_id(broken, "quotes", "Q1")["cue"], -2)  # the cue 'said'
    shift(broken["exceptions"][0], 1)
    by_id(broken, "claims", "C2")["start"] = "oops"  # not an integer: placed only because its text is unique
    save(folder, broken)
    assert ALPHA_TEXT.count("Springfield") == 2

    result = run_cli("fix-offsets", folder)

    assert result.returncode == 0, result.stdout + result.stderr
    assert load(folder) == expected
    # Written in the canonical layout (compared with the tests' own independent writer).
    assert (folder / "annotations.json").read_text(encoding="utf-8") == dump(expected)
    old_m1 = f"{m1['start'] + 1}..{m1['end'] + 1}"
    assert f"/mentions/0 (M1): {old_m1} -> {m1['start']}..{m1['end']} 'Maria Lopez'" in result.stdout
    for needle in ("(M3)", "/quotes/0/cue (Q1)", "/exceptions/0", "(C2)"):
        assert needle in result.stdout, needle
    assert run_cli("validate", "--raw", corpus, folder).returncode == 0
    assert not list(folder.glob(".*.tmp")), "temporary file left behind"


def test_second_run_changes_nothing(corpus: Path) -> None:
    folder = corpus / "alpha"
    ann = load(folder)
    for mention in ann["mentions"]:
        shift(mention, 1)
    save(folder, ann)
    first = run_cli("fix-offsets", folder / "annotations.json")
    assert first.returncode == 0, first.stdout + first.stderr
    after_first = (folder / "annotations.json").read_bytes()
    mtime = (folder / "annotations.json").stat().st_mtime_ns

    second = run_cli("fix-offsets", folder)

    assert second.returncode == 0
    assert "fixed" not in second.stdout
    assert (folder / "annotations.json").read_bytes() == after_first
    assert (folder / "annotations.json").stat().st_mtime_ns == mtime, "an unchanged file must not be rewritten"


def test_ambiguous_and_absent_spans_are_left_alone_and_listed(tmp_path: Path) -> None:
    text = "Paris and Paris and Paris.\n\n" + "x" * 200 + " Rome.\n"
    b = DocBuilder("delta", text)
    b.entity("E1", "Paris", "GPE")
    b.entity("E2", "Rome", "GPE")
    b.mention("M1", "E1", "Paris", nth=1)
    b.mention("M2", "E2", "Rome")
    folder = write_document(tmp_path / "raw", b, "train")
    ann = load(folder)
    shift(ann["mentions"][0], 1)  # three 'Paris' within the window: ambiguous
    ann["mentions"][1]["text"] = "Roma"  # nowhere in the text
    save(folder, ann)
    before = (folder / "annotations.json").read_bytes()

    result = run_cli("fix-offsets", folder)

    assert result.returncode == 1
    assert (folder / "annotations.json").read_bytes() == before
    paris = [span(text, "Paris", n)["start"] for n in range(3)]
    line = next(x for x in result.stdout.splitlines() if "(M1)" in x)
    assert "cannot fix" in line and all(f"{p}..{p + 5}" in line for p in paris), line
    assert any("(M2)" in x and "'Roma' does not occur" in x for x in result.stdout.splitlines()), result.stdout


def test_narrow_window_leaves_a_repeated_text_alone(corpus: Path) -> None:
    folder = corpus / "alpha"
    ann = load(folder)
    shift(by_id(ann, "mentions", "M3"), 3)
    save(folder, ann)
    assert run_cli("fix-offsets", "--window", "2", "--dry-run", folder).returncode == 1
    result = run_cli("fix-offsets", "--window", "3", "--dry-run", folder)
    assert result.returncode == 0 and "would fix /mentions/2 (M3)" in result.stdout
    assert load(folder) == ann, "--dry-run wrote the file"


def test_unreadable_input_is_reported_without_traceback(corpus: Path, tmp_path: Path) -> None:
    folder = corpus / "beta"
    (folder / "annotations.json").write_bytes(b'{"document_id": "beta", "mentions": [}\n')
    result = run_cli("fix-offsets", folder, tmp_path / "nowhere")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "annotations.json:1:" in result.stderr
    assert "nowhere: not a document folder" in result.stderr


def test_pure_rule_picks_only_a_single_candidate() -> None:
    assert fixoffsets.choose([40], 0, 5) == 40  # unique anywhere
    assert fixoffsets.choose([10, 100], 12, 64) == 10  # unique near the old start
    assert fixoffsets.choose([10, 20], 12, 64) is None  # two near it
    assert fixoffsets.choose([10, 100], "12", 64) is None  # no usable old start
    # Occurrences that would split a grapheme cluster are not candidates: 'e' + combining acute.
    text = "Cafe\u0301 and Cafe.\n"
    ann = {"mentions": [{"id": "M1", "start": 0, "end": 3, "text": "Cafe"}]}
    outcome = fixoffsets.fix_offsets(ann, text)
    assert outcome.annotations["mentions"][0]["start"] == text.rindex("Cafe")
    assert ann["mentions"][0]["start"] == 0, "the input was modified"
