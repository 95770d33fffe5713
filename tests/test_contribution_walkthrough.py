"""docs/contributing.md's walk-through, followed literally in a temporary clone.

A copy of the working tree becomes a git repository with this repository's pre-commit hooks
installed (``language: system``: ``newsanno`` and ``python`` on PATH run this checkout's code).
There the walk-through's commands run one after another: ``add`` a wire article, ``suggest``,
annotate it, ``render`` its review page (before committing, as the walk-through invites: the
case that used to cost a third round), validate, lint, add the CHANGELOG line, stage the
document with the generated folders and commit -- which the build and render hooks refuse after
regenerating dataset/ and docs/review, as a formatter does -- then the same two commands again.
The test counts those rounds against the two the page promises, and checks that a clean clone of
the result passes the checks CI runs (``python build.py --check`` and the committed review page
test).  Each command run here is asserted to appear verbatim in docs/contributing.md, so the two
cannot drift apart.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from test_precommit_hook import clean_env, git, pre_commit_install, snapshot_worktree, this_checkout_on_path

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command (Debian package: git)")

DOC_ID = "plain-2025-03-03-harbour-strike"
WIRE = """Harbour strike ends after three weeks

By Elena Marsh

PORT CALDER, March 3 (Wire) \u2014 Dock workers at the Port Calder Harbour Authority voted on Monday to end a strike
that had idled the port for three weeks, union officials said.

"We got what we came for," said Tomas Reyes, a union steward.
"""
ADD = 'python -m newsanno add wire.txt --profile plain --published 2025-03-03 --publisher "Calder Wire"'
SUGGEST = f"python -m newsanno suggest {DOC_ID}"
VALIDATE = f"python -m newsanno validate raw/{DOC_ID}"
LINT = f"python -m newsanno lint raw/{DOC_ID}"
RENDER = f"python -m newsanno render {DOC_ID} --suggestions"
STAGE = f"git add raw/{DOC_ID} CHANGELOG.md dataset docs/review"
COMMIT = f'git commit -m "Add {DOC_ID}"'
ROUNDS = 2  # what docs/contributing.md promises: "Two rounds, whatever you ran before"
CHECK = "python build.py --check"
REVIEW_CHECK = "python -m pytest tests/test_render.py::test_committed_review_page_is_current"


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one walk-through command as written (after checking that the page holds it verbatim)."""
    assert command in WALKTHROUGH, f"docs/contributing.md no longer shows: {command}"
    return subprocess.run(shlex.split(command), cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


WALKTHROUGH = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")


def annotate(folder: Path) -> None:
    """The contributor's part: one entity with one mention, written canonically."""
    from newsanno import schema
    from newsanno.jsonio import canonical_dumps

    text = (folder / "text.txt").read_text(encoding="utf-8")
    start = text.index("Tomas Reyes")
    ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    ann["entities"] = [{"id": "E1", "name": "Tomas Reyes", "type": "PERSON", "wikidata": None}]
    mention = {"id": "M1", "start": start, "end": start + 11, "text": "Tomas Reyes", "label": "PERSON", "form": "NAM", "entity_id": "E1"}
    ann["mentions"] = [mention]
    (folder / "annotations.json").write_text(canonical_dumps(ann, schema.ANNOTATIONS), encoding="utf-8")


def note_in_changelog(repo: Path) -> str:
    """The contributor's CHANGELOG line, as docs/contributing.md says: under [Unreleased], in its Added list."""
    line = f"- Document `{DOC_ID}` (Calder Wire, 2025-03-03)."
    path = repo / "CHANGELOG.md"
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("## [Unreleased]\n", 1)
    if rest.lstrip("\n").startswith("### Added\n"):
        rest = rest.lstrip("\n").replace("### Added\n", f"### Added\n{line}\n", 1)
        text = f"{head}## [Unreleased]\n\n{rest}"
    else:
        text = f"{head}## [Unreleased]\n\n### Added\n{line}\n{rest}"
    path.write_text(text, encoding="utf-8")
    return line


def test_walkthrough_after_rendering_passes_ci_in_the_documented_rounds(tmp_path: Path) -> None:
    env = this_checkout_on_path(tmp_path, clean_env(tmp_path))
    repo = tmp_path / "checkout"
    repo.mkdir()
    snapshot_worktree(repo, env)
    pre_commit_install(repo, env)
    (repo / "wire.txt").write_text(WIRE, encoding="utf-8")

    added = run(ADD, repo, env)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"raw/{DOC_ID}"
    suggested = run(SUGGEST, repo, env)
    assert suggested.returncode == 0, suggested.stdout + suggested.stderr
    suggestions = json.loads((repo / "raw" / DOC_ID / "suggestions.json").read_text(encoding="utf-8"))
    assert any(q["text"].startswith("We got what we came for") for q in suggestions["quotes"]), suggestions["quotes"]
    gold = json.loads((repo / "raw" / DOC_ID / "annotations.json").read_text(encoding="utf-8"))
    assert gold["mentions"] == [] and gold["quotes"] == [], "suggestions never go into the gold file"
    annotate(repo / "raw" / DOC_ID)
    rendered = run(RENDER, repo, env)
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    # The generated files the contributor now has in the tree, changed and not yet staged.
    changed = git(repo, "status", "--porcelain", "--untracked-files=all", env=env).stdout
    assert " M docs/review/index.html" in changed and f"?? docs/review/{DOC_ID}.html" in changed, changed
    for command in (VALIDATE, LINT):
        done = run(command, repo, env)
        assert done.returncode == 0, done.stdout + done.stderr
    line = note_in_changelog(repo)

    outputs = []
    for _ in range(ROUNDS + 1):
        assert run(STAGE, repo, env).returncode == 0
        done = run(COMMIT, repo, env)
        outputs.append(done.stdout + done.stderr)
        if done.returncode == 0:
            break
    assert len(outputs) == ROUNDS, "\n---\n".join(outputs)
    first = outputs[0]
    assert "Stashed changes conflicted" not in "".join(outputs), first
    assert "files were modified by this hook" in first, first
    assert "regenerate dataset/" in first and "regenerate docs/review" in first, first
    assert git(repo, "log", "--format=%s", "-1", env=env).stdout.strip() == f"Add {DOC_ID}"
    committed = git(repo, "show", "--name-only", "--format=", "HEAD", env=env).stdout.split()
    assert f"raw/{DOC_ID}/annotations.json" in committed and f"docs/review/{DOC_ID}.html" in committed, committed
    assert "CHANGELOG.md" in committed and line in git(repo, "show", "HEAD:CHANGELOG.md", env=env).stdout
    assert f"raw/{DOC_ID}/suggestions.json" not in committed, "suggestions.json is never committed"
    assert (repo / "raw" / DOC_ID / "suggestions.json").is_file(), "but it stays in the contributor's folder"
    # Nothing generated is left behind; only the received article the contributor started from.
    assert git(repo, "status", "--porcelain", env=env).stdout.strip() == "?? wire.txt"

    clone = tmp_path / "clone"
    assert git(tmp_path, "clone", "-q", str(repo), str(clone), env=env).returncode == 0
    clone_env = {**env, "PYTHONPATH": str(clone)}
    checked = run(CHECK, clone, clone_env)
    assert checked.returncode == 0 and "up to date" in checked.stdout + checked.stderr, checked.stdout + checked.stderr
    review = run(REVIEW_CHECK, clone, clone_env | {"PYTHONDONTWRITEBYTECODE": "1"})
    assert review.returncode == 0 and "1 passed" in review.stdout, review.stdout + review.stderr
