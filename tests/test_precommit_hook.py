"""The newsanno-validate pre-commit hook, for real, on this checkout's WORKING TREE.

Both tests run real ``pre-commit`` through a real ``git commit`` in a temporary repository, and
both exercise the working tree (uncommitted changes included): it is copied into a temporary git
repository and committed there, the way ``pre-commit try-repo`` shadows a dirty checkout.

- In-repo: a copy of this repository with its own ``.pre-commit-config.yaml`` (``language:
  system``, ``entry: newsanno validate``); ``newsanno`` on PATH runs this checkout.
- Published: a contributor's repository naming the copy as a path repository, so pre-commit reads
  ``.pre-commit-hooks.yaml`` and builds the ``language: python`` environment itself (virtualenv,
  then ``pip install .``).  The environment sees the already-installed dependencies
  (``VIRTUALENV_SYSTEM_SITE_PACKAGES``), so pip builds and installs only newsanno instead of
  downloading pyarrow, spaCy and datasets again: seconds instead of a minute.  Whether those
  dependency pins install from the package index is the CI install step's job, not this test's.
  (Run from inside a virtualenv, "system" means that venv's base interpreter: pip then installs the
  dependencies as before, slowly but correctly.)
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, alpha, dump, write_document

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command (Debian package: git)")


def git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return clean_env(tmp_path)


def clean_env(tmp_path: Path) -> dict[str, str]:
    """A clean git configuration (no global hooksPath or signing of the machine) and a private pre-commit home."""
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("[user]\n\tname = Test Contributor\n\temail = contributor@example.org\n[commit]\n\tgpgsign = false\n")
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": str(gitconfig),
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def snapshot_worktree(dest: Path, env: dict[str, str]) -> str:
    """Copy the working tree (tracked and untracked files git does not ignore) into a new repository; its commit."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out, as it would be
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "working tree")):
        done = git(dest, *args, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    return git(dest, "rev-parse", "HEAD", env=env).stdout.strip()


def pre_commit_install(repo: Path, env: dict[str, str]) -> None:
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, capture_output=True, text=True, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr


def assert_valid_passes_and_broken_offset_is_blocked(repo: Path, env: dict[str, str]) -> None:
    """Commit a valid document (passes), then shift one mention's offsets (the commit is refused, with the validator's message)."""
    folder = write_document(repo / "raw", alpha(), "train")
    git(repo, "add", "-A", env=env)
    good = git(repo, "commit", "-m", "add alpha", env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "newsanno validate" in good.stdout + good.stderr and "Passed" in good.stdout + good.stderr

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


def this_checkout_on_path(tmp_path: Path, env: dict[str, str]) -> dict[str, str]:
    """``env`` with ``newsanno`` running this checkout, whatever else is installed (an editable
    install may point elsewhere), and ``python`` being the interpreter running the tests."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "newsanno"
    shim.write_text(f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom newsanno.cli import main\nsys.exit(main())\n")
    shim.chmod(0o755)
    # A wrapper, not a symbolic link: a virtualenv's python reached through a link elsewhere
    # does not find its pyvenv.cfg and starts as the base interpreter, without the venv's packages.
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
    python.chmod(0o755)
    return {**env, "PATH": f"{bin_dir}{os.pathsep}{env['PATH']}"}


def test_repository_config_validates_changed_documents(tmp_path: Path, env: dict[str, str]) -> None:
    repo = tmp_path / "checkout"
    repo.mkdir()
    snapshot_worktree(repo, env)
    env = this_checkout_on_path(tmp_path, env)
    # This test is about validation; regenerating dataset/ and docs/review is the walk-through's
    # (tests/test_contribution_walkthrough.py).
    env["SKIP"] = "newsanno-build,newsanno-render"
    pre_commit_install(repo, env)

    assert_valid_passes_and_broken_offset_is_blocked(repo, env)


def test_published_hook_in_a_contributor_repository(tmp_path: Path, env: dict[str, str]) -> None:
    hooks = tmp_path / "newsanno"
    hooks.mkdir()
    rev = snapshot_worktree(hooks, env)
    # The hook must run the copy pre-commit installed, not this checkout through the test's path.
    env = {k: v for k, v in env.items() if k != "PYTHONPATH"} | {"VIRTUALENV_SYSTEM_SITE_PACKAGES": "1"}
    repo = tmp_path / "contrib"
    repo.mkdir()
    assert git(repo, "init", "-q", "-b", "main", env=env).returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n      - id: newsanno-validate\n", encoding="utf-8"
    )
    pre_commit_install(repo, env)
    # A JSON file outside raw/ is not a document and must not block the commit.
    (repo / "notes").mkdir()
    (repo / "notes" / "annotations.json").write_text("{not json\n", encoding="utf-8")

    assert_valid_passes_and_broken_offset_is_blocked(repo, env)

    assert not (repo / ".newsanno-cache").exists(), "the hook left a token cache in the contributor's repository"
    (package,) = [p.parent for p in Path(env["PRE_COMMIT_HOME"]).glob("repo*/py_env-*/lib/python*/site-packages/newsanno/__init__.py")]
    assert python_sources(package) == python_sources(ROOT / "newsanno"), "the hook's environment does not hold the working tree"


def python_sources(package: Path) -> dict[str, bytes]:
    return {p.relative_to(package).as_posix(): p.read_bytes() for p in sorted(package.rglob("*.py"))}
