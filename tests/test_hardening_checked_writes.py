"""Issue 22, class 7: a command that creates corpus files checks them with the validator before it writes.

``add`` (its staged folder), ``import brat``/``import labelstudio`` and ``accept`` (the document as
it would be) write nothing that ``validate`` rejects; the repairing commands ``fix-offsets`` and
``format`` may leave faults they cannot mend but never write a file with a new one
(:func:`newsanno.validate.problems_added`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ALPHA_TEXT, run_cli, write_corpus

from newsanno import corpus
from newsanno.validate import problems_added


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --- add -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "byline"),
    [
        ("Council \u202eapproves budget", "By Ann Lee"),  # the example: RIGHT-TO-LEFT OVERRIDE
        ("Council approves\u200b budget", "By Ann Lee"),
        ("Council approves \u2066budget\u2069", "By Ann Lee"),
        ("Council approves budget", "By Ann\u200d Lee"),
        ("Council approves budget", "By Ann \u202eLee"),
    ],
)
def test_add_never_writes_a_document_validate_rejects(tmp_path: Path, headline: str, byline: str) -> None:
    source = tmp_path / "story.txt"
    source.write_text(f"{headline}\n\n{byline}\nMarch 3, 2025\n\nThe council met on Monday.\n", encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    done = run_cli("add", source, "--raw", raw, "--profile", "plain", "--publisher", "Gazette", "--split", "train", "--id", "council")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[text.invisible]" in done.stdout + done.stderr and "internal error" not in done.stderr
    assert list(raw.iterdir()) == []


# --- imports -----------------------------------------------------------------------------------------


def test_import_brat_never_writes_crossing_names(tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    out = tmp_path / "brat"
    assert run_cli("export", "brat", "--raw", raw, "--out", out).returncode == 0
    ann = out / "alpha.ann"
    start = ALPHA_TEXT.index("Lopez")
    crossing = ALPHA_TEXT[start : start + 10]  # "Lopez, the": crosses the name "Maria Lopez"
    ann.write_text(ann.read_text(encoding="utf-8") + f"T99\tPERSON {start} {start + 10}\t{crossing}\nA99\tForm T99 NAM\n", encoding="utf-8")
    before = _snapshot(raw)
    done = run_cli("import", "brat", raw / "alpha", ann, "--raw", raw)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[span.nam_overlap]" in done.stdout and "not written" in done.stdout
    assert _snapshot(raw) == before


@pytest.mark.parametrize("text", ["Lopez, the", "Maria Lopez"])
def test_import_labelstudio_never_writes_what_validate_rejects(tmp_path: Path, text: str) -> None:
    """A second name crossing the first, and the same name twice on one span with one id: both are refused."""
    raw = write_corpus(tmp_path / "raw")
    out = tmp_path / "ls"
    assert run_cli("export", "labelstudio", "--raw", raw, "--out", out).returncode == 0
    tasks = json.loads((out / "tasks.json").read_text(encoding="utf-8"))
    task = next(t for t in tasks if t["data"]["document_id"] == "alpha")
    results = task["annotations"][0]["result"]
    first = next(r for r in results if r["type"] == "labels" and r["value"]["text"] == "Maria Lopez")
    start = ALPHA_TEXT.index(text)
    extra = {**first, "value": {**first["value"], "start": start, "end": start + len(text), "text": text}}
    if text == "Lopez, the":
        extra["id"] = "M99"
    results.append(extra)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    before = _snapshot(raw)
    done = run_cli("import", "labelstudio", export, "--config", out / "labelstudio-config.json", "--raw", raw)
    assert done.returncode == 1, done.stdout + done.stderr
    assert ": error [" in done.stdout and "internal error" not in done.stderr
    assert _snapshot(raw) == before


# --- fix-offsets and format: never a new fault --------------------------------------------------------


def _alpha_with(tmp_path: Path, change: Callable[[list[dict[str, Any]]], None]) -> Path:
    """The fixture corpus with ``change`` applied to alpha's mentions."""
    raw = write_corpus(tmp_path / "raw")
    path = raw / "alpha" / corpus.ANNOTATIONS
    ann = json.loads(path.read_text(encoding="utf-8"))
    change(ann["mentions"])
    path.write_text(json.dumps(ann, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return raw


def _with_misplaced_crossing_name(tmp_path: Path) -> Path:
    """alpha plus a NAM mention 'Lopez, the' whose offsets are wrong: its one occurrence crosses 'Maria Lopez'."""

    def add(mentions: list[dict[str, Any]]) -> None:
        person = next(m for m in mentions if m["text"] == "Maria Lopez")
        mentions.append({**person, "id": "M99", "start": 120, "end": 130, "text": "Lopez, the"})

    return _alpha_with(tmp_path, add)


@pytest.mark.parametrize("dry_run", [False, True])
def test_fix_offsets_never_writes_a_fix_that_breaks_another_rule(tmp_path: Path, dry_run: bool) -> None:
    raw = _with_misplaced_crossing_name(tmp_path)
    before = _snapshot(raw)
    done = run_cli("fix-offsets", raw / "alpha", *(["--dry-run"] if dry_run else []))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "[span.nam_overlap]" in done.stderr and "not written" in done.stderr
    assert _snapshot(raw) == before


def test_fix_offsets_still_writes_a_fix_that_leaves_only_old_faults(tmp_path: Path) -> None:
    """A document with an unfixable span and a fixable one: the fix is written, the old fault stays and is reported."""

    def misplace(mentions: list[dict[str, Any]]) -> None:
        tribune = next(m for m in mentions if m["text"] == "Springfield Tribune")
        tribune["start"] += 3
        tribune["end"] += 3
        mentions.append({**tribune, "id": "M99", "start": 1, "end": 5, "text": "nowhere in the text"})

    raw = _alpha_with(tmp_path, misplace)
    path = raw / "alpha" / corpus.ANNOTATIONS
    tribune_id = next(m["id"] for m in json.loads(path.read_text(encoding="utf-8"))["mentions"] if m["text"] == "Springfield Tribune")
    done = run_cli("fix-offsets", raw / "alpha")
    assert done.returncode == 1  # the absent span is left and reported
    assert "fixed" in done.stdout and "cannot fix" in done.stdout and "not written" not in done.stderr
    fixed = json.loads(path.read_text(encoding="utf-8"))
    assert next(m for m in fixed["mentions"] if m["id"] == tribune_id)["start"] == ALPHA_TEXT.index("Springfield Tribune")


def test_problems_added_names_only_new_errors(tmp_path: Path) -> None:
    raw = _with_misplaced_crossing_name(tmp_path)
    folder = raw / "alpha"
    current = (folder / corpus.ANNOTATIONS).read_bytes()
    assert problems_added(folder, {corpus.ANNOTATIONS: current}) == []  # the same bytes: nothing new
    # New text bytes break the recorded hash: a new error, named.
    added = problems_added(folder, {corpus.TEXT: (folder / corpus.TEXT).read_bytes() + b"More.\n"})
    assert added and {p.file for p in added} == {corpus.display(folder / corpus.DOCUMENT)}
    # A document.json with an invisible character in its title: a new error.
    meta = json.loads((folder / corpus.DOCUMENT).read_text(encoding="utf-8"))
    data = (json.dumps({**meta, "title": "Head\u202eline"}, indent=2, ensure_ascii=False) + "\n").encode()
    assert any(p.code == "text.invisible" for p in problems_added(folder, {corpus.DOCUMENT: data}))


def test_format_rewrites_a_faulty_document_without_adding_a_fault(tmp_path: Path) -> None:
    """format only puts keys in order: a document with an old fault is still formatted, and validates no worse."""
    raw = _with_misplaced_crossing_name(tmp_path)
    path = raw / "alpha" / corpus.ANNOTATIONS
    ann = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({k: ann[k] for k in reversed(list(ann))}) + "\n", encoding="utf-8")
    done = run_cli("format", raw / "alpha")
    assert done.returncode == 0, done.stderr
    assert "reformatted" in done.stderr and json.loads(path.read_text(encoding="utf-8")) == ann
