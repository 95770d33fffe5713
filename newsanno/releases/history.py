"""The releases of the dataset as the repository's own history records them, tags or no tags.

Git tags do not travel with every copy of a repository (a plain ``git clone`` of a branch, an
archive, a mirror), so a release is recognised from what every copy has: its entry
``## [X.Y.Z] - DATE`` in CHANGELOG.md and its commit ``Release vX.Y.Z``, whose pyproject.toml
says ``version = "X.Y.Z"`` and whose CHANGELOG.md has that entry.  A tag, where there is one,
only confirms it: a tag moved to another commit (or pointing at a commit that is no release) is
reported, never followed, so ``checkout 1.0.0`` cannot be made to hand out some other commit's
data as release 1.0.0.  From a release's commit the dataset folder of that version can be
written out again exactly, checked against the SHA256SUMS it shipped with.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from newsanno import guard
from newsanno.publish import checksums
from newsanno.releases import revisions
from newsanno.validate.reading import ProseError, read_prose

Version = tuple[int, int, int]

# SemVer 2.0's version core as written: ASCII digits, no leading zeros, nothing around it.
_CORE = r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
_VERSION = re.compile(_CORE, re.ASCII)
_CHANGELOG_ENTRY = re.compile(r"^## \[" + _CORE + r"\] - ([0-9]{4}-[0-9]{2}-[0-9]{2})[ \t]*$", re.ASCII | re.MULTILINE)
_PROJECT_VERSION = re.compile(r'^version\s*=\s*"([^"\n]*)"', re.MULTILINE)
RELEASE_SUBJECT = re.compile(r"Release v" + _CORE, re.ASCII)
DATASET = "dataset"


class HistoryError(Exception):
    """A version or revision that the history cannot resolve, or a checkout that cannot be made."""


def parse_version(text: str) -> Version | None:
    """(major, minor, patch) of a SemVer 2.0 version core ``X.Y.Z`` exactly as written; else None."""
    match = _VERSION.fullmatch(text)
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def format_version(version: Version) -> str:
    return ".".join(map(str, version))


@dataclass(frozen=True, slots=True)
class Release:
    """One release: where each record of it was found (None where it was not)."""

    version: Version
    date: str | None  # from CHANGELOG.md
    commit: str | None  # the release commit; never taken from a tag
    tagged: bool  # a tag vX.Y.Z exists (whether or not it agrees)
    sums_sha256: str | None  # sha256 of dataset/SHA256SUMS at the commit
    tag_commit: str | None = None  # the commit the tag points at

    @property
    def name(self) -> str:
        return "v" + format_version(self.version)

    @property
    def tag_note(self) -> str | None:
        """Why the tag does not confirm this release (it is not followed); None when it does or there is none."""
        if not self.tagged or self.tag_commit == self.commit:
            return None
        tag = (self.tag_commit or "?")[:12]
        if self.commit is None:
            return (
                f"tag {self.name} points at {tag}, which is no release commit ('Release {self.name}' with pyproject.toml "
                f"version {format_version(self.version)} and its CHANGELOG.md entry); the tag is not followed"
            )
        return f"tag {self.name} points at {tag}, not at the release commit {self.commit[:12]}; the tag is not followed"


def git(repo: Path, *args: str, binary: bool = False) -> str:
    """Run git in ``repo``; a failure raises :class:`HistoryError` with git's own message."""
    try:
        out = revisions.git_bytes(repo, *args)  # the package's one way of running git
    except revisions.RevisionError as exc:
        raise HistoryError(str(exc)) from exc
    return out if binary else out.decode("utf-8")  # type: ignore[return-value]


def _optional(repo: Path, commit: str, path: str) -> bytes | None:
    """A file of ``commit``, None when the commit has none; any git failure is a HistoryError, not "absent"."""
    try:
        return revisions.show_optional(repo, commit, path)
    except revisions.RevisionError as exc:
        raise HistoryError(str(exc)) from exc


def changelog_versions(changelog: str) -> dict[Version, str]:
    """Every ``## [X.Y.Z] - YYYY-MM-DD`` entry: version -> date."""
    return {(int(m[1]), int(m[2]), int(m[3])): m[4] for m in _CHANGELOG_ENTRY.finditer(changelog)}


def project_version(pyproject: str) -> Version | None:
    """The ``[project] version`` of a pyproject.toml (the first ``version =`` line)."""
    match = _PROJECT_VERSION.search(pyproject)
    return parse_version(match[1]) if match else None


def _release_commits(repo: Path) -> dict[Version, str]:
    """Commits whose subject is ``Release vX.Y.Z``, whose pyproject.toml says X.Y.Z and whose
    CHANGELOG.md has the entry ``## [X.Y.Z]`` (newest wins)."""
    found: dict[Version, str] = {}
    log = git(repo, "log", "--format=%H %s", "--extended-regexp", "--grep=^Release v[0-9]", "HEAD")
    for line in log.splitlines():
        commit, _, subject = line.partition(" ")
        match = RELEASE_SUBJECT.fullmatch(subject.strip())
        if match is None:
            continue
        version = (int(match[1]), int(match[2]), int(match[3]))
        if (
            version not in found
            and _show(repo, commit, "pyproject.toml", version_only=True) == version
            and _has_entry(repo, commit, version)
        ):
            found[version] = commit
    return found


def _show(repo: Path, commit: str, path: str, *, version_only: bool = False) -> Version | None:
    data = _optional(repo, commit, path)
    if data is None:
        return None
    return project_version(data.decode("utf-8")) if version_only else None


def _has_entry(repo: Path, commit: str, version: Version) -> bool:
    data = _optional(repo, commit, "CHANGELOG.md")
    return data is not None and version in changelog_versions(data.decode("utf-8", errors="replace"))


def _tags(repo: Path) -> dict[Version, str]:
    tags: dict[Version, str] = {}
    for line in git(repo, "tag", "--list", "v*", "--format=%(refname:short) %(objectname) %(*objectname)").splitlines():
        name, *ids = line.split()
        version = parse_version(name[1:])
        if version is not None:
            tags[version] = ids[-1]  # the commit an annotated tag points at, else the tag's own object
    return tags


def _sums_digest(repo: Path, commit: str) -> str | None:
    data = _optional(repo, commit, f"{DATASET}/{checksums.MANIFEST}")
    return None if data is None else hashlib.sha256(data).hexdigest()


def releases(repo: Path) -> list[Release]:
    """Every release recorded anywhere (CHANGELOG.md of the working tree, release commits, tags), oldest first."""
    changelog_path = repo / "CHANGELOG.md"
    try:
        dates = changelog_versions(read_prose(changelog_path)) if os.path.lexists(changelog_path) else {}
    except ProseError as exc:
        raise HistoryError(str(exc)) from None
    commits, tags = _release_commits(repo), _tags(repo)
    found = []
    for version in sorted(dates.keys() | commits.keys() | tags.keys()):
        commit = commits.get(version)
        sums = _sums_digest(repo, commit) if commit else None
        found.append(Release(version, dates.get(version), commit, version in tags, sums, tags.get(version)))
    return found


def highest_recorded(repo: Path) -> tuple[Version, str] | None:
    """The greatest version that tags, release commits, CHANGELOG.md or pyproject.toml record, and every place recording it."""
    places: dict[Version, list[str]] = {}
    for r in releases(repo):
        where = places.setdefault(r.version, [])
        if r.tagged or r.commit:
            where.append("a tag" if r.tagged else "a release commit")
        if r.date:
            where.append("CHANGELOG.md")
    pyproject = repo / "pyproject.toml"
    current = project_version(pyproject.read_text(encoding="utf-8")) if pyproject.is_file() else None
    if current is not None:
        places.setdefault(current, []).append("pyproject.toml")
    if not places:
        return None
    top = max(places)
    return top, ", ".join(places[top])


def release_of(repo: Path, rev: str) -> Release | None:
    """The release ``vX.Y.Z`` names (None for any other revision); HistoryError when there is no release commit."""
    if not (rev.startswith("v") and (version := parse_version(rev[1:])) is not None):
        return None
    release = next((r for r in releases(repo) if r.version == version), None)
    if release is None or release.commit is None:
        why = (
            release.tag_note
            if release is not None and release.tag_note
            else f"no commit 'Release {rev}' whose pyproject.toml and CHANGELOG.md record {rev[1:]}"
        )
        raise HistoryError(f"{rev} is not a release of this repository ({why})")
    return release


def resolve(repo: Path, rev: str) -> str:
    """A git revision for ``rev``: ``vX.Y.Z`` resolves to its release commit (a tag is never
    followed), anything else is passed to git as it is."""
    release = release_of(repo, rev)
    return rev if release is None else release.commit  # type: ignore[return-value]


# A checkout writes a new folder: never into or around the corpus, its schemas, its dataset or git's store.
CHECKOUT_OUTPUT = guard.Output("release dataset folder", folder=True, marker=lambda _folder: False)
PROTECTED = ("raw", "schema", DATASET, ".git")


def checkout(repo: Path, version: str, dest: Path) -> int:
    """Write the ``dataset/`` folder of release ``version`` into ``dest`` (which must not exist
    or be empty) and verify it against its SHA256SUMS; returns the number of files written.

    Files are written from git's objects, so the working tree is never touched; on a failed
    verification ``dest`` is removed again.
    """
    commit = resolve(repo, version if version.startswith("v") else f"v{version}")
    # force: checkout has no --force; the check below refuses every folder that is not new or empty.
    refused = guard.output_problems(dest, CHECKOUT_OUTPUT, [repo / name for name in PROTECTED], force=True)
    if refused:
        raise HistoryError(f"{refused[0].file}: {refused[0].message}")
    if dest.is_symlink() or (dest.exists() and (not dest.is_dir() or any(dest.iterdir()))):
        raise HistoryError(f"{dest} exists and is not an empty folder; give a new folder")
    listing = git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", DATASET)
    entries = [line.split("\t", 1) for line in listing.split("\0") if line]
    if not entries:
        raise HistoryError(f"{version}: the release commit {commit[:12]} has no {DATASET}/ folder")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        try:
            _write_entries(repo, version, entries, dest)
        except BaseException:
            _empty(dest)
            raise
    except OSError as exc:  # a full or read-only file system, a missing permission: one line, nothing kept
        raise HistoryError(f"{dest}: cannot write: {exc.strerror or exc} [Errno {exc.errno}]; nothing of {version} was kept") from exc
    return len(entries)


def _empty(folder: Path) -> None:
    """Remove what a failed checkout wrote, leaving the (empty) folder the user named."""
    for child in folder.iterdir():
        with contextlib.suppress(OSError):  # on a read-only file system nothing was written to remove
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()


def _write_entries(repo: Path, version: str, entries: list[list[str]], dest: Path) -> None:
    for info, path in entries:
        mode, kind, obj = info.split()
        if kind != "blob" or mode not in ("100644", "100755"):
            raise HistoryError(f"{version}: {path} is not a regular file in the release commit")
        relative = Path(path).relative_to(DATASET)
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(git(repo, "cat-file", "blob", obj, binary=True))  # type: ignore[arg-type]
    bad = checksums.verify(dest)
    if bad:
        raise HistoryError(f"{version}: the written folder does not match its {checksums.MANIFEST}: {bad[0]}")
