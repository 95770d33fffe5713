"""``newsanno release VERSION``: check, version, changelog, rebuild, commit, tag, and optionally push to the Hub."""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from newsanno import checksums, corpus, revisions
from newsanno import diff as semantic
from newsanno import release as rel
from newsanno.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.build import compare_trees, write_dataset
from newsanno.cli.engines import RunOptions
from newsanno.cli.pipeline import process
from newsanno.lint import LINT_PREFIX
from newsanno.problems import has_errors, promote
from newsanno.validate import DEFAULT_LIMITS


class Refused(Exception):
    """A release precondition failed; the message says which and how to fix it."""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("release", help=SUBCOMMANDS["release"], description=__doc__)
    p.add_argument("version", metavar="VERSION", help="the new version, X.Y.Z")
    p.add_argument("--repo", type=Path, default=Path("."), help="the git checkout to release (default: .)")
    p.add_argument("--date", help="release date YYYY-MM-DD for the CHANGELOG (default: today)")
    p.add_argument("--push", metavar="REPO_ID", help="then upload dataset/ to this Hub dataset repo and tag it")
    p.add_argument("--dry-run", action="store_true", help="check everything, print every operation, change nothing")
    p.set_defaults(run=run)


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    if result.returncode != 0:
        raise Refused(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def _check_valid(repo: Path) -> None:
    """Refuse unless every document validates and lints clean (lint --strict)."""
    folders, problems = corpus.discover(repo / "raw")
    for folder in folders:
        problems.extend(process(folder, DEFAULT_LIMITS, with_rows=False).problems)
    if has_errors(problems):
        report.emit(problems, "text")
        raise Refused(f"validation fails ({sum(p.severity == 'error' for p in problems)} errors); run: newsanno validate")
    findings = [p for p in promote(problems, LINT_PREFIX) if p.severity == "error"]
    if findings:
        report.emit(findings, "text")
        raise Refused(f"`newsanno lint --strict` reports {len(findings)} findings; fix them or record them as exceptions first")


def _build_into(repo: Path, out: Path) -> None:
    card = (repo / "CARD.md").read_text(encoding="utf-8")
    changelog_path = repo / "CHANGELOG.md"
    changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else ""
    problems = write_dataset(repo / "raw", out, card, RunOptions(limits=DEFAULT_LIMITS, cache_dir=None), changelog=changelog)
    if has_errors(problems):
        report.emit(problems, "text")
        raise Refused("the build fails")


def _check_fresh(repo: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="newsanno-release-") as tmp:
        _build_into(repo, Path(tmp))
        stale = compare_trees(Path(tmp), repo / "dataset")
    if stale:
        raise Refused(f"dataset/ is stale ({len(stale)} files differ, e.g. {stale[0]}); run: python build.py, and commit")


def preflight(repo: Path, version: str) -> tuple[str | None, semantic.Diff | None]:
    """Every refusal check; returns the last release tag and the diff against it."""
    wanted = rel.parse_version(version)
    if wanted is None:
        raise Refused(f"VERSION {version!r} is not X.Y.Z")
    dirty = _git(repo, "status", "--porcelain")
    if dirty.strip():
        raise Refused(f"the working tree is dirty; commit or stash first:\n{dirty.rstrip()}")
    last = rel.latest_tag(_git(repo, "tag", "--list", "v*").split())
    if last is not None and wanted <= last[1]:
        raise Refused(f"VERSION {version} is not greater than the last release {last[0]}")
    _check_valid(repo)
    _check_fresh(repo)
    if last is None:
        # The first release: everything is new, so count it against an empty corpus; no bump rule applies.
        return None, semantic.diff(semantic.Snapshot(documents={}), revisions.snapshot(repo, revisions.WORKTREE))
    change = semantic.diff(revisions.snapshot(repo, last[0]), revisions.snapshot(repo, revisions.WORKTREE))
    needed = change.required_bump()
    given = rel.bump_of(last[1], wanted)
    if needed is not None and semantic.BUMPS.index(needed) > semantic.BUMPS.index(given):
        raise Refused(
            f"the changes since {last[0]} need a {needed} bump, but {version} is a {given} bump; see: newsanno diff {last[0]} WORKTREE"
        )
    return last[0], change


def push(dataset: Path, repo_id: str, version: str, dry_run: bool) -> None:
    """Upload dataset/ to the Hub and tag the commit that upload made."""
    tag = f"v{version}"
    endpoint = os.environ.get("HF_ENDPOINT") or None
    print(f"hub: create_repo({repo_id!r}, repo_type='dataset', exist_ok=True) at {endpoint or 'the default endpoint'}")
    print(f"hub: upload_folder(folder_path={str(dataset)!r}, repo_id={repo_id!r}, repo_type='dataset')")
    print(f"hub: create_tag({repo_id!r}, tag={tag!r}, revision=<the upload's commit>, repo_type='dataset')")
    if dry_run:
        return
    from huggingface_hub import HfApi

    api = HfApi(endpoint=endpoint)
    api.create_repo(repo_id, repo_type="dataset", exist_ok=True)
    commit = api.upload_folder(folder_path=str(dataset), repo_id=repo_id, repo_type="dataset", commit_message=f"Release {tag}")
    api.create_tag(repo_id, tag=tag, revision=commit.oid, repo_type="dataset", tag_message=f"newsanno {version}")
    print(f"hub: uploaded {repo_id} commit {commit.oid}, tagged {tag}")


def run(args: argparse.Namespace) -> int:
    repo: Path = args.repo.resolve()
    date = args.date or datetime.date.today().isoformat()  # the release writes the changelog: the one place a date is chosen
    try:
        datetime.date.fromisoformat(date)
    except ValueError:
        print(f"newsanno release: --date {date!r} is not YYYY-MM-DD", file=sys.stderr)
        return EXIT_USAGE
    try:
        last, change = preflight(repo, args.version)
    except Refused as exc:
        print(f"newsanno release: refused: {exc}", file=sys.stderr)
        return EXIT_INVALID
    counts = change.counts() if change else {}
    pyproject = repo / "pyproject.toml"
    changelog_path = repo / "CHANGELOG.md"
    changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else ""
    entry = rel.changelog_entry(args.version, date, counts, rel.unreleased_notes(changelog))
    tag = f"v{args.version}"
    steps = [
        f"set [project] version = {args.version} in pyproject.toml",
        f"write CHANGELOG.md entry [{args.version}] - {date} (against {last or 'no previous release'}: {counts})",
        "rebuild dataset/ (croissant.json, SHA256SUMS)",
        f"git commit -m 'Release {tag}'",
        f"git tag -a {tag}",
    ]
    if args.dry_run:
        for step in steps:
            print(f"dry-run: {step}")
        if args.push:
            push(repo / "dataset", args.push, args.version, dry_run=True)
        return EXIT_OK
    pyproject.write_text(rel.set_version(pyproject.read_text(encoding="utf-8"), args.version), encoding="utf-8")
    changelog_path.write_text(rel.add_entry(changelog, entry), encoding="utf-8")
    # The build runs in a subprocess so it reads the new pyproject version from this checkout.
    built = subprocess.run([sys.executable, str(repo / "build.py")], cwd=repo, capture_output=True, text=True)
    if built.returncode != 0:
        sys.stderr.write(built.stderr)
        _git(repo, "checkout", "--", "pyproject.toml", "CHANGELOG.md")
        print("newsanno release: the rebuild failed; pyproject.toml and CHANGELOG.md restored", file=sys.stderr)
        return EXIT_INVALID
    bad = checksums.verify(repo / "dataset")
    if bad:
        print(f"newsanno release: the rebuilt dataset does not verify: {bad[0]}", file=sys.stderr)
        return EXIT_INVALID
    _git(repo, "add", "--", "pyproject.toml", "CHANGELOG.md", "dataset")
    _git(repo, "commit", "-q", "-m", f"Release {tag}")
    _git(repo, "tag", "-a", tag, "-m", f"newsanno {args.version}\n\n{entry}")
    for step in steps:
        print(f"done: {step}")
    if args.push:
        push(repo / "dataset", args.push, args.version, dry_run=False)
    return EXIT_OK
