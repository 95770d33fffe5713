"""Bad input: one clear line per problem, exit 1, no traceback, dataset/ untouched."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import build, dump, run_cli

Mutation = Callable[[dict[str, Any]], None]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


def mutate(corpus: Path, doc: str, change: Mutation) -> None:
    path = corpus / doc / "annotations.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump(data), encoding="utf-8")


def off_by_one(data: dict[str, Any]) -> None:
    m = data["mentions"][0]  # "Maria Lopez" at 0..11
    m["start"] += 1
    m["end"] += 1


def unknown_label(data: dict[str, Any]) -> None:
    data["mentions"][2]["label"] = "GPR"


def dangling(data: dict[str, Any]) -> None:
    data["mentions"][3]["entity_id"] = "E99"


def duplicate_id(data: dict[str, Any]) -> None:
    data["mentions"][4]["id"] = "M1"


CASES: list[tuple[str, Mutation, list[str]]] = [
    (
        "off-by-one",
        off_by_one,
        ["[span.text] /mentions/0/start (M1)", "`text` is 'Maria Lopez' but text[1:12] is 'aria Lopez,'", "'Maria Lopez' occurs at 0..11"],
    ),
    ("unknown-label", unknown_label, ["[schema.oneOf] /mentions/2/label (M3)", "'GPR' is not one of PERSON", "did you mean 'GPE'?"]),
    ("dangling", dangling, ["[ref.dangling] /mentions/3/entity_id (M4)", "entity 'E99' does not exist"]),
    ("duplicate-id", duplicate_id, ["[ref.duplicate_id] /mentions/4/id (M1)", "duplicate id 'M1' (first used at /mentions/0)"]),
]


@pytest.mark.parametrize(("name", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_annotation_fails_build_and_leaves_dataset(
    name: str, change: Mutation, expected: list[str], corpus: Path, card: Path, built: Path
) -> None:
    before = snapshot(built)
    mutate(corpus, "alpha", change)
    result = build(corpus, built, card)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if ": error [" in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith(f"{corpus / 'alpha' / 'annotations.json'}:")
    for fragment in expected:
        assert fragment in lines[0]
    assert snapshot(built) == before
    assert sorted(p.name for p in built.parent.iterdir()) == sorted(["raw", "dataset", "CARD.md"])  # no staging left behind


def test_errors_carry_line_and_column(corpus: Path) -> None:
    mutate(corpus, "alpha", dangling)
    result = run_cli("validate", "--raw", corpus)
    assert result.returncode == 1
    path = corpus / "alpha" / "annotations.json"
    lines = path.read_text().splitlines()
    line_no = next(i for i, line in enumerate(lines, 1) if '"E99"' in line)
    column = lines[line_no - 1].index('"E99"') + 1
    assert f"{path}:{line_no}:{column}: error [ref.dangling]" in result.stdout


def test_every_error_of_a_run_is_reported(corpus: Path) -> None:
    for change in (off_by_one, unknown_label):
        mutate(corpus, "alpha", change)
    mutate(corpus, "beta", dangling)
    result = run_cli("validate", "--raw", corpus, "--format", "json")
    assert result.returncode == 1
    problems = [p for p in map(json.loads, result.stdout.splitlines()) if p["severity"] == "error"]
    # A schema error in one annotation does not hide the offset error of another, nor other documents' errors.
    assert {(p["file"].split(os.sep)[-2], p["code"]) for p in problems} == {
        ("alpha", "schema.oneOf"),
        ("alpha", "span.text"),
        ("beta", "ref.dangling"),
    }
    assert all(p["line"] and p["pointer"] and p["annotation_id"] for p in problems)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'{"document_id": "alpha", "document_id": "alpha"}', "json.duplicate_key"),
        (b'{"document_id": NaN}', "json.constant"),
        (b'{"document_id": "alpha",\n  "entities": [}', "json.syntax"),
        (b"\xef\xbb\xbf{}", "encoding.bom"),
        (b'{"document_id": "\xff"}', "encoding.utf8"),
    ],
)
def test_broken_json_is_reported_not_raised(content: bytes, code: str, corpus: Path) -> None:
    (corpus / "alpha" / "annotations.json").write_bytes(content)
    result = run_cli("validate", "--raw", corpus)
    assert result.returncode == 1
    assert f"error [{code}]" in result.stdout
    assert "Traceback" not in result.stderr


def test_changed_text_is_caught_by_its_hash(corpus: Path) -> None:
    text = corpus / "gamma" / "text.txt"
    text.write_text(text.read_text().replace("false", "true!"))
    result = run_cli("validate", "--raw", corpus)
    assert result.returncode == 1
    assert "[hash.mismatch] /text_sha256: text_sha256 does not match text.txt" in result.stdout


def test_mention_label_must_match_entity(corpus: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["mentions"][2]["label"] = "LOC"

    mutate(corpus, "alpha", change)
    result = run_cli("validate", "--raw", corpus)
    assert result.returncode == 1, result.stdout
    assert "error [ref.label_mismatch] /mentions/2/label (M3): mention label LOC differs from its entity's type GPE (E2)" in result.stdout


def test_misaligned_name_fails_the_build_naming_the_mention(corpus: Path, card: Path, tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        m = data["mentions"][0]
        m["end"], m["text"] = 9, "Maria Lop"

    mutate(corpus, "alpha", change)
    result = build(corpus, tmp_path / "out", card)
    assert result.returncode == 1
    assert "error [ner.misaligned] /mentions/0 (M1): NAM mention 'Maria Lop' at 0..9 does not align to token boundaries" in result.stdout
    assert not (tmp_path / "out").exists()


def test_overlapping_names_are_refused(corpus: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        m = data["mentions"][5]  # Springfield Tribune
        data["mentions"].append({**data["mentions"][2], "id": "M9", "start": m["start"] + 4, "end": m["start"] + 15})

    mutate(corpus, "alpha", change)
    result = run_cli("validate", "--raw", corpus)
    assert result.returncode == 1, result.stdout
    assert "error [span.nam_overlap] /mentions/8 (M9)" in result.stdout


def test_valid_but_not_canonical_is_a_warning_and_format_fixes_it(corpus: Path) -> None:
    path = corpus / "beta" / "annotations.json"
    path.write_text(json.dumps(json.loads(path.read_text())))
    result = run_cli("validate", "--raw", corpus)
    assert result.returncode == 0
    assert "warning [format.not_canonical]" in result.stdout
    fixed = run_cli("format", path)
    assert fixed.returncode == 0
    clean = run_cli("validate", "--raw", corpus)
    assert clean.returncode == 0 and clean.stdout == ""
    assert run_cli("format", "--check", path).returncode == 0


def test_github_format(corpus: Path) -> None:
    mutate(corpus, "alpha", dangling)
    result = run_cli("validate", "--raw", corpus, "--format", "github")
    assert result.returncode == 1, result.stdout
    assert result.stdout.startswith(f"::error file={corpus / 'alpha' / 'annotations.json'},line=")
    assert "title=ref.dangling::/mentions/3/entity_id (M4): entity 'E99' does not exist" in result.stdout


def test_usage_error_exits_2(corpus: Path) -> None:
    assert run_cli("validate", "--raw", corpus, "--format", "yaml").returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_console_script_in_a_new_process(corpus: Path) -> None:
    """The installed entry point, end to end: exit code 1 and a located error, no traceback."""
    mutate(corpus, "alpha", dangling)
    result = run_cli("validate", "--raw", corpus, new_process=True)
    assert result.returncode == 1
    assert "error [ref.dangling]" in result.stdout and "Traceback" not in result.stderr


def test_fixture_corpus_is_lint_clean_and_strict_build_passes(corpus: Path, card: Path, tmp_path: Path) -> None:
    assert run_cli("lint", "--raw", corpus, "--strict").returncode == 0
    assert build(corpus, tmp_path / "out", card, "--strict").returncode == 0


def test_strict_turns_lint_findings_into_errors(corpus: Path, card: Path, tmp_path: Path) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["entities"][0]["name"] = "Señora Lopez"

    mutate(corpus, "alpha", rename)
    lenient = build(corpus, tmp_path / "out", card)
    assert lenient.returncode == 0 and "warning [lint.canonical_name]" in lenient.stdout
    strict = build(corpus, tmp_path / "strict", card, "--strict")
    assert strict.returncode == 1 and "error [lint.canonical_name]" in strict.stdout
    assert not (tmp_path / "strict").exists()
    assert run_cli("lint", "--raw", corpus, "--strict").returncode == 1
