"""A release refuses bad arguments before writing anything, and a failed step leaves the repository as it was.

The repositories are real git clones (test_release's fixtures); failures are injected the way
they happen: a pre-commit hook that rejects the commit, a tag ref locked by another git
process, a Hub that answers 500.  Calls go through the library and the CLI in this process
where they can, so that spaCy and datasets load once.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import test_release
from conftest import FIXTURES, ROOT, dump, run_cli, write_document
from test_release import StandInHub, cli, git

from newsanno.publish import checksums
from newsanno.releases import release

base, clone = test_release.base, test_release.clone  # the fixtures: a built fixture corpus, a fresh clone of it

BAD_VERSIONS = ["01.0.0", "1.00.0", "1.0.0\n", " 1.0.0", "\u0661.\u0660.\u0660", "1.0", "v1.0.0", "1.0.0-rc.1"]
BAD_DATES = ["2026-02-30", "2026-13-01", "\u0662\u0660\u0662\u0666-01-01", "2026-01-01\n", "2026-1-1", "20260101", "2026-W01-1"]


def state(repo: Path) -> tuple[str, ...]:
    """Everything a release may change: the tree's status, HEAD, the tags, and the edited files' bytes."""
    files = sorted(str(p.relative_to(repo)) + ":" + str(p.stat().st_size) for p in (repo / "dataset").rglob("*") if p.is_file())
    return (
        git(repo, "status", "--porcelain", "--ignored"),
        git(repo, "rev-parse", "HEAD"),
        git(repo, "tag", "--list"),
        (repo / "pyproject.toml").read_text(encoding="utf-8"),
        (repo / "CHANGELOG.md").read_text(encoding="utf-8"),
        "\n".join(files),
    )


def test_bad_arguments_change_nothing(clone: Path) -> None:
    before = state(clone)
    for version in BAD_VERSIONS:
        result = run_cli("release", version, "--date", "2026-01-01", "--repo", clone)
        assert result.returncode == 2 and "is not a SemVer 2.0 version" in result.stderr, (version, result.stderr)
        with pytest.raises(release.Refused, match="SemVer"):
            release.make_release(clone, version, date="2026-01-01")
    for date in BAD_DATES:
        result = run_cli("release", "1.0.0", "--date", date, "--repo", clone)
        assert result.returncode == 2 and f"--date {date!r}" in result.stderr, (date, result.stderr)
    assert "not a day of the calendar" in run_cli("release", "1.0.0", "--date", "2026-02-30", "--repo", clone).stderr
    for repo_id in ("../../etc", "a/b/c", "u/bad..name", "u/\u0646\u0627\u0633"):
        result = run_cli("release", "1.0.0", "--date", "2026-01-01", "--push", repo_id, "--repo", clone)
        assert result.returncode == 2 and f"--push {repo_id!r} is not a Hub repo id" in result.stderr, (repo_id, result.stderr)
    assert state(clone) == before


def test_push_without_credentials_changes_nothing(clone: Path, tmp_path: Path) -> None:
    before = state(clone)
    env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HUB_OFFLINE")}
    env["HF_HOME"] = str(tmp_path / "hf-home")  # no stored token there
    result = cli(clone, "release", "1.0.0", "--date", "2026-01-01", "--push", "u/newsanno", env=env)
    assert result.returncode == 2
    assert "HF_TOKEN is not set and no token is stored at " + str(tmp_path / "hf-home" / "token") in result.stderr
    assert state(clone) == before


def test_tagless_clone_refuses_a_version_its_changelog_records(clone: Path) -> None:
    changelog = clone / "CHANGELOG.md"
    changelog.write_text(changelog.read_text() + "\n## [1.0.0] - 2025-01-01\n\n- released before this clone\n", encoding="utf-8")
    git(clone, "commit", "-qam", "record 1.0.0 in the changelog")
    assert git(clone, "tag", "--list") == ""
    before = state(clone)
    for version in ("1.0.0", "0.9.0"):
        with pytest.raises(release.Refused, match=r"not greater than the last release v1\.0\.0 \(recorded in CHANGELOG\.md\)"):
            release.make_release(clone, version, date="2026-01-01")
    assert state(clone) == before


def test_a_tagless_clone_of_this_repository_refuses_its_own_release_again(tmp_path: Path) -> None:
    repo = tmp_path / "notags"
    git(ROOT, "clone", "-q", "--no-tags", str(ROOT), str(repo))
    assert git(repo, "tag", "--list") == ""
    before = state(repo)
    with pytest.raises(release.Refused) as refused:
        release.make_release(repo, "1.0.0", date="2026-01-01")
    message = str(refused.value)
    assert "VERSION 1.0.0 is not greater than the last release v" in message
    assert "a release commit, CHANGELOG.md, pyproject.toml" in message  # every record of it, none of them a tag
    assert state(repo) == before


def test_rejected_commit_restores_files_index_and_head(clone: Path) -> None:
    hook = clone / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'pre-commit: rejected' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = state(clone)
    with pytest.raises(release.Refused) as refused:
        release.make_release(clone, "1.0.0", date="2026-01-01")
    message = str(refused.value)
    assert "git commit" in message and "pre-commit: rejected" in message
    assert "nothing was released" in message and "restored pyproject.toml, CHANGELOG.md, dataset" in message
    assert state(clone) == before


def test_failed_tag_after_the_commit_is_rolled_back(clone: Path) -> None:
    # Another git process holding the tag's ref lock: the commit is made, the tag cannot be.
    lock = clone / ".git" / "refs" / "tags" / "v1.0.0.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    lock.write_text("", encoding="utf-8")
    before = state(clone)
    with pytest.raises(release.Refused) as refused:
        release.make_release(clone, "1.0.0", date="2026-01-01")
    message = str(refused.value)
    assert "git tag" in message and "reset the release commit" in message
    assert state(clone) == before
    lock.unlink()
    assert not git(clone, "log", "--format=%s", "--grep=^Release v1.0.0$", "HEAD").strip()


def test_failed_push_says_what_completed_and_how_to_undo(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    head = git(clone, "rev-parse", "HEAD").strip()
    from huggingface_hub import constants

    # conftest sets HF_HUB_OFFLINE before huggingface_hub is imported; this test talks to a loopback Hub.
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    # A refusal (403), not a 5xx, which huggingface_hub retries with backoff for minutes.
    with StandInHub(fail_commit=403) as hub:
        monkeypatch.setenv("HF_TOKEN", "hf_standin")
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{hub.port}")
        monkeypatch.setenv("HF_HUB_DISABLE_XET", "1")
        with pytest.raises(release.Refused) as refused:
            release.make_release(clone, "1.0.0", date="2026-01-01", push_to="u/newsanno")
    message = str(refused.value)
    release_commit = git(clone, "rev-parse", "HEAD").strip()
    assert f"the local release is complete (commit {release_commit[:12]} 'Release v1.0.0', tag v1.0.0)" in message
    assert "the push failed at upload_folder" in message and "hf upload u/newsanno" in message
    assert f"git tag -d v1.0.0 && git reset --hard {head[:12]}" in message
    assert git(clone, "rev-parse", "v1.0.0^{commit}").strip() == release_commit and git(clone, "status", "--porcelain") == ""


# --- diff and verify read releases and revisions through history and the validator ----------------


@pytest.fixture
def small_repo(tmp_path: Path) -> Path:
    """A git repository of the fixture corpus: a tagless release commit, then a commit breaking alpha."""
    repo = tmp_path / "small"
    for make, split in FIXTURES.values():
        write_document(repo / "raw", make(), split)
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.0.0"\n', encoding="utf-8")
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [1.0.0] - 2026-01-02\n", encoding="utf-8")
    (repo / "dataset").mkdir()
    (repo / "dataset" / "data.txt").write_text("rows\n", encoding="utf-8")
    checksums.write(repo / "dataset")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "config", "user.name", "T")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Release v1.0.0")
    return repo


def test_diff_refuses_a_revision_with_an_invalid_annotations_file(small_repo: Path) -> None:
    path = small_repo / "raw" / "alpha" / "annotations.json"
    good = path.read_text(encoding="utf-8")
    broken = json.loads(good)
    del broken["mentions"][0]["end"]  # a field the diff reads
    path.write_text(dump(broken), encoding="utf-8")
    git(small_repo, "commit", "-qam", "lose a field")
    path.write_text(good, encoding="utf-8")
    git(small_repo, "commit", "-qam", "restore it")

    result = run_cli("diff", "HEAD~1", "HEAD", "--repo", small_repo)
    assert result.returncode == 1, result.stderr
    assert "HEAD~1:raw/alpha/annotations.json" in result.stderr and "end" in result.stderr
    assert "refused: HEAD~1" in result.stderr and "Traceback" not in result.stderr

    tagless = run_cli("diff", "v1.0.0", "HEAD", "--repo", small_repo, "--format", "json")  # no tag: the release commit
    assert tagless.returncode == 0, tagless.stderr
    assert '"required_bump": null' in tagless.stdout
    unknown = run_cli("diff", "v2.0.0", "HEAD", "--repo", small_repo)
    assert unknown.returncode == 2 and "v2.0.0 is not a release of this repository" in unknown.stderr


def test_verify_a_release_from_git_objects(small_repo: Path) -> None:
    (small_repo / "dataset" / "SHA256SUMS").write_text("broken\n", encoding="utf-8")  # the working tree is not what is checked
    result = run_cli("verify", "v1.0.0", "--repo", small_repo)
    assert result.returncode == 0, result.stderr
    assert "v1.0.0 (commit " in result.stderr and "all 2 files match SHA256SUMS" in result.stderr
    (small_repo / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.1.0"\n', encoding="utf-8")
    (small_repo / "CHANGELOG.md").write_text("# Changelog\n\n## [1.1.0] - 2026-02-03\n\n## [1.0.0] - 2026-01-02\n", encoding="utf-8")
    git(small_repo, "commit", "-qam", "Release v1.1.0")  # a release whose committed SHA256SUMS is wrong
    bad = run_cli("verify", "v1.1.0", "--repo", small_repo)
    assert bad.returncode == 1 and "v1.1.0: the written folder does not match its SHA256SUMS" in bad.stderr
    assert run_cli("verify", "v1.0.1", "--repo", small_repo).returncode == 2


def test_a_bug_in_a_step_is_undone_and_surfaces_as_a_bug_not_a_refusal(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A deliberately broken step (a TypeError is a bug of ours, not a refusal of the user's input).
    def broken_rebuild(repo: Path, version: str, changelog: str) -> None:
        raise TypeError("deliberately broken rebuild")

    monkeypatch.setattr(release, "_rebuild", broken_rebuild)
    before = state(clone)
    with pytest.raises(TypeError, match="deliberately broken"):
        release.make_release(clone, "1.0.0", date="2026-01-01")
    assert state(clone) == before  # undone all the same
    result = run_cli("release", "1.0.0", "--date", "2026-01-01", "--repo", clone)
    assert result.returncode == 3, result.stderr
    assert "internal error: TypeError: deliberately broken rebuild" in result.stderr and "refused" not in result.stderr
    assert state(clone) == before


def test_a_refusal_keeps_its_traceback_under_newsanno_debug(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hook = clone / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'pre-commit: rejected' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    quiet = run_cli("release", "1.0.0", "--date", "2026-01-01", "--repo", clone)
    assert quiet.returncode == 1 and "Traceback" not in quiet.stderr
    monkeypatch.setenv("NEWSANNO_DEBUG", "1")
    loud = run_cli("release", "1.0.0", "--date", "2026-01-01", "--repo", clone)
    assert loud.returncode == 1 and "refused" in loud.stderr
    # The chain down to the failing git command, not only the one-line message.
    assert "Traceback" in loud.stderr and "RevisionError" in loud.stderr and "_local_steps" in loud.stderr
