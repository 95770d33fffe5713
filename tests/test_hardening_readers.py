"""Issue 22, class 2: readers that copied or walked whole folders.

A command reads and writes only the files it names, refuses links and special files, and never
recurses without a bound: a named pipe, a link loop, a link to a folder outside the corpus or
3,000 nested folders inside a document folder change nothing for accept, import, diff or build.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, alpha, git, run_cli, write_corpus, write_document

from newsanno import tree

HANG = 180  # a hang detector for the pipe cases (a blocked read never returns), not a timing
DEPTH = 3000
SECRET = "OUTSIDE-SECRET-7f3a"


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own, so a read that blocks on a pipe fails the test instead of hanging it."""
    return subprocess.run([sys.executable, "-m", "newsanno", *map(str, args)], capture_output=True, text=True, timeout=HANG, cwd=ROOT)


_NESTED: list[Path] = []


def _unnest(top: Path) -> None:
    """Remove a tree made by :func:`_nest` without recursion (pytest's own clean-up of its temporary
    folders recurses, and a tree this deep left behind crashes a later pytest session's clean-up)."""
    here = os.getcwd()
    try:
        os.chdir(top)
        depth = 0
        while os.path.isdir("d"):
            os.chdir("d")
            depth += 1
        for name in os.listdir("."):
            os.unlink(name)
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")
    finally:
        os.chdir(here)
    top.rmdir()


@pytest.fixture(autouse=True)
def _remove_nested_trees():  # type: ignore[no-untyped-def]
    yield
    while _NESTED:
        top = _NESTED.pop()
        if top.is_dir() and not top.is_symlink():
            _unnest(top)


def _nest(folder: Path, depth: int = DEPTH) -> None:
    """``depth`` nested folders under ``folder`` (made relative to keep each path short); removed after the test."""
    here = os.getcwd()
    (folder / "deep").mkdir()
    _NESTED.append(folder / "deep")
    os.chdir(folder / "deep")
    try:
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
        Path("leaf.txt").write_text("leaf", encoding="utf-8")
    finally:
        os.chdir(here)


def _outside(tmp_path: Path) -> Path:
    """A folder outside the corpus holding a secret and a pipe: reading it would leak or block."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    os.mkfifo(outside / "pipe")
    return outside


HOSTILE = ("pipe", "link-loop", "link-outside", "nested")


def _plant(folder: Path, kind: str, tmp_path: Path) -> None:
    """One hostile entry in a document folder, beside the files a command names."""
    if kind == "pipe":
        os.mkfifo(folder / "notes.fifo")
    elif kind == "link-loop":
        (folder / "loop").symlink_to(".")
        (folder / "a").symlink_to("b")
        (folder / "b").symlink_to("a")
    elif kind == "link-outside":
        (folder / "elsewhere").symlink_to(_outside(tmp_path), target_is_directory=True)
    else:
        _nest(folder)


def _corpus_with_suggestions(tmp_path: Path) -> tuple[Path, Path]:
    raw = write_corpus(tmp_path / "raw")
    assert run_cli("suggest", "--raw", raw, "alpha").returncode == 0
    return raw, raw / "alpha"


@pytest.mark.parametrize("kind", HOSTILE)
def test_accept_reads_only_the_files_it_names(kind: str, tmp_path: Path) -> None:
    raw, folder = _corpus_with_suggestions(tmp_path)
    _plant(folder, kind, tmp_path)
    done = cli("accept", "--raw", raw, "alpha", "--all")
    assert done.returncode == 0, done.stderr
    assert "accepted" in done.stdout and SECRET not in done.stdout + done.stderr
    assert run_cli("validate", "--raw", raw, folder).returncode == 0


@pytest.mark.parametrize("kind", ["link", "pipe"])
def test_accept_refuses_a_suggestions_file_that_is_a_link_or_a_pipe(kind: str, tmp_path: Path) -> None:
    raw, folder = _corpus_with_suggestions(tmp_path)
    gold = (folder / "annotations.json").read_bytes()
    moved = tmp_path / "suggestions.json"
    shutil.move(folder / "suggestions.json", moved)
    if kind == "link":
        (folder / "suggestions.json").symlink_to(moved)
    else:
        os.mkfifo(folder / "suggestions.json")
    done = cli("accept", "--raw", raw, "alpha", "--all")
    assert done.returncode == 1 and "internal error" not in done.stderr, done.stderr
    assert "suggestions.json" in done.stderr and (folder / "annotations.json").read_bytes() == gold


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("tool", ["labelstudio", "brat"])
def test_import_reads_only_the_files_it_names(kind: str, tool: str, tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    out = tmp_path / tool
    assert run_cli("export", tool, "--raw", raw, "--out", out).returncode == 0
    _plant(raw / "alpha", kind, tmp_path)
    if tool == "brat":
        done = cli("import", "brat", raw / "alpha", out / "alpha.ann", "--raw", raw)
    else:
        done = cli("import", "labelstudio", out / "tasks.json", "--config", out / "labelstudio-config.json", "--raw", raw)
    assert done.returncode == 0, done.stdout + done.stderr
    assert SECRET not in done.stdout + done.stderr


@pytest.mark.parametrize("kind", ["link", "pipe"])
def test_import_refuses_an_input_file_that_is_a_link_or_a_pipe(kind: str, tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    out = tmp_path / "brat"
    assert run_cli("export", "brat", "--raw", raw, "--out", out).returncode == 0
    ann = out / "alpha.ann"
    shutil.move(ann, tmp_path / "real.ann")
    if kind == "link":
        ann.symlink_to(tmp_path / "real.ann")
    else:
        os.mkfifo(ann)
    before = (raw / "alpha" / "annotations.json").read_bytes()
    done = cli("import", "brat", raw / "alpha", ann, "--raw", raw)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{ann}: error [import.not_regular]" in done.stdout + done.stderr
    assert (raw / "alpha" / "annotations.json").read_bytes() == before


@pytest.mark.parametrize("name", ["document.json", "annotations.json", "text.txt"])
def test_validate_refuses_a_corpus_file_that_is_a_pipe(name: str, tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    (raw / "alpha" / name).unlink()
    os.mkfifo(raw / "alpha" / name)
    done = cli("validate", "--raw", raw)
    assert done.returncode == 1, done.stderr
    assert f"raw/alpha/{name}" in done.stdout and "internal error" not in done.stderr


# --- diff --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["raw/alpha", "raw", "schema", "dataset"])
def test_diff_worktree_never_recurses_into_nested_folders(corpus_repo: Path, where: str) -> None:
    (corpus_repo / where).mkdir(exist_ok=True)
    _nest(corpus_repo / where)
    (corpus_repo / where / "loop").symlink_to(".")
    done = cli("diff", "HEAD", "WORKTREE", "--repo", corpus_repo)
    assert done.returncode == 0, done.stderr
    assert "RecursionError" not in done.stderr


@pytest.mark.parametrize("name", ["document.json", "text.txt", "annotations.json"])
def test_diff_worktree_refuses_a_corpus_file_linked_outside_the_repository(corpus_repo: Path, tmp_path: Path, name: str) -> None:
    """Battery 2's last case: a document.json that is a link to a file outside the repository is never printed."""
    outside = tmp_path / f"outside-{name}"
    if name == "document.json":
        meta = json.loads((corpus_repo / "raw" / "alpha" / name).read_text(encoding="utf-8"))
        outside.write_text(json.dumps({**meta, "title": SECRET}, indent=2) + "\n", encoding="utf-8")
    else:
        outside.write_bytes((corpus_repo / "raw" / "alpha" / name).read_bytes())
    (corpus_repo / "raw" / "alpha" / name).unlink()
    (corpus_repo / "raw" / "alpha" / name).symlink_to(outside)
    done = cli("diff", "HEAD", "WORKTREE", "--repo", corpus_repo, "--format", "json")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"raw/alpha/{name}: error [layout.symlink]" in done.stderr
    assert SECRET not in done.stdout + done.stderr and done.stdout == ""


def test_diff_worktree_refuses_a_pipe_and_a_linked_document_folder(corpus_repo: Path, tmp_path: Path) -> None:
    (corpus_repo / "raw" / "alpha" / "document.json").unlink()
    os.mkfifo(corpus_repo / "raw" / "alpha" / "document.json")
    done = cli("diff", "HEAD", "WORKTREE", "--repo", corpus_repo)
    assert done.returncode == 1 and "raw/alpha/document.json: error [layout.symlink]" in done.stderr, done.stderr
    # A document folder that is a link to a folder outside is not read at all.
    shutil.rmtree(corpus_repo / "raw" / "alpha")
    elsewhere = write_document(tmp_path / "elsewhere", alpha(), "train", title=SECRET)
    (corpus_repo / "raw" / "alpha").symlink_to(elsewhere, target_is_directory=True)
    done = cli("diff", "HEAD", "WORKTREE", "--repo", corpus_repo, "--format", "json")
    assert SECRET not in done.stdout + done.stderr and "internal error" not in done.stderr


def test_diff_refuses_a_link_committed_togit(corpus_repo: Path, tmp_path: Path) -> None:
    target = corpus_repo / "raw" / "alpha" / "document.json"
    target.unlink()
    target.symlink_to("/etc/hostname")
    git(corpus_repo, "add", "-A")
    git(corpus_repo, "commit", "-q", "-m", "a link")
    done = cli("diff", "HEAD~1", "HEAD", "--repo", corpus_repo)
    assert done.returncode == 1, done.stderr
    assert "HEAD:raw/alpha/document.json: error [layout.symlink]" in done.stderr


# --- the bounded walk of output folders ----------------------------------------------------------------


def test_the_walk_lists_links_and_special_files_apart_and_stops_at_its_bound(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "f.txt").write_text("x", encoding="utf-8")
    (root / "loop").symlink_to(".")
    os.mkfifo(root / "a" / "pipe")
    found = tree.walk(root)
    assert found.files == [Path("a/b/f.txt")] and found.links == [Path("loop")] and found.special == [Path("a/pipe")]
    assert found.folders == [Path("a"), Path("a/b")]
    with pytest.raises(tree.TooDeep):
        tree.walk(root, max_depth=1)
    _nest(root)
    with pytest.raises(tree.TooDeep) as caught:
        tree.walk(root)
    assert "nested deeper than" in str(caught.value)


def test_build_check_of_an_out_folder_nested_past_the_bound_is_one_line(tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    out = tmp_path / "out"
    out.mkdir()
    _nest(out)
    card = tmp_path / "CARD.md"
    shutil.copy(ROOT / "CARD.md", card)
    done = cli("build", "--raw", raw, "--out", out, "--card", card, "--check", "--no-cache")
    assert done.returncode == 1, done.stderr
    assert "nested deeper than" in done.stderr and "internal error" not in done.stderr
