"""Releases are recognised from CHANGELOG.md and the release commits alone, without tags."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from newsanno.publish import checksums
from newsanno.releases import history

FIRST_RELEASE = "9296c4f0d571bba9d82f65eafc9e59a305ed8122"  # "Release v1.0.0" in this repository's history


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def _commit_release(repo: Path, version: str, rows: str, date: str) -> str:
    (repo / "pyproject.toml").write_text(f'[project]\nname = "x"\nversion = "{version}"\n', encoding="utf-8")
    changelog = repo / "CHANGELOG.md"
    old = changelog.read_text(encoding="utf-8") if changelog.exists() else "# Changelog\n\n## [Unreleased]\n\n"
    changelog.write_text(
        old.replace("## [Unreleased]\n\n", f"## [Unreleased]\n\n## [{version}] - {date}\n\n- rows {rows}\n\n"), encoding="utf-8"
    )
    data = repo / "dataset" / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "train.parquet").write_text(rows, encoding="utf-8")
    checksums.write(repo / "dataset")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Release v{version}")
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with two releases and no tags, plus a later unreleased commit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "t@example.org")
    git(repo, "config", "user.name", "T")
    _commit_release(repo, "1.0.0", "one", "2026-01-02")
    _commit_release(repo, "1.1.0", "two", "2026-02-03")
    (repo / "dataset" / "data" / "train.parquet").write_text("three", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Release v9.9.9 is not what this commit is")  # pyproject disagrees: not a release
    return repo


def test_versions_come_from_changelog_and_release_commits(repo: Path) -> None:
    found = history.releases(repo)
    assert [(r.name, r.date, r.tagged) for r in found] == [("v1.0.0", "2026-01-02", False), ("v1.1.0", "2026-02-03", False)]
    first = git(repo, "rev-list", "--max-count=1", "--grep=^Release v1.0.0$", "HEAD").strip()
    assert found[0].commit == first
    sums = subprocess.run(["git", "show", f"{first}:dataset/SHA256SUMS"], cwd=repo, capture_output=True, check=True).stdout
    assert found[0].sums_sha256 == hashlib.sha256(sums).hexdigest()
    result = run_cli("versions", "--repo", repo)
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["1.0.0", "1.1.0"]


def test_highest_recorded_counts_every_record(repo: Path) -> None:
    assert history.highest_recorded(repo)[0] == (1, 1, 0)  # type: ignore[index]
    (repo / "pyproject.toml").write_text('[project]\nversion = "2.0.0"\n', encoding="utf-8")
    assert history.highest_recorded(repo) == ((2, 0, 0), "pyproject.toml")
    git(repo, "tag", "v3.0.0")
    assert history.highest_recorded(repo) == ((3, 0, 0), "a tag")


def test_resolve_and_checkout_an_old_release(repo: Path, tmp_path: Path) -> None:
    commit = history.resolve(repo, "v1.0.0")
    assert git(repo, "show", f"{commit}:pyproject.toml").endswith('version = "1.0.0"\n')
    assert history.resolve(repo, "HEAD~1") == "HEAD~1"
    with pytest.raises(history.HistoryError, match="not a release"):
        history.resolve(repo, "v1.2.0")
    dest = tmp_path / "old"
    result = run_cli("checkout", "1.0.0", dest, "--repo", repo)
    assert result.returncode == 0, result.stderr
    assert (dest / "data" / "train.parquet").read_text(encoding="utf-8") == "one"
    assert checksums.verify(dest) == []
    again = run_cli("checkout", "1.1.0", dest, "--repo", repo)
    assert again.returncode == 1 and "not an empty folder" in again.stderr
    assert (dest / "data" / "train.parquet").read_text(encoding="utf-8") == "one", "a refused checkout changes nothing"


def test_checkout_refuses_a_release_that_does_not_verify(repo: Path, tmp_path: Path) -> None:
    # A later commit that rewrites history's release in place is caught by its own manifest.
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.2.0"\n', encoding="utf-8")
    (repo / "dataset" / "data" / "train.parquet").write_text("tampered", encoding="utf-8")  # SHA256SUMS not rewritten
    changelog = repo / "CHANGELOG.md"  # a release commit in every respect but its data
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace("## [Unreleased]\n\n", "## [Unreleased]\n\n## [1.2.0] - 2026-03-04\n\n")
    )
    git(repo, "commit", "-q", "-am", "Release v1.2.0")
    dest = tmp_path / "bad"
    result = run_cli("checkout", "v1.2.0", dest, "--repo", repo)
    assert result.returncode == 1
    assert "does not match its SHA256SUMS" in result.stderr and "Traceback" not in result.stderr
    assert list(dest.iterdir()) == [], "a failed checkout leaves nothing behind"


@pytest.mark.parametrize("text", ["1.0", "01.0.0", "1.00.0", "v1.0.0", "1.0.0\n", " 1.0.0", "\u0661.0.0", "1.0.0-", "1.0.0.0"])
def test_versions_are_semver_cores_as_written(text: str) -> None:
    assert history.parse_version(text) is None


def test_parse_version_accepts_semver_cores() -> None:
    assert history.parse_version("0.10.200") == (0, 10, 200)


def test_this_repositorys_first_release_loads_next_to_the_current_one(tmp_path: Path) -> None:
    """The real history: v1.0.0 is found without its tag, checked out, and loads offline."""
    if subprocess.run(["git", "cat-file", "-e", f"{FIRST_RELEASE}^{{commit}}"], cwd=ROOT, capture_output=True).returncode != 0:
        pytest.skip("this checkout is shallow and lacks the v1.0.0 release commit (a full clone has it)")
    assert history.resolve(ROOT, "v1.0.0") == FIRST_RELEASE
    dest = tmp_path / "v1.0.0"
    assert history.checkout(ROOT, "1.0.0", dest) > 0
    from datasets import load_dataset

    old = load_dataset(str(dest), "mentions", split="train")
    new = load_dataset(str(ROOT / "dataset"), "mentions", split="train")
    assert old.num_rows == 179
    assert old.features == new.features


def test_a_git_failure_is_not_read_as_a_missing_file(tmp_path: Path) -> None:
    from newsanno.releases import revisions

    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "pyproject.toml").write_text('[project]\nversion = "1.2.3"\n', encoding="utf-8")
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one"], check=True)
    assert revisions.show_optional(repo, "HEAD", "pyproject.toml") == b'[project]\nversion = "1.2.3"\n'
    assert revisions.show_optional(repo, "HEAD", "absent.txt") is None  # really absent
    assert revisions.show_optional(repo, "HEAD", "pyproject") is None  # a prefix is not the file
    with pytest.raises(revisions.RevisionError):
        revisions.show_optional(repo, "0" * 40, "pyproject.toml")  # an unknown commit is an error, not "absent"
    with pytest.raises(history.HistoryError):
        history._show(repo, "0" * 40, "pyproject.toml", version_only=True)
    # A repository whose objects are gone: reading it fails loudly instead of finding no release files.
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    for obj in (repo / ".git" / "objects").rglob("*"):
        if obj.is_file() and obj.parent.name != "info":
            obj.chmod(0o644)
            obj.unlink()
    with pytest.raises(history.HistoryError):
        history._sums_digest(repo, head)


def _release_commit(repo: Path, version: str) -> str:
    return git(repo, "rev-list", "--max-count=1", f"--grep=^Release v{version}$", "HEAD").strip()


def test_a_moved_tag_is_reported_and_never_followed(repo: Path, tmp_path: Path) -> None:
    """Issue 22, class 4: a release is its release commit; a tag only confirms it."""
    first, second = _release_commit(repo, "1.0.0"), _release_commit(repo, "1.1.0")
    git(repo, "tag", "v1.0.0", "HEAD")  # moved onto the unreleased commit, whose data is "three"
    git(repo, "tag", "-a", "v1.1.0", "-m", "moved", first)  # annotated, onto the other release
    git(repo, "tag", "v1.2.0", "HEAD")  # a tag with no release commit at all
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.3.0"\n', encoding="utf-8")
    git(repo, "commit", "-q", "-am", "Release v1.3.0")  # subject and version, but no CHANGELOG.md entry
    git(repo, "tag", "v1.3.0")

    found = {r.name: r for r in history.releases(repo)}
    assert (found["v1.0.0"].commit, found["v1.1.0"].commit) == (first, second)
    assert found["v1.2.0"].commit is None and found["v1.3.0"].commit is None
    assert all(found[v].tag_note for v in ("v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0"))
    assert history.resolve(repo, "v1.0.0") == first and history.resolve(repo, "v1.1.0") == second

    for version, rows in (("1.0.0", "one"), ("v1.1.0", "two")):
        dest = tmp_path / f"out-{version}"
        result = run_cli("checkout", version, dest, "--repo", repo)
        assert result.returncode == 0, result.stderr
        assert (dest / "data" / "train.parquet").read_text(encoding="utf-8") == rows
        assert "warning: tag v" in result.stderr and "not followed" in result.stderr
    for version in ("1.2.0", "1.3.0"):
        dest = tmp_path / f"out-{version}"
        result = run_cli("checkout", version, dest, "--repo", repo)
        assert result.returncode == 1 and f"v{version} is not a release" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and not dest.exists()
    listed = run_cli("versions", "--repo", repo)
    assert listed.returncode == 0
    assert [line.split()[3] for line in listed.stdout.splitlines()[1:]] == ["moved"] * 4
    assert listed.stderr.count("warning: tag v") == 4


def test_a_tag_that_agrees_confirms_quietly(repo: Path, tmp_path: Path) -> None:
    git(repo, "tag", "v1.0.0", _release_commit(repo, "1.0.0"))
    release = next(r for r in history.releases(repo) if r.name == "v1.0.0")
    assert release.tagged and release.tag_note is None
    result = run_cli("checkout", "1.0.0", tmp_path / "out", "--repo", repo)
    assert result.returncode == 0 and "warning" not in result.stderr


@pytest.mark.parametrize("inside", ["raw", "raw/doc", "schema/x", "dataset", "dataset/data", ".git/objects/x", "link"])
def test_checkout_goes_through_the_output_guard(repo: Path, tmp_path: Path, inside: str) -> None:
    for name in ("raw/doc", "schema"):
        (repo / name).mkdir(parents=True, exist_ok=True)
    (repo / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    before = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*"))

    result = run_cli("checkout", "1.0.0", repo / inside, "--repo", repo)

    assert result.returncode == 1, result.stderr
    assert ("symbolic link" if inside == "link" else "writing there would destroy it") in result.stderr
    assert sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*")) == before
    assert list((tmp_path / "elsewhere").iterdir()) == []
