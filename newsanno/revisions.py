"""Reading a corpus snapshot (raw/, schema/, the card's column types) from a git revision or the working tree."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from newsanno import safeyaml
from newsanno.diff import Snapshot

WORKTREE = "WORKTREE"


class RevisionError(Exception):
    """A git command that failed: a revision that git cannot resolve or read, a refused commit."""


def git(repo: Path, *args: str) -> str:
    """The output of ``git ARGS`` run in ``repo``; raises :class:`RevisionError` with git's message when it fails."""
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, encoding="utf-8")
    if result.returncode != 0:
        raise RevisionError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def _paths(repo: Path, rev: str) -> list[str]:
    if rev == WORKTREE:
        return sorted(
            p.relative_to(repo).as_posix() for top in ("raw", "schema", "dataset") for p in (repo / top).rglob("*") if p.is_file()
        )
    return sorted(git(repo, "ls-tree", "-r", "--name-only", rev, "--", "raw", "schema", "dataset/README.md").splitlines())


def _read(repo: Path, rev: str, path: str) -> str:
    if rev == WORKTREE:
        return (repo / path).read_text(encoding="utf-8")
    return git(repo, "show", f"{rev}:{path}")


def config_columns(card: str) -> dict[str, dict[str, Any]]:
    """{config: {column: type}} from the ``dataset_info`` features in a dataset card's YAML block."""
    if not card.startswith("---"):
        return {}
    front = safeyaml.load(card.split("---", 2)[1]) or {}
    infos = front.get("dataset_info") or []
    if isinstance(infos, dict):
        infos = [infos]
    return {
        info["config_name"]: {f["name"]: {k: v for k, v in f.items() if k != "name"} for f in info.get("features", [])} for info in infos
    }


def snapshot(repo: Path, rev: str) -> Snapshot:
    """The documents, schemas and config columns of ``rev`` (a git revision or ``WORKTREE``)."""
    if rev != WORKTREE:
        git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    paths = _paths(repo, rev)
    documents: dict[str, dict[str, Any]] = {}
    schemas: dict[str, Any] = {}
    columns: dict[str, dict[str, Any]] = {}
    for path in paths:
        parts = path.split("/")
        if parts[0] == "raw" and len(parts) == 3 and parts[2] in ("document.json", "annotations.json"):
            key = "meta" if parts[2] == "document.json" else "annotations"
            documents.setdefault(parts[1], {})[key] = json.loads(_read(repo, rev, path))
        elif parts[0] == "schema" and path.endswith(".schema.json"):
            schemas[parts[-1].removesuffix(".schema.json")] = json.loads(_read(repo, rev, path))
        elif path == "dataset/README.md":
            try:
                columns = config_columns(_read(repo, rev, path))
            except safeyaml.YAMLRefused as exc:
                raise RevisionError(f"{rev}:{path}: the card's front matter is refused: {exc}") from exc
    return Snapshot(documents={k: v for k, v in documents.items() if "meta" in v}, schemas=schemas, columns=columns)
