"""The newsanno-validate pre-commit hook, for real, in a contributor's repository.

A temporary git repository uses this checkout as a pre-commit path repository at
``git rev-parse HEAD``: pre-commit clones that commit and pip-installs it into the hook's own
environment (which needs the package index, as any install does; nothing else leaves the
machine).  Uncommitted changes of this checkout are therefore NOT what the test exercises:
commit first.  The first run takes a few minutes (pyarrow, spaCy, datasets are installed);
pip's wheel cache makes later runs faster.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, alpha, dump, write_document

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command (Debian package: git)")


def git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, timeout=900)


def test_hook_passes_a_valid_document_and_blocks_a_broken_offset(tmp_path: Path) -> None:
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Test Contributor\n\temail = contributor@example.org\n[commit]\n\tgpgsign = false\n")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        # A clean git configuration: no global hooksPath or signing from the machine running the tests.
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    repo = tmp_path / "contrib"
    repo.mkdir()
    assert git(repo, "init", "-q", "-b", "main", env=env).returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {rev}\n    hooks:\n      - id: newsanno-validate\n", encoding="utf-8"
    )
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, capture_output=True, text=True, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    folder = write_document(repo / "raw", alpha(), "train")
    # A JSON file outside raw/ is not a document and must not block the commit.
    (repo / "notes").mkdir()
    (repo / "notes" / "annotations.json").write_text("{not json\n", encoding="utf-8")

    git(repo, "add", "-A", env=env)
    good = git(repo, "commit", "-m", "add alpha", env=env)

    assert good.returncode == 0, good.stdout + good.stderr
    assert "newsanno validate" in good.stdout + good.stderr and "Passed" in good.stdout + good.stderr
    assert not (repo / ".newsanno-cache").exists(), "the hook left a token cache in the contributor's repository"

    ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    mention = ann["mentions"][0]
    mention["start"] += 1
    mention["end"] += 1
    (folder / "annotations.json").write_text(dump(ann), encoding="utf-8")
    git(repo, "add", "-A", env=env)
    bad = git(repo, "commit", "-m", "break an offset", env=env)

    output = bad.stdout + bad.stderr
    assert bad.returncode != 0, output
    assert "Failed" in output
    assert "raw/alpha/annotations.json" in output and "[span.text]" in output and "(M1)" in output, output
    assert f"`text` is {mention['text']!r}" in output, output
    head = git(repo, "log", "--format=%s", env=env).stdout.split("\n")
    assert head[0] == "add alpha", "the broken commit was not blocked"
