"""Releases: the refusal checks, the steps (version, changelog, rebuild, commit, tag) and the Hub push.

Every argument and precondition is checked before anything is written
(:mod:`newsanno.releases.release_args`, :func:`preflight`).  The local steps are all-or-nothing: when
one fails, pyproject.toml, CHANGELOG.md, dataset/, the index, HEAD and the tags are put back
as they were.  The push comes after the local commit and tag and cannot be undone remotely,
so a failed push says which steps completed and how to retry or undo them.  The previous
release is found through :mod:`newsanno.releases.history` (tag or release commit), so a copy without
tags behaves like one with them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from newsanno import corpus
from newsanno.builder import BuildOptions, RunOptions, build_dataset, check_dataset
from newsanno.builder.pipeline import check
from newsanno.problems import Problem, has_errors, promote
from newsanno.publish import checksums
from newsanno.releases import diff as semantic
from newsanno.releases import history, revisions
from newsanno.releases.release_args import ReleaseArgumentError, check_arguments
from newsanno.validate.lint import LINT_PREFIX
from newsanno.version import project_version

_PROJECT_VERSION = re.compile(r'(?m)^(version\s*=\s*")([^"]*)(")')
_UNRELEASED = re.compile(r"(?m)^## \[Unreleased\][^\n]*\n")
RELEASE_FILES = ("pyproject.toml", "CHANGELOG.md", "dataset")


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


# What a release step may meet that is not a bug of ours: a refusal, a failing git command, a
# release history that is not UTF-8, the file system (full, read-only, removed under us) and, for
# a push, the network (requests' and huggingface_hub's errors are OSErrors).  Anything else is a bug: it is undone and re-raised,
# never dressed up as a refusal.
EXPECTED_FAILURES: tuple[type[BaseException], ...] = (Refused, revisions.RevisionError, history.HistoryError, OSError, UnicodeError)


@dataclass
class ReleaseResult:
    """What a release did (or, dry, would do): its steps, then the Hub operations."""

    steps: list[str] = field(default_factory=list)
    hub: list[str] = field(default_factory=list)


def _git(repo: Path, *args: str) -> str:
    try:
        return revisions.git(repo, *args)
    except revisions.RevisionError as exc:
        raise Refused(f"git {' '.join(args)} failed: {exc}") from exc


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


def _last_release(repo: Path, wanted: history.Version) -> history.Release | None:
    """Refuse ``wanted`` unless it is above every recorded version; the last release with a commit."""
    try:
        highest = history.highest_recorded(repo)
        found = [r for r in history.releases(repo) if r.commit]
    except (history.HistoryError, OSError, UnicodeDecodeError) as exc:  # CHANGELOG.md/pyproject.toml are read as UTF-8
        raise Refused(f"reading the release history failed: {exc}") from exc
    if highest is not None and wanted <= highest[0]:
        shown = history.format_version(wanted)
        raise Refused(
            f"VERSION {shown} is not greater than the last release v{history.format_version(highest[0])} (recorded in {highest[1]})"
        )
    return max(found, key=lambda r: r.version, default=None)


def _snapshot(repo: Path, rev: str) -> semantic.Snapshot:
    try:
        return revisions.snapshot(repo, rev)
    except revisions.InvalidRevision as exc:
        raise Refused(str(exc), exc.problems) from exc
    except revisions.RevisionError as exc:
        raise Refused(f"reading {rev} failed: {exc}") from exc


def preflight(repo: Path, wanted: history.Version) -> tuple[str | None, semantic.Diff]:
    """Every refusal check of the repository; returns the last release's name and the diff against it."""
    dirty = _git(repo, "status", "--porcelain")
    if dirty.strip():
        raise Refused(f"the working tree is dirty; commit or stash first:\n{dirty.rstrip()}")
    last = _last_release(repo, wanted)
    _check_valid(repo)
    _check_fresh(repo)
    current = _snapshot(repo, revisions.WORKTREE)
    if last is None:
        # The first release: everything is new, so count it against an empty corpus; no bump rule applies.
        return None, semantic.diff(semantic.Snapshot(documents={}), current)
    change = semantic.diff(_snapshot(repo, last.commit or ""), current)
    needed = change.required_bump()
    given = bump_of(last.version, wanted)
    if needed is not None and semantic.BUMPS.index(needed) > semantic.BUMPS.index(given):
        raise Refused(
            f"the changes since {last.name} need a {needed} bump, but {history.format_version(wanted)} is a {given} bump; "
            f"see: newsanno diff {last.name} WORKTREE"
        )
    return last.name, change


def _rebuild(repo: Path, version: str, changelog: str) -> None:
    """Build dataset/ in this process with the new version (the build swaps dataset/ in only when it succeeds)."""
    built = build_dataset(
        repo / "raw", repo / "dataset", card=_text(repo / "CARD.md"), changelog=changelog, options=_options(repo, version)
    )
    if not built.ok:
        raise Refused("the rebuild failed", built.problems)
    bad = checksums.verify(repo / "dataset")
    if bad:
        raise Refused(f"the rebuilt dataset does not verify: {bad[0]}")


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()} if folder.is_dir() else set()


class _Undo:
    """What the local steps change, recorded before them, and how to put it back."""

    def __init__(self, repo: Path, tag: str) -> None:
        self.repo, self.tag = repo, tag
        self.head = _git(repo, "rev-parse", "--verify", "HEAD").strip()
        self.dataset = _files(repo / "dataset")
        self.tagged = False

    def restore(self) -> str:
        """Put the files, the index, HEAD and the tags back; what was done (or what to run by hand)."""
        steps = []
        try:
            if self.tagged:
                revisions.git(self.repo, "tag", "-d", self.tag)
                steps.append(f"deleted tag {self.tag}")
            if _git(self.repo, "rev-parse", "--verify", "HEAD").strip() != self.head:
                revisions.git(self.repo, "reset", "-q", "--soft", self.head)
                steps.append(f"reset the release commit (HEAD is {self.head[:12]} again)")
            revisions.git(self.repo, "reset", "-q", self.head, "--", *RELEASE_FILES)
            revisions.git(self.repo, "checkout", self.head, "--", *RELEASE_FILES)
            for path in sorted(_files(self.repo / "dataset") - self.dataset, reverse=True):
                path.unlink()  # only files the release created; a file that was there before is git's to restore
            for folder in sorted((p for p in (self.repo / "dataset").rglob("*") if p.is_dir()), reverse=True):
                if not any(folder.iterdir()):
                    folder.rmdir()
            steps.append("restored " + ", ".join(RELEASE_FILES))
        except (revisions.RevisionError, Refused, OSError) as exc:
            return (
                f"restoring failed ({exc}); put it back by hand: git tag -d {self.tag} (if it exists); "
                f"git reset --hard {self.head}; git clean -fd -- dataset"
            )
        return "; ".join(steps)


def _local_steps(repo: Path, version: str, entry: str, changelog: str, undo: _Undo) -> None:
    """Version, changelog, rebuild, commit and tag: each may fail, and the caller then restores."""
    tag = f"v{version}"
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(set_version(pyproject.read_text(encoding="utf-8"), version), encoding="utf-8")
    changelog = add_entry(changelog, entry)
    (repo / "CHANGELOG.md").write_text(changelog, encoding="utf-8")
    _rebuild(repo, version, changelog)
    _git(repo, "add", "--", *RELEASE_FILES)
    _git(repo, "commit", "-q", "-m", f"Release {tag}")
    _git(repo, "tag", "-a", tag, "-m", f"newsanno {version}\n\n{entry}")
    undo.tagged = True


def make_release(repo: Path, version: str, *, date: str, dry_run: bool = False, push_to: str | None = None) -> ReleaseResult:
    """Check, version, changelog, rebuild, commit and tag ``repo``; then push to the Hub repo ``push_to``.

    ``dry_run`` checks everything and lists the steps without changing anything.  Raises
    :class:`Refused` when a check or step fails; a failed local step leaves the repository
    as it was.
    """
    try:
        wanted = check_arguments(version, date, push_to)
    except ReleaseArgumentError as exc:
        raise Refused(str(exc)) from exc
    last, change = preflight(repo, wanted)
    counts = change.counts()
    changelog = _text(repo / "CHANGELOG.md")
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
        undo = _Undo(repo, tag)
        try:
            _local_steps(repo, version, entry, changelog, undo)
        except EXPECTED_FAILURES as exc:  # a refused step, git, or the file system: put everything back, say what failed
            restored = undo.restore()
            problems = exc.problems if isinstance(exc, Refused) else []
            raise Refused(f"{exc}; nothing was released: {restored}", problems) from exc
        except BaseException:  # a bug or an interrupt: put everything back, and let it surface as what it is
            undo.restore()
            raise
    if push_to:
        result.hub = push(repo, push_to, version, dry_run=dry_run)
    return result


def push(repo: Path, repo_id: str, version: str, dry_run: bool) -> list[str]:
    """Upload dataset/ to the Hub and tag the commit that upload made; the operations, one line each.

    A failure is refused with the steps that completed: the local release stays (it is
    complete and correct), and the message says how to retry the push or undo the release.
    """
    tag = f"v{version}"
    dataset = repo / "dataset"
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
    head, parent = _git(repo, "rev-parse", "HEAD", "HEAD~1").split()
    local = f"the local release is complete (commit {head[:12]} 'Release {tag}', tag {tag})"
    undo = f"to undo the local release instead: git tag -d {tag} && git reset --hard {parent[:12]}"
    retry_upload = f"hf upload {repo_id} {dataset} . --repo-type dataset --commit-message 'Release {tag}'"
    try:
        api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    except OSError as exc:
        raise Refused(f"{local}; the push failed at create_repo, nothing was sent: {exc}; retry: {retry_upload}; {undo}") from exc
    try:
        commit = api.upload_folder(folder_path=str(dataset), repo_id=repo_id, repo_type="dataset", commit_message=f"Release {tag}")
    except OSError as exc:
        raise Refused(
            f"{local}; the Hub repo {repo_id} exists; the push failed at upload_folder: {exc}; retry: {retry_upload}; {undo}"
        ) from exc
    try:
        api.create_tag(repo_id, tag=tag, revision=commit.oid, repo_type="dataset", tag_message=f"newsanno {version}")
    except OSError as exc:
        retry_tag = f"hf repos tag create {repo_id} {tag} --repo-type dataset --revision {commit.oid}"
        raise Refused(
            f"{local}; uploaded to {repo_id} as commit {commit.oid}, but create_tag failed: {exc}; retry: {retry_tag}; {undo}"
        ) from exc
    return [*lines, f"hub: uploaded {repo_id} commit {commit.oid}, tagged {tag}"]
