"""``newsanno add``: a received article becomes raw/<id>/ byte for byte as committed, or nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, SEED_ID, dump, run_cli

from newsanno.contribute.add import add_document, propose_id
from newsanno.validate.derive import derivation_problems

SEED = ROOT / "raw" / SEED_ID
FILES = ("source.txt", "text.txt", "document.json", "annotations.json")

WIRE = """Harbour strike ends after three weeks

By Elena Marsh
March 3, 2025

PORT CALDER, March 3 (Wire) \u2014 Dock workers at the Port Calder Harbour Authority voted on Monday to end a strike
that had idled the port for three weeks, union officials said.

"We got what we came for," said Tomas Reyes, a union steward.
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the parent of ``folder`` (raw/ and whatever sits beside it), by relative path."""
    base = folder.parent
    return {p.relative_to(base).as_posix(): p.read_bytes() if p.is_file() else b"<dir>" for p in sorted(base.rglob("*"))}


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    return folder


def shown_files(folder: Path) -> dict[str, str]:
    return {name: str(folder / name) for name in FILES}


def test_seed_comes_out_byte_identical(raw: Path) -> None:
    result = run_cli("add", SEED / "source.txt", "--profile", "wsws", "--raw", raw)
    assert result.returncode == 0, result.stderr
    folder = raw / SEED_ID  # the proposed id is the committed one
    assert result.stdout.strip() == str(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    for name in ("source.txt", "text.txt", "document.json"):
        assert (folder / name).read_bytes() == (SEED / name).read_bytes(), name
    empty = {"document_id": SEED_ID, "entities": [], "mentions": [], "quotes": [], "claims": [], "exceptions": []}
    assert (folder / "annotations.json").read_text(encoding="utf-8") == dump(empty)
    assert sorted(p.name for p in raw.parent.iterdir()) == ["raw"]  # no temporary folder left beside raw/
    assert run_cli("validate", "--raw", raw).returncode == 0


def test_proposed_id_rule() -> None:
    assert propose_id("wsws", "2024-02-07", "Zelensky confirms planned purge of Ukrainian military leadership") == SEED_ID
    assert propose_id("plain", "2025-03-03", "Harbour strike ends after three weeks") == "plain-2025-03-03-harbour-strike"
    assert propose_id("plain", "2025-03-03", "Crisis talks: Paris says no") == "plain-2025-03-03-crisis-paris"
    assert propose_id("plain", "2025-03-03", "Ends") == "plain-2025-03-03-ends"  # nothing else: a verb-like word fills in


def test_given_id_and_split(raw: Path) -> None:
    result = run_cli("add", SEED / "source.txt", "--id", "seed-copy", "--split", "test", "--raw", raw)
    assert result.returncode == 0, result.stderr
    meta = json.loads((raw / "seed-copy" / "document.json").read_text(encoding="utf-8"))
    assert (meta["id"], meta["split"]) == ("seed-copy", "test")
    assert json.loads((raw / "seed-copy" / "annotations.json").read_text(encoding="utf-8"))["document_id"] == "seed-copy"


def test_plain_wire_article(tmp_path: Path, raw: Path) -> None:
    source = tmp_path / "wire.txt"
    source.write_text(WIRE, encoding="utf-8")
    result = run_cli("add", source, "--profile", "plain", "--publisher", "Calder Wire", "--raw", raw)
    assert result.returncode == 0, result.stderr
    folder = raw / "plain-2025-03-03-harbour-strike"
    meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    assert (
        meta["author"] == "Elena Marsh" and meta["published"] == "2025-03-03" and meta["title"] == "Harbour strike ends after three weeks"
    )
    assert (meta["publisher"], meta["profile"], meta["rights"]) == (
        "Calder Wire",
        "plain",
        {
            "text": "LicenseRef-publisher-terms",
            "notice": "All rights reserved by the publisher. The text is redistributed for non-commercial research and is not covered by the annotations' licence.",
            "annotations": "CC-BY-4.0",
        },
    )
    assert "overrides" not in meta  # everything came from the source
    text = (folder / "text.txt").read_text(encoding="utf-8")
    assert text.startswith("PORT CALDER, March 3 (Wire) \u2014 Dock workers") and "strike that had idled" in text  # the dateline stays
    assert "Elena Marsh" not in text and "March 3, 2025" not in text
    assert (folder / "source.txt").read_bytes() == WIRE.encode("utf-8")
    assert derivation_problems((folder / "source.txt").read_bytes(), (folder / "text.txt").read_bytes(), meta, shown_files(folder)) == []
    assert run_cli("validate", "--raw", raw).returncode == 0


def test_plain_without_a_full_date_takes_published_as_an_override(tmp_path: Path, raw: Path) -> None:
    source = tmp_path / "wire.txt"
    source.write_text(WIRE.replace("March 3, 2025\n", ""), encoding="utf-8")
    before = snapshot(raw)
    missing = run_cli("add", source, "--profile", "plain", "--publisher", "Calder Wire", "--raw", raw)
    assert missing.returncode == 1 and "--published" in missing.stderr and snapshot(raw) == before
    wrong_day = run_cli("add", source, "--profile", "plain", "--publisher", "W", "--published", "2025-03-04", "--raw", raw)
    assert wrong_day.returncode == 1 and "dateline" in wrong_day.stderr and snapshot(raw) == before

    result = run_cli("add", source, "--profile", "plain", "--publisher", "Calder Wire", "--published", "2025-03-03", "--raw", raw)
    assert result.returncode == 0, result.stderr
    folder = raw / "plain-2025-03-03-harbour-strike"
    meta = json.loads((folder / "document.json").read_text(encoding="utf-8"))
    assert meta["published"] == "2025-03-03" and meta["author"] == "Elena Marsh"
    assert meta["overrides"]["published"]["value"] == "2025-03-03" and "--published" in meta["overrides"]["published"]["reason"]
    assert derivation_problems((folder / "source.txt").read_bytes(), (folder / "text.txt").read_bytes(), meta, shown_files(folder)) == []
    assert run_cli("validate", "--raw", raw).returncode == 0


def test_published_must_agree_with_the_source(raw: Path) -> None:
    result = run_cli("add", SEED / "source.txt", "--published", "2024-02-08", "--raw", raw)
    assert result.returncode == 1 and "differs from 2024-02-07 printed in the source" in result.stderr and list(raw.iterdir()) == []


def test_plain_needs_a_publisher(tmp_path: Path, raw: Path) -> None:
    source = tmp_path / "wire.txt"
    source.write_text(WIRE, encoding="utf-8")
    result = run_cli("add", source, "--profile", "plain", "--raw", raw)
    assert result.returncode == 1 and "--publisher" in result.stderr and list(raw.iterdir()) == []


def _bad_source(tmp_path: Path, kind: str) -> tuple[Path, list[str]]:
    """A source file of the given kind of bad input and any extra options."""
    path = tmp_path / f"{kind}.txt"
    good = (SEED / "source.txt").read_bytes()
    content = {
        "empty": b"",
        "blank": b"\n \n\t\n",
        "binary": b"Title\n\nAuthor\n7 February 2024\n\nBody\x00.\n",
        "latin1": "Title\n\nAuthor\n7 February 2024\n\nCaf\u00e9.\n".encode("latin-1"),
        "huge": good,
        "nodate": b"Title\n\nAuthor only\n\nBody.\n",
        "nobody": b"Title\n\nAuthor\n7 February 2024\n",
    }.get(kind)
    if content is not None:
        path.write_bytes(content)
    return path, (["--max-file-bytes", "1000"] if kind == "huge" else [])


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("missing", "missing.txt: error [add.missing]: no such file"),
        ("empty", "empty.txt: error [add.empty]: file is empty"),
        ("blank", "blank.txt: error [add.empty]"),
        ("binary", "binary.txt:6: error [add.binary]: file holds NUL bytes"),
        ("latin1", "latin1.txt:6:4: error [encoding.utf8]: not valid UTF-8: byte 0xe9"),
        ("huge", "huge.txt: error [add.too_large]: file is 8579 bytes, more than --max-file-bytes 1000"),
        ("nodate", "nodate.txt:3: error [add.layout]: 'Author only' is not a date; expected a date like '7 February 2024' (profile wsws)"),
        ("nobody", "nobody.txt:5: error [add.layout]: expected the article body after the byline (profile wsws)"),
    ],
)
def test_bad_source_writes_nothing(tmp_path: Path, raw: Path, kind: str, expected: str) -> None:
    (raw / "keep").mkdir()
    (raw / "keep" / "document.json").write_bytes(b"{}\n")
    source, extra = _bad_source(tmp_path, kind)
    before = snapshot(raw)
    result = run_cli("add", source, *extra, "--raw", raw)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert result.stdout == "" and snapshot(raw) == before


@pytest.mark.parametrize(
    ("doc_id", "code"),
    [
        (SEED_ID, "add.exists"),
        ("../escaped", "add.id_escapes"),
        ("..", "add.id_escapes"),
        ("a/b", "add.id_escapes"),
        ("Not_A_Slug", "add.bad_id"),
        ("trailing-newline\n", "add.bad_id"),
        ("x" * 101, "add.bad_id"),
    ],
)
def test_bad_id_writes_nothing(raw: Path, doc_id: str, code: str) -> None:
    assert add_document(SEED / "source.txt", raw).folder == raw / SEED_ID
    before = snapshot(raw)
    result = run_cli("add", SEED / "source.txt", "--id", doc_id, "--raw", raw)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and f"error [{code}]" in result.stderr, result.stderr
    assert snapshot(raw) == before
    assert not (raw.parent / "escaped").exists()


def test_unknown_profile_and_missing_raw(tmp_path: Path, raw: Path) -> None:
    result = run_cli("add", SEED / "source.txt", "--profile", "../schema", "--raw", raw)
    assert result.returncode == 1 and "unknown profile '../schema'; known profiles: plain, wikinews, wsws" in result.stderr
    assert list(raw.iterdir()) == []
    result = run_cli("add", SEED / "source.txt", "--raw", tmp_path / "nowhere")
    assert result.returncode == 1 and "[add.missing_root]" in result.stderr and not (tmp_path / "nowhere").exists()
