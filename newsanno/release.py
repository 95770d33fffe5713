"""Releases: the refusal checks, the steps (version, changelog, rebuild, commit, tag) and the Hub push.

The text helpers (version numbers, the bump they give, the CHANGELOG entry) are pure text in,
text out; :func:`make_release` runs the whole release on a git checkout, building the dataset
in this process through :func:`newsanno.build.build_dataset` with the new version.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from newsanno import checksums, corpus, revisions
from newsanno import diff as semantic
from newsanno.build import BuildOptions, RunOptions, build_dataset, check_dataset
from newsanno.build.pipeline import check
from newsanno.lint import LINT_PREFIX
from newsanno.problems import Problem, has_errors, promote
from newsanno.version import project_version

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")
_PROJECT_VERSION = re.compile(r'(?m)^(version\s*=\s*")([^"]*)(")')
_UNRELEASED = re.compile(r"(?m)^## \[Unreleased\][^\n]*\n")


def parse_version(text: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) of ``X.Y.Z``; None for anything else."""
    match = _VERSION.fullmatch(text.strip())
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def latest_tag(tags: list[str]) -> tuple[str, tuple[int, int, int]] | None:
    """The greatest ``vX.Y.Z`` tag and its version."""
    versions = [(v, tag) for tag in tags if tag.startswith("v") and (v := parse_version(tag[1:])) is not None]
    if not versions:
        return None
    best = max(versions)
    return best[1], best[0]


def bump_of(old: tuple[int, int, int], new: tuple[int, int, int]) -> str:
    """The part of the version that ``old -> new`` raises (new must be greater)."""
    if new[0] != old[0]:
        return "MAJOR"
    return "MINOR" if new[1] != old[1] else "PATCH"


def set_version(pyproject: str, version: str) -> str:
    """pyproject.toml text with ``[project] version`` replaced (the first ``version =`` line)."""
    new, count = _PROJECT_VERSION.subn(lambda m: f"{m[1]}{version}{m[3]}", pyproject, count=1)
    if count != 1:
        raise ValueError("pyproject.toml has no version line")
    return new


def changelog_entry(version: str, date: str, counts: dict[str, int], notes: str) -> str:
    """The ``## [VERSION] - DATE`` section: the counts from ``diff`` and the maintainer's summary."""
    body = notes.strip() or "### Summary\n\n- (maintainer: summarise this release here)"
    return (
        f"## [{version}] - {date}\n\n"
        f"{body}\n\n"
        "### Counts (from `newsanno diff` against the previous release)\n\n"
        f"- Documents: {counts.get('documents_added', 0)} added, {counts.get('documents_removed', 0)} removed\n"
        f"- Annotations: {counts.get('annotations_added', 0)} added, {counts.get('annotations_removed', 0)} removed, "
        f"{counts.get('annotations_changed', 0)} changed\n"
        f"- Metadata fields changed: {counts.get('metadata_changed', 0)}\n"
    )


def add_entry(changelog: str, entry: str) -> str:
    """CHANGELOG.md with the ``[Unreleased]`` notes moved into ``entry`` under a fresh empty ``[Unreleased]``."""
    match = _UNRELEASED.search(changelog)
    if match is None:
        head, rest = (changelog.rstrip("\n") + "\n\n", "") if changelog.strip() else ("# Changelog\n\n", "")
        return f"{head}## [Unreleased]\n\n{entry}\n{rest}"
    following = re.search(r"(?m)^## \[", changelog[match.end() :])
    end = match.end() + following.start() if following else len(changelog)
    rest = changelog[end:]
    return changelog[: match.start()] + "## [Unreleased]\n\n" + entry + ("\n" + rest if rest else "")


def unreleased_notes(changelog: str) -> str:
    """The maintainer's notes under ``[Unreleased]`` (become the summary of the release)."""
    match = _UNRELEASED.search(changelog)
    if match is None:
        return ""
    following = re.search(r"(?m)^## \[", changelog[match.end() :])
    return changelog[match.end() : match.end() + following.start() if following else len(changelog)].strip()


class Refused(Exception):
    """A release precondition or step failed; the message says which and how to fix it, ``problems`` why."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class ReleaseResult:
    """What a release did (or, dry, would do): its steps, then the Hub operations."""

    steps: list[str] = field(default_factory=list)
    hub: list[str] = field(default_factory=list)


def _git(repo: Path, *args: str) -> str:
    try:
        return revisions.git(repo, *args)
    except revisions.RevisionError as exc:
        raise Refused(f"git {' '.join(args)} failed: {exc}") from None


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _check_valid(repo: Path) -> None:
    """Refuse unless every document validates and lints clean (lint --strict)."""
    folders, problems = corpus.discover(repo / "raw")
    for folder in folders:
        problems.extend(check(folder))
    if has_errors(problems):
        errors = sum(p.severity == "error" for p in problems)
        raise Refused(f"validation fails ({errors} errors); run: newsanno validate", problems)
    findings = [p for p in promote(problems, LINT_PREFIX) if p.severity == "error"]
    if findings:
        raise Refused(f"`newsanno lint --strict` reports {len(findings)} findings; fix them or record them as exceptions first", findings)


def _options(repo: Path, version: str) -> BuildOptions:
    # No cache: a release's bytes must come from raw/ alone, whatever a cache folder holds.
    return BuildOptions(run=RunOptions(cache_dir=None), version=version)


def _check_fresh(repo: Path) -> None:
    version = project_version(repo / "pyproject.toml") or ""
    card, changelog = _text(repo / "CARD.md"), _text(repo / "CHANGELOG.md")
    checked = check_dataset(repo / "raw", repo / "dataset", card=card, changelog=changelog, options=_options(repo, version))
    if not checked.build.ok:
        raise Refused("the build fails", checked.build.problems)
    if checked.differences:
        stale = checked.differences
        raise Refused(f"dataset/ is stale ({len(stale)} files differ, e.g. {stale[0]}); run: python build.py, and commit")


def preflight(repo: Path, version: str) -> tuple[str | None, semantic.Diff]:
    """Every refusal check; returns the last release tag and the diff against it."""
    wanted = parse_version(version)
    if wanted is None:
        raise Refused(f"VERSION {version!r} is not X.Y.Z")
    dirty = _git(repo, "status", "--porcelain")
    if dirty.strip():
        raise Refused(f"the working tree is dirty; commit or stash first:\n{dirty.rstrip()}")
    last = latest_tag(_git(repo, "tag", "--list", "v*").split())
    if last is not None and wanted <= last[1]:
        raise Refused(f"VERSION {version} is not greater than the last release {last[0]}")
    _check_valid(repo)
    _check_fresh(repo)
    if last is None:
        # The first release: everything is new, so count it against an empty corpus; no bump rule applies.
        return None, semantic.diff(semantic.Snapshot(documents={}), revisions.snapshot(repo, revisions.WORKTREE))
    change = semantic.diff(revisions.snapshot(repo, last[0]), revisions.snapshot(repo, revisions.WORKTREE))
    needed = change.required_bump()
    given = bump_of(last[1], wanted)
    if needed is not None and semantic.BUMPS.index(needed) > semantic.BUMPS.index(given):
        raise Refused(
            f"the changes since {last[0]} need a {needed} bump, but {version} is a {given} bump; see: newsanno diff {last[0]} WORKTREE"
        )
    return last[0], change


def _rebuild(repo: Path, version: str, changelog: str) -> None:
    """Build dataset/ in this process with the new version; restore the edited files if it fails."""
    built = build_dataset(
        repo / "raw", repo / "dataset", card=_text(repo / "CARD.md"), changelog=changelog, options=_options(repo, version)
    )
    if not built.ok:
        _git(repo, "checkout", "--", "pyproject.toml", "CHANGELOG.md")
        raise Refused("the rebuild failed; pyproject.toml and CHANGELOG.md restored", built.problems)
    bad = checksums.verify(repo / "dataset")
    if bad:
        raise Refused(f"the rebuilt dataset does not verify: {bad[0]}")


def make_release(repo: Path, version: str, *, date: str, dry_run: bool = False, push_to: str | None = None) -> ReleaseResult:
    """Check, version, changelog, rebuild, commit and tag ``repo``; then push to the Hub repo ``push_to``.

    ``dry_run`` checks everything and lists the steps without changing anything.  Raises
    :class:`Refused` when a check or step fails.
    """
    last, change = preflight(repo, version)
    counts = change.counts()
    pyproject, changelog_path = repo / "pyproject.toml", repo / "CHANGELOG.md"
    changelog = _text(changelog_path)
    entry = changelog_entry(version, date, counts, unreleased_notes(changelog))
    tag = f"v{version}"
    steps = [
        f"set [project] version = {version} in pyproject.toml",
        f"write CHANGELOG.md entry [{version}] - {date} (against {last or 'no previous release'}: {counts})",
        "rebuild dataset/ (croissant.json, SHA256SUMS)",
        f"git commit -m 'Release {tag}'",
        f"git tag -a {tag}",
    ]
    result = ReleaseResult(steps=[f"{'dry-run' if dry_run else 'done'}: {step}" for step in steps])
    if not dry_run:
        pyproject.write_text(set_version(pyproject.read_text(encoding="utf-8"), version), encoding="utf-8")
        changelog = add_entry(changelog, entry)
        changelog_path.write_text(changelog, encoding="utf-8")
        _rebuild(repo, version, changelog)
        _git(repo, "add", "--", "pyproject.toml", "CHANGELOG.md", "dataset")
        _git(repo, "commit", "-q", "-m", f"Release {tag}")
        _git(repo, "tag", "-a", tag, "-m", f"newsanno {version}\n\n{entry}")
    if push_to:
        result.hub = push(repo / "dataset", push_to, version, dry_run=dry_run)
    return result


def push(dataset: Path, repo_id: str, version: str, dry_run: bool) -> list[str]:
    """Upload dataset/ to the Hub and tag the commit that upload made; the operations, one line each."""
    tag = f"v{version}"
    endpoint = os.environ.get("HF_ENDPOINT") or None
    lines = [
        f"hub: create_repo({repo_id!r}, repo_type='dataset', exist_ok=True) at {endpoint or 'the default endpoint'}",
        f"hub: upload_folder(folder_path={str(dataset)!r}, repo_id={repo_id!r}, repo_type='dataset')",
        f"hub: create_tag({repo_id!r}, tag={tag!r}, revision=<the upload's commit>, repo_type='dataset')",
    ]
    if dry_run:
        return lines
    from huggingface_hub import HfApi

    api = HfApi(endpoint=endpoint)
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    commit = api.upload_folder(folder_path=str(dataset), repo_id=repo_id, repo_type="dataset", commit_message=f"Release {tag}")
    api.create_tag(repo_id, tag=tag, revision=commit.oid, repo_type="dataset", tag_message=f"newsanno {version}")
    return [*lines, f"hub: uploaded {repo_id} commit {commit.oid}, tagged {tag}"]
