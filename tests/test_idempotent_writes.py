"""Issue 22, class 3: multi-file writes that a crash or a repeat cannot double, mix or silently undo.

``accept`` writes gold and then suggestions.json; a crash between the two, or a plain re-run,
must not put an item into gold twice.  ``validate`` refuses two quotes, claims or mentions on one
span.  ``adjudicate`` refuses a record made for other inputs (swapped, or gold given as A).  A
build interrupted at any step of its folder swap is recovered by the next build.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import DocBuilder, alpha, dump, run_cli, write_document

from newsanno.cli import accept as accept_cli

SUGGEST_TEXT = 'On Monday, Maria Lopez said, "We will win the vote." The Springfield Tribune disagreed. Maria Lopez left.\n'


def _fresh(corpus: Path) -> Path:
    folder = write_document(corpus, DocBuilder("delta", SUGGEST_TEXT), "train")
    assert run_cli("suggest", "--raw", corpus, "delta").returncode == 0
    return folder


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _spans(gold: dict[str, Any], layer: str) -> list[tuple[int, int]]:
    return [(x["start"], x["end"]) for x in gold[layer]]


def _crash_on_second_write(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make accept's second write (suggestions.json) fail as a crash would, after gold was written."""
    real, written = accept_cli.write_atomic, []

    def write(path: Path, data: bytes, **kw: Any) -> None:
        if written:
            raise KeyboardInterrupt  # the process dies here: no handler may tidy up
        written.append(path)
        real(path, data, **kw)

    monkeypatch.setattr(accept_cli, "write_atomic", write)
    return written


@pytest.mark.parametrize("ids", [["--all"], ["QUOTE"]])
def test_accept_rerun_after_a_crash_between_its_writes_adds_nothing_twice(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, ids: list[str]
) -> None:
    folder = _fresh(corpus)
    sugg = _read(folder / "suggestions.json")
    ids = [sugg["quotes"][0]["id"] if i == "QUOTE" else i for i in ids]
    written = _crash_on_second_write(monkeypatch)
    crashed = run_cli("accept", "--raw", corpus, "delta", *ids)
    assert crashed.returncode != 0 and written == [folder / "annotations.json"]
    assert _read(folder / "suggestions.json") == sugg, "the crash left suggestions.json as it was"
    after_crash = (folder / "annotations.json").read_bytes()
    monkeypatch.undo()

    again = run_cli("accept", "--raw", corpus, "delta", *ids)

    assert again.returncode == 0, again.stderr
    assert "already in gold" in again.stdout
    assert (folder / "annotations.json").read_bytes() == after_crash, "the re-run added nothing to gold"
    gold = _read(folder / "annotations.json")
    for layer in ("mentions", "quotes"):
        assert len(set(_spans(gold, layer))) == len(gold[layer])
    left = _read(folder / "suggestions.json")
    assert not {q["id"] for q in left["quotes"]} & set(ids)
    assert run_cli("validate", "--raw", corpus, folder).returncode == 0
    # A third run: the ids are gone from suggestions.json (refused, nothing written), or --all accepts nothing new.
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    third = run_cli("accept", "--raw", corpus, "delta", *ids)
    assert third.returncode == (0 if ids == ["--all"] else 1), third.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_accept_of_a_span_the_annotator_already_marked_reuses_it(corpus: Path) -> None:
    folder = _fresh(corpus)
    sugg = _read(folder / "suggestions.json")
    speaker = next(m for m in sugg["mentions"] if m["text"] == "Maria Lopez")
    gold = _read(folder / "annotations.json")
    gold["entities"] = [{"id": "E7", "name": "Maria Lopez", "type": "PERSON", "wikidata": None}]
    gold["mentions"] = [{**speaker, "id": "M9", "entity_id": "E7"}]
    (folder / "annotations.json").write_text(json.dumps(gold, indent=2) + "\n", encoding="utf-8")
    quote = next(q for q in sugg["quotes"] if q["speaker_mention_id"] == speaker["id"])

    result = run_cli("accept", "--raw", corpus, "delta", speaker["id"], quote["id"])

    assert result.returncode == 0, result.stderr
    gold = _read(folder / "annotations.json")
    assert [m["id"] for m in gold["mentions"]] == ["M9"], "the hand-made mention is the accepted one"
    assert gold["quotes"][0]["speaker_mention_id"] == "M9" and gold["quotes"][0]["speaker_entity_id"] == "E7"
    assert run_cli("validate", "--raw", corpus, folder).returncode == 0


@pytest.mark.parametrize(
    ("layer", "index"),
    [("quotes", 0), ("quotes", 1), ("claims", 0), ("claims", 1), ("mentions", 1)],
)
def test_validate_refuses_the_same_annotation_twice_on_one_span(tmp_path: Path, layer: str, index: int) -> None:
    b = alpha()
    twin = {**b.ann[layer][index], "id": "X9"}
    b.ann[layer].append(twin)
    write_document(tmp_path / "raw", b, "train")

    result = run_cli("validate", "--raw", tmp_path / "raw")

    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if "span.duplicate" in x)
    first = b.ann[layer][index]["id"]
    assert re.search(rf"\[span\.duplicate\] /{layer}/{len(b.ann[layer]) - 1} \(X9\)", line), line
    assert f"same span {twin['start']}-{twin['end']} as '{first}'" in line


def test_two_names_on_one_span_are_reported_once(tmp_path: Path) -> None:
    b = alpha()
    b.mentions.append({**b.mentions[0], "id": "X9"})  # NAM twice: the flat-names rule says it
    write_document(tmp_path / "raw", b, "train")
    result = run_cli("validate", "--raw", tmp_path / "raw")
    assert result.returncode == 1
    assert "span.nam_overlap" in result.stdout and "span.duplicate" not in result.stdout


def _adjudication_folder(tmp_path: Path) -> Path:
    """The alpha document with A and B beside it, B differing in two decisions' worth."""
    folder = write_document(tmp_path / "raw", alpha(), "train")
    b = alpha()
    b.quotes[0]["kind"] = "indirect"
    b.claims[1]["checkworthiness"] = "CFS"
    (folder / "annotations.a.json").write_text(dump(alpha().annotations()), encoding="utf-8")
    (folder / "annotations.b.json").write_text(dump(b.annotations()), encoding="utf-8")
    return folder


def _decided(folder: Path) -> Path:
    """A record with every item decided, as an adjudicator leaves it."""
    a, b, rec = folder / "annotations.a.json", folder / "annotations.b.json", folder / "adjudication.json"
    assert run_cli("adjudicate", a, b, "--record", rec).returncode == 1
    record = _read(rec)
    assert len(record["items"]) == 2
    for item in record["items"]:
        item.update(decision="keep_b", reason="B follows the rule.")
    rec.write_text(dump(record), encoding="utf-8")
    return rec


def test_adjudicate_refuses_inputs_the_record_was_not_made_from(tmp_path: Path) -> None:
    folder = _adjudication_folder(tmp_path)
    rec = _decided(folder)
    a, b, gold = folder / "annotations.a.json", folder / "annotations.b.json", folder / "annotations.json"
    assert run_cli("adjudicate", a, b, "--record", rec).returncode == 0  # decided: the digests are recorded
    recorded = rec.read_bytes()
    assert {"a_sha256", "b_sha256"} <= _read(rec).keys()
    copies = tmp_path / "copies"
    copies.mkdir()
    (copies / "annotations.a.json").write_bytes(b.read_bytes())  # swapped by copying: the names are right
    (copies / "annotations.b.json").write_bytes(a.read_bytes())
    attacks = {
        "swapped": (b, a, "A and B are swapped"),
        "gold as A": (gold, b, "these are not its inputs"),
        "gold as B": (a, gold, "these are not its inputs"),
        "swapped contents": (copies / "annotations.a.json", copies / "annotations.b.json", "A and B are swapped"),
    }
    for name, (x, y, why) in attacks.items():
        result = run_cli("adjudicate", x, y, "--record", rec, "--out", tmp_path / "merged.json")
        assert result.returncode == 1, name
        lines = (result.stdout + result.stderr).splitlines()
        assert len(lines) == 1 and "[adjudication.inputs]" in lines[0] and why in lines[0], (name, lines)
        assert rec.read_bytes() == recorded, f"{name}: the record and its decisions are untouched"
        assert not (tmp_path / "merged.json").exists()


def test_an_old_record_without_digests_is_read_and_gets_them(tmp_path: Path) -> None:
    folder = _adjudication_folder(tmp_path)
    rec = _decided(folder)
    old = _read(rec)
    for key in ("a_sha256", "b_sha256"):
        old.pop(key, None)
    rec.write_text(dump(old), encoding="utf-8")
    a, b = folder / "annotations.a.json", folder / "annotations.b.json"
    assert run_cli("validate", "--raw", folder.parent, "--no-cache").returncode == 0

    result = run_cli("adjudicate", a, b, "--record", rec)

    assert result.returncode == 0, result.stdout + result.stderr
    new = _read(rec)
    assert new["a_sha256"] == hashlib.sha256(a.read_bytes()).hexdigest() and new["b_sha256"] == hashlib.sha256(b.read_bytes()).hexdigest()
    assert [(x["decision"], x["reason"]) for x in new["items"]] == [(x["decision"], x["reason"]) for x in old["items"]]
    assert run_cli("adjudicate", b, a, "--record", rec).returncode == 1  # and now a swap is refused by name


# A build killed at each step of its folder swap: the child process dies with os._exit at the named
# point (no handler, no cleanup, as under SIGKILL), after the step before it completed.
KILLER = """
import os, sys
from pathlib import Path
from newsanno.builder import BuildOptions, RunOptions, build_dataset, dataset, staging

raw, out, cache, where = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
def die(*args, **kwargs):
    os._exit(9)
if where == "building":
    real = dataset._write
    def write(raw, stage, *args):
        (stage / "half-written.parquet").write_bytes(b"PAR1")
        die()
    dataset._write = write
elif where == "discarding":
    def discard(retired):
        next(p for p in sorted(retired.rglob("*")) if p.is_file()).unlink()
        die()
    staging._discard = discard
else:
    setattr(staging, where, die)
build_dataset(raw, out, card="# Killed card\\n", options=BuildOptions(run=RunOptions(cache_dir=cache), version="9.8.7"))
"""

STEPS = {
    # where it dies: (no dataset/ folder left behind?, what the next run says it did)
    "building": (False, ["removed .dataset.staging-"]),
    "_retire": (False, ["removed .dataset.staging-"]),
    "_install": (True, ["restored from .dataset.old-", "removed .dataset.staging-"]),
    "_discard": (False, ["removed .dataset.old-"]),
    "discarding": (False, ["removed .dataset.old-"]),
}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("where", STEPS)
def test_a_build_killed_at_any_step_of_its_swap_is_recovered_by_the_next(corpus: Path, tmp_path: Path, where: str) -> None:
    from newsanno.builder import BuildOptions, RunOptions, build_dataset, staging

    options = BuildOptions(run=RunOptions(cache_dir=tmp_path / "cache"), version="9.8.7")
    parent = tmp_path / "site"
    out = parent / "dataset"
    assert build_dataset(corpus, out, card="# Old card\n", options=options).ok
    old = _tree(out)

    killed = subprocess.run([sys.executable, "-c", KILLER, corpus, out, tmp_path / "cache", where], capture_output=True, text=True)

    assert killed.returncode == 9, killed.stderr
    gone, said = STEPS[where]
    assert out.exists() is not gone
    assert sorted(p.name for p in parent.iterdir()) != ["dataset"], "the kill left something behind"
    if gone:
        notes = staging.recover(out)  # on its own: the last complete dataset comes back, whatever is built next
        assert _tree(out) == old
        assert len(notes) == len(said) and all(n.message.startswith(s) for n, s in zip(notes, said, strict=True)), notes
        assert build_dataset(corpus, out, card="# New card\n", options=options).ok
    else:
        result = build_dataset(corpus, out, card="# New card\n", options=options)
        assert result.ok, result.problems
        warned = [p.message for p in result.problems if p.code == "output.recovered"]
        assert len(warned) == len(said) and all(w.startswith(s) for w, s in zip(warned, said, strict=True)), warned
        assert all(p.severity == "warning" and p.file == str(out) for p in result.problems if p.code == "output.recovered")
    assert sorted(p.name for p in parent.iterdir()) == ["dataset"]
    assert build_dataset(corpus, tmp_path / "fresh", card="# New card\n", options=options).ok
    assert _tree(out) == _tree(tmp_path / "fresh")


def test_recovery_removes_a_planted_link_without_following_it(tmp_path: Path) -> None:
    from newsanno.builder import staging

    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("mine\n", encoding="utf-8")
    out = tmp_path / "site" / "dataset"
    out.parent.mkdir()
    (out.parent / ".dataset.old-x1").symlink_to(victim, target_is_directory=True)
    notes = staging.recover(out)
    assert not out.exists(), "a link is never restored as the dataset"
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "mine\n"
    assert [n.code for n in notes] == ["output.recovered"] and not (out.parent / ".dataset.old-x1").is_symlink()
