"""README's "Contributing annotations" walk-through, followed literally in a temporary clone.

A copy of the working tree becomes a git repository with this repository's pre-commit hooks
installed (``language: system``: ``newsanno`` and ``python`` on PATH run this checkout's code).
There the README's commands run one after another: ``add`` a wire article, annotate it, validate,
lint, commit -- which the build and render hooks refuse after regenerating dataset/ and
docs/review, as a formatter does -- add what they wrote, commit again; then a clean clone of the
result passes the checks CI runs (``python build.py --check`` and the committed review page test).
Each command run here is asserted to appear verbatim in README.md, so the two cannot drift apart.
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
ADD_DOC = f"git add raw/{DOC_ID}"
COMMIT = f'git commit -m "Add {DOC_ID}"'
ADD_GENERATED = "git add dataset docs/review"
CHECK = "python build.py --check"
REVIEW_CHECK = "python -m pytest tests/test_render.py::test_committed_review_page_is_current"


def run(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run one README command as written (after checking that README holds it verbatim)."""
    assert command in README, f"README.md no longer shows: {command}"
    return subprocess.run(shlex.split(command), cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


README = (ROOT / "README.md").read_text(encoding="utf-8")


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


def test_readme_walkthrough_passes_ci_the_first_time(tmp_path: Path) -> None:
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
    for command in (VALIDATE, LINT):
        done = run(command, repo, env)
        assert done.returncode == 0, done.stdout + done.stderr

    assert run(ADD_DOC, repo, env).returncode == 0
    refused = run(COMMIT, repo, env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "files were modified by this hook" in output, output
    assert "regenerate dataset/" in output and "regenerate docs/review" in output, output
    changed = git(repo, "status", "--porcelain", "--untracked-files=all", env=env).stdout
    assert " M dataset/" in changed and f"?? docs/review/{DOC_ID}.html" in changed, changed
    assert git(repo, "log", "--format=%s", "-1", env=env).stdout.strip() == "working tree"  # nothing committed yet

    assert run(ADD_GENERATED, repo, env).returncode == 0
    done = run(COMMIT, repo, env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(repo, "log", "--format=%s", "-1", env=env).stdout.strip() == f"Add {DOC_ID}"

    clone = tmp_path / "clone"
    assert git(tmp_path, "clone", "-q", str(repo), str(clone), env=env).returncode == 0
    clone_env = {**env, "PYTHONPATH": str(clone)}
    checked = run(CHECK, clone, clone_env)
    assert checked.returncode == 0 and "up to date" in checked.stdout + checked.stderr, checked.stdout + checked.stderr
    review = run(REVIEW_CHECK, clone, clone_env | {"PYTHONDONTWRITEBYTECODE": "1"})
    assert review.returncode == 0 and "1 passed" in review.stdout, review.stdout + review.stderr
