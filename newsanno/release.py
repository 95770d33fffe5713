"""Release helpers: version numbers, the bump they give, and the CHANGELOG entry.  Pure text in, text out."""

from __future__ import annotations

import re

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
