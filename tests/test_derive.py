"""Derive, not trust: text.txt and the header fields must still follow from source.txt under the document's profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED_ID

from newsanno.validate.derive import Override, derivation_problems, overrides

SEED = ROOT / "raw" / SEED_ID
SHOWN = {name: f"raw/{SEED_ID}/{name}" for name in ("source.txt", "text.txt", "document.json", "annotations.json")}


@pytest.fixture
def meta() -> dict[str, Any]:
    return json.loads((SEED / "document.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def source() -> bytes:
    return (SEED / "source.txt").read_bytes()


@pytest.fixture(scope="module")
def text() -> str:
    return (SEED / "text.txt").read_text(encoding="utf-8")


def test_committed_seed_derives_cleanly(source: bytes, text: str, meta: dict[str, Any]) -> None:
    assert "profile" not in meta  # absent means wsws: the seed's bytes predate profiles
    assert derivation_problems(source, text.encode("utf-8"), meta, SHOWN) == []
    assert overrides(meta) == []


def test_edited_text_is_reported_at_the_first_difference(source: bytes, text: str, meta: dict[str, Any]) -> None:
    second = text.index("\n\n") + 2
    edited = text[:second] + text[second:].replace("Zaluzhny", "Zaluzhnyi", 1)
    [problem] = derivation_problems(source, edited, meta, SHOWN)
    assert (problem.file, problem.code, problem.severity) == (SHOWN["text.txt"], "derive.text", "error")
    column = edited.split("\n")[2].index("Zaluzhnyi") + len("Zaluzhny") + 1
    assert (problem.line, problem.column) == (3, column) and "profile wsws" in problem.message


def test_hand_edited_fields_are_reported_by_pointer(source: bytes, text: str, meta: dict[str, Any]) -> None:
    meta.update(author="By Jason Melanovski", published="2024-02-08")
    problems = derivation_problems(source, text, meta, SHOWN)
    assert [(p.file, p.pointer, p.code) for p in problems] == [
        (SHOWN["document.json"], "/author", "derive.field"),
        (SHOWN["document.json"], "/published", "derive.field"),
    ]
    assert "'Jason Melanovski'" in problems[0].message and "overrides.author" in (problems[0].hint or "")


def test_a_recorded_override_allows_a_hand_correction(source: bytes, text: str, meta: dict[str, Any]) -> None:
    meta["author"] = "J. Melanovski"
    meta["overrides"] = {"author": {"value": "J. Melanovski", "reason": "the publisher's style sheet"}}
    assert derivation_problems(source, text, meta, SHOWN) == []
    assert overrides(meta) == [Override(SEED_ID, "author", "J. Melanovski", "the publisher's style sheet")]
    meta["author"] = "Jason Melanovski"  # the field no longer holds the override's value
    [problem] = derivation_problems(source, text, meta, SHOWN)
    assert problem.pointer == "/author" and "recorded override" in problem.message


def test_an_override_equal_to_the_source_is_flagged(source: bytes, text: str, meta: dict[str, Any]) -> None:
    meta["overrides"] = {"title": {"value": meta["title"], "reason": "checked"}}
    [problem] = derivation_problems(source, text, meta, SHOWN)
    assert (problem.pointer, problem.code, problem.severity) == ("/overrides/title", "derive.override_unneeded", "warning")


def test_a_source_the_profile_cannot_read(text: str, meta: dict[str, Any]) -> None:
    [problem] = derivation_problems(b"Title\n\nAuthor only\n\nBody.\n", text, meta, SHOWN)
    assert (problem.file, problem.line, problem.code) == (SHOWN["source.txt"], 3, "derive.source")
    assert "expected a date like '7 February 2024' (profile wsws)" in problem.message


def test_another_profile_is_used_when_recorded(source: bytes, text: str, meta: dict[str, Any]) -> None:
    meta["profile"] = "plain"  # plain keeps the WSWS footer, so the text no longer derives
    codes = [p.code for p in derivation_problems(source, text, meta, SHOWN)]
    assert codes == ["derive.text"]
    meta["profile"] = "nosuch"
    [problem] = derivation_problems(source, text, meta, SHOWN)
    assert (problem.pointer, problem.code) == ("/profile", "derive.profile") and "known profiles: plain, wikinews, wsws" in problem.message


def test_unreadable_files_are_left_to_the_loader(text: str, meta: dict[str, Any]) -> None:
    assert derivation_problems(None, text, meta, SHOWN) == []
    assert derivation_problems(b"\xff\xfe", text, meta, SHOWN) == []


def test_validate_rederives_the_seed_from_its_source(tmp_path: Path) -> None:
    """validate itself re-runs the profile: a hand-edited title or text.txt is reported, located."""
    import json

    from conftest import copy_seed, dump, run_cli, sha256

    raw = copy_seed(tmp_path / "raw")
    folder = next(raw.iterdir())
    meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    meta["title"] = meta["title"].replace("purge", "reshuffle")
    (folder / "document.json").write_text(dump(meta), encoding="utf-8")
    result = run_cli("validate", "--raw", raw, "--no-cache")
    assert result.returncode == 1
    assert "[derive.field] /title" in result.stdout and "document.json:" in result.stdout
    # A recorded override is accepted (and is what the card lists).
    meta["overrides"] = {"title": {"value": meta["title"], "reason": "the headline was corrected by the publisher later"}}
    (folder / "document.json").write_text(dump(meta), encoding="utf-8")
    assert run_cli("validate", "--raw", raw, "--no-cache").returncode == 0
    text = (folder / "text.txt").read_text(encoding="utf-8").replace("Zelensky", "Zelenskyy", 1)
    (folder / "text.txt").write_text(text, encoding="utf-8")
    meta["text_sha256"] = sha256(text.encode())
    (folder / "document.json").write_text(dump(meta), encoding="utf-8")
    result = run_cli("validate", "--raw", raw, "--no-cache")
    assert result.returncode == 1 and "[derive.text]" in result.stdout and "text.txt:1:" in result.stdout
