"""Hostile and broken input through the real CLI: one located error line, exit 1, nothing written."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import alpha, dump, run_cli, write_document

from newsanno.cli import main

Mutation = Callable[[Path, Path], None]


def _ann(folder: Path, change: Callable[[dict[str, Any]], None]) -> None:
    value = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    change(value)
    (folder / "annotations.json").write_text(dump(value), encoding="utf-8")


def _replace(folder: Path, name: str, old: bytes, new: bytes) -> None:
    data = (folder / name).read_bytes()
    assert old in data
    (folder / name).write_bytes(data.replace(old, new, 1))


def _grapheme(root: Path, folder: Path) -> None:
    # "x" + COMBINING ACUTE has no precomposed form, so the text stays NFC with a 2-code-point cluster.
    text = "x\u0301" + (folder / "text.txt").read_text(encoding="utf-8")
    (folder / "text.txt").write_text(text, encoding="utf-8")
    meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    meta["text_sha256"] = hashlib.sha256(text.encode()).hexdigest()
    (folder / "document.json").write_text(dump(meta), encoding="utf-8")

    def shift(a: dict[str, Any]) -> None:
        for layer in ("mentions", "quotes", "claims"):
            for x in a[layer]:
                x["start"] += 2
                x["end"] += 2
                if layer == "quotes" and x["cue"]:
                    x["cue"]["start"] += 2
                    x["cue"]["end"] += 2
        a["mentions"][0].update(start=1, end=13, text="\u0301Maria Lopez")

    _ann(folder, shift)


def _symlink_file(root: Path, folder: Path) -> None:
    outside = root.parent / "outside.json"
    shutil.move(folder / "annotations.json", outside)
    (folder / "annotations.json").symlink_to(outside)


def _symlink_folder(root: Path, folder: Path) -> None:
    shutil.move(folder, root.parent / "elsewhere")
    folder.symlink_to(root.parent / "elsewhere")


# name -> (mutation, file the error must name, expected code, expected "line:col" or None, text the message must contain)
CASES: dict[str, tuple[Mutation, str, str, str | None, str]] = {
    "text not utf-8": (lambda r, f: _replace(f, "text.txt", b"Lopez", b"Lo\xffez"), "text.txt", "encoding.utf8", "1:9", "byte 0xff"),
    "json not utf-8": (
        lambda r, f: _replace(f, "annotations.json", b'"Maria Lopez"', b'"Maria \xc3Lopez"'),
        "annotations.json",
        "encoding.utf8",
        "6:22",
        "not valid UTF-8",
    ),
    "bom in text": (lambda r, f: _replace(f, "text.txt", b"M", b"\xef\xbb\xbfM"), "text.txt", "encoding.bom", "1:1", "byte-order mark"),
    "bom in json": (
        lambda r, f: _replace(f, "document.json", b"{", b"\xef\xbb\xbf{"),
        "document.json",
        "encoding.bom",
        "1:1",
        "byte-order mark",
    ),
    "crlf in text": (lambda r, f: _replace(f, "text.txt", b"\n", b"\r\n"), "text.txt", "encoding.crlf", "1:85", "carriage return"),
    "crlf in json": (
        lambda r, f: _replace(f, "annotations.json", b"{\n", b"{\r\n"),
        "annotations.json",
        "encoding.crlf",
        "1:2",
        "carriage return",
    ),
    "invalid json": (
        lambda r, f: _replace(f, "annotations.json", b'"E2"', b'"E2",,'),
        "annotations.json",
        "json.syntax",
        "11:18",
        "invalid JSON",
    ),
    "duplicate key": (
        lambda r, f: _replace(f, "annotations.json", b'"form": "NAM"', b'"form": "NAM", "form": "NOM"'),
        "annotations.json",
        "json.duplicate_key",
        "49:22",
        "duplicate key 'form'",
    ),
    "NaN": (
        lambda r, f: _replace(f, "annotations.json", b'"start": 0', b'"start": NaN'),
        "annotations.json",
        "json.constant",
        "45:16",
        "NaN",
    ),
    "Infinity": (
        lambda r, f: _replace(f, "annotations.json", b'"start": 0', b'"start": -Infinity'),
        "annotations.json",
        "json.constant",
        "45:17",
        "Infinity",
    ),
    "number for string": (
        lambda r, f: _ann(f, lambda a: a["entities"][0].update(name=5)),
        "annotations.json",
        "schema.type",
        "6:15",
        "expected string, found integer 5",
    ),
    "string for number": (
        lambda r, f: _ann(f, lambda a: a["mentions"][1].update(start="7")),
        "annotations.json",
        "schema.type",
        "54:16",
        'expected integer, found string "7"',
    ),
    "boolean offset": (
        lambda r, f: _ann(f, lambda a: a["mentions"][0].update(start=False)),
        "annotations.json",
        "schema.type",
        "45:16",
        "expected integer, found boolean false",
    ),
    "float offset": (
        lambda r, f: _ann(f, lambda a: a["mentions"][0].update(end=11.0)),
        "annotations.json",
        "schema.type",
        "46:14",
        "expected integer, found number 11.0",
    ),
    "negative offset": (
        lambda r, f: _ann(f, lambda a: a["mentions"][0].update(start=-1)),
        "annotations.json",
        "schema.minimum",
        "45:16",
        "found integer -1",
    ),
    "reversed span": (
        lambda r, f: _ann(f, lambda a: a["mentions"][0].update(start=11, end=0)),
        "annotations.json",
        "span.order",
        "46:14",
        "reversed span",
    ),
    "zero-length span": (
        lambda r, f: _ann(f, lambda a: a["mentions"][0].update(start=5, end=5)),
        "annotations.json",
        "span.order",
        "46:14",
        "zero-length span",
    ),
    "out of range": (
        lambda r, f: _ann(f, lambda a: a["mentions"][0].update(start=5000, end=5011)),
        "annotations.json",
        "span.range",
        "46:14",
        "past the end of text.txt",
    ),
    "shifted offsets": (
        lambda r, f: _ann(f, lambda a: a["mentions"][2].update(start=27, end=38)),
        "annotations.json",
        "span.text",
        "63:16",
        "'Springfield' occurs at 26..37",
    ),
    "grapheme split": (_grapheme, "annotations.json", "span.grapheme", "45:16", "splits the grapheme cluster"),
    "unknown field": (
        lambda r, f: _ann(f, lambda a: a["mentions"][0].update(lable="PERSON")),
        "annotations.json",
        "schema.additionalProperties",
        "50:16",
        "did you mean 'label'?",
    ),
    "document id escapes": (
        lambda r, f: _ann(f, lambda a: a.update(document_id="../etc")),
        "annotations.json",
        "schema.pattern",
        "2:18",
        '"../etc"',
    ),
    "too deep": (
        lambda r, f: (f / "annotations.json").write_text("[" * 100_000 + "]" * 100_000),
        "annotations.json",
        "json.too_deep",
        "1:33",
        "at most 32 levels",
    ),
    "huge number": (
        lambda r, f: _replace(f, "annotations.json", b'"start": 0', b'"start": ' + b"9" * 5000),
        "annotations.json",
        "json.number",
        "45:16",
        "at most 30 digits",
    ),
    "sha256 mismatch": (
        lambda r, f: _replace(f, "text.txt", b"Monday", b"Friday"),
        "document.json",
        "hash.mismatch",
        "11:18",
        "offsets would silently drift",
    ),
    "symlinked file": (_symlink_file, "annotations.json", "layout.symlink", None, "symbolic link"),
    "symlinked folder": (_symlink_folder, "alpha", "layout.symlink", None, "symbolic link"),
}


def _fresh(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "raw"
    root.mkdir()
    return root, write_document(root, alpha(), "train")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gives_one_located_error(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mutate, file, code, position, needle = CASES[name]
    root, folder = _fresh(tmp_path)
    mutate(root, folder)
    before = _snapshot(root)
    assert main(["validate", "--raw", str(root), "--format", "json"]) == 1
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    hits = [p for p in found if p["code"] == code and p["file"].endswith(file)]
    assert hits, found
    p = hits[0]
    assert needle in p["message"] + (p["hint"] or "")
    if position:
        assert f"{p['line']}:{p['column']}" == position
    assert _snapshot(root) == before  # validate writes nothing


def test_semantic_checks_run_beside_schema_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, folder = _fresh(tmp_path)

    def both(a: dict[str, Any]) -> None:
        a["mentions"][0]["start"] = "0"  # schema error in M1
        a["mentions"][3]["start"] += 1  # offset error in the schema-valid M4
        a["mentions"][3]["end"] += 1

    _ann(folder, both)
    assert main(["validate", "--raw", str(root), "--format", "json"]) == 1
    codes = {(p["annotation_id"], p["code"]) for p in map(json.loads, capsys.readouterr().out.splitlines())}
    assert ("M1", "schema.type") in codes
    assert ("M4", "span.text") in codes


def test_path_arguments_must_stay_inside_raw(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, folder = _fresh(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (root / "linked").symlink_to(folder)
    for path, code in (
        (root / ".." / "other", "layout.outside_root"),
        (Path("/etc"), "layout.outside_root"),
        (root / "linked", "layout.symlink"),
        (root / "missing", "layout.missing_folder"),
    ):
        assert main(["validate", "--raw", str(root), "--format", "json", str(path)]) == 1
        found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert [p["code"] for p in found] == [code], path
    assert main(["validate", "--raw", str(root), str(folder / "annotations.json")]) == 0


def test_size_limit_is_configurable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = _fresh(tmp_path)
    assert main(["validate", "--raw", str(root), "--max-file-bytes", "100", "--format", "json"]) == 1
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {p["code"] for p in found} == {"file.too_large"}
    assert main(["validate", "--raw", str(root)]) == 0


def test_real_process_formats_and_exit_codes(tmp_path: Path) -> None:
    """The console entry in a new process: text, github, usage errors, never a traceback."""
    root, folder = _fresh(tmp_path)
    _ann(folder, lambda a: a["mentions"][2].update(start=27, end=38))
    text = run_cli("validate", "--raw", root)
    assert text.returncode == 1
    assert "alpha/annotations.json:63:16: error [span.text] /mentions/2/start (M3)" in text.stdout
    github = run_cli("validate", "--raw", root, "--format", "github")
    assert github.returncode == 1
    assert github.stdout.startswith("::error file=") and ",line=63,col=16," in github.stdout
    usage = run_cli("validate", "--no-such-option")
    assert usage.returncode == 2
    for proc in (text, github, usage):
        assert "Traceback" not in proc.stderr + proc.stdout
