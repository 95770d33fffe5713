"""Reading a corpus snapshot (raw/, schema/, the card's column types) from a git revision or the working tree.

Every document a snapshot holds has been through the validator first (strict JSON, the
schema, the spans and references against that revision's text.txt): a revision with an
invalid document is refused with its problems, so code reading a snapshot meets only
documents of the shape the schema promises.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from newsanno import corpus, safeyaml, schema
from newsanno.problems import Problem, has_errors
from newsanno.releases.diff import Snapshot
from newsanno.validate import annotation_problems, decode_text, parse_json, problems_against, schema_problems

WORKTREE = "WORKTREE"


class RevisionError(Exception):
    """A git command that failed: a revision that git cannot resolve or read, a refused commit."""


class InvalidRevision(RevisionError):
    """A revision whose documents do not validate; ``problems`` name each file and fault."""

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = problems


def git_bytes(repo: Path, *args: str) -> bytes:
    """The raw output of ``git ARGS`` run in ``repo``; raises :class:`RevisionError` with git's message when it fails."""
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True)
    if result.returncode != 0:
        raise RevisionError(result.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return result.stdout


def git(repo: Path, *args: str) -> str:
    """The output of ``git ARGS`` run in ``repo`` as text (see :func:`git_bytes`)."""
    return git_bytes(repo, *args).decode("utf-8", "replace")


def show_optional(repo: Path, rev: str, path: str) -> bytes | None:
    """The bytes of ``path`` at commit ``rev``; None only when ``rev`` has no such file.

    Any other failure (not a repository, an unknown revision, a broken object store) raises
    :class:`RevisionError`: "the file is absent" is decided by the tree listing, never guessed from
    a failed ``git show``.
    """
    listed = git_bytes(repo, "ls-tree", "-z", rev, "--", path).split(b"\0")
    entry = next((e for e in listed if e and e.split(b"\t", 1)[-1].decode("utf-8", "replace") == path), None)
    if entry is None:
        return None
    mode_type_oid = entry.split(b"\t", 1)[0].split()
    if mode_type_oid[1] != b"blob":
        return None  # a folder or a submodule of that name is no file
    return git_bytes(repo, "cat-file", "blob", mode_type_oid[2].decode("ascii"))


def _paths(repo: Path, rev: str) -> list[str]:
    if rev == WORKTREE:
        return sorted(
            p.relative_to(repo).as_posix() for top in ("raw", "schema", "dataset") for p in (repo / top).rglob("*") if p.is_file()
        )
    return sorted(git(repo, "ls-tree", "-r", "--name-only", rev, "--", "raw", "schema", "dataset/README.md").splitlines())


def _read_bytes(repo: Path, rev: str, path: str) -> bytes | None:
    """A file of ``rev``; None when it has no such file."""
    if rev == WORKTREE:
        return (repo / path).read_bytes() if (repo / path).is_file() else None
    return show_optional(repo, rev, path)


def _read(repo: Path, rev: str, path: str) -> str:
    return (_read_bytes(repo, rev, path) or b"").decode("utf-8", "replace")


def _shown(rev: str, path: str) -> str:
    return path if rev == WORKTREE else f"{rev}:{path}"


def _document(repo: Path, rev: str, doc_id: str, schemas: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """document.json and annotations.json of one document of ``rev``, validated against its text.txt
    and against ``rev``'s own schemas (a file is judged by the rules of its time)."""
    problems: list[Problem] = []
    found: dict[str, Any] = {}
    folder = f"raw/{doc_id}"
    raw_text = _read_bytes(repo, rev, f"{folder}/{corpus.TEXT}")
    text = None
    if raw_text is None:
        problems.append(Problem(_shown(rev, f"{folder}/{corpus.TEXT}"), "file is missing", "file.missing"))
    else:
        text, bad = decode_text(raw_text, _shown(rev, f"{folder}/{corpus.TEXT}"))
        problems.extend(bad)
    for name, schema_name, key in ((corpus.DOCUMENT, schema.DOCUMENT, "meta"), (corpus.ANNOTATIONS, schema.ANNOTATIONS, "annotations")):
        shown = _shown(rev, f"{folder}/{name}")
        data = _read_bytes(repo, rev, f"{folder}/{name}")
        if data is None:
            problems.append(Problem(shown, "file is missing", "file.missing"))
            continue
        value, bad = parse_json(data, shown)
        if value is None:
            problems.extend(bad)
            continue
        own = schemas.get(schema_name)
        bad = problems_against(value, own, shown) if own is not None else schema_problems(value, schema_name, shown)
        if not bad and key == "annotations" and text is not None:
            bad = annotation_problems(value, text, shown)
        problems.extend(bad)
        found[key] = value
    return found, problems


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
    problems: list[Problem] = []
    # Schemas first: each document is validated against its own revision's schema.
    for path in paths:
        if path.startswith("schema/") and path.endswith(".schema.json"):
            schemas[path.split("/")[-1].removesuffix(".schema.json")] = json.loads(_read(repo, rev, path))
    for path in paths:
        parts = path.split("/")
        if parts[0] == "raw" and len(parts) == 3 and parts[2] == corpus.DOCUMENT:
            documents[parts[1]], found = _document(repo, rev, parts[1], schemas)
            problems.extend(found)
        elif path == "dataset/README.md":
            try:
                columns = config_columns(_read(repo, rev, path))
            except safeyaml.YAMLRefused as exc:
                raise RevisionError(f"{rev}:{path}: the card's front matter is refused: {exc}") from exc
    errors = [p for p in problems if p.severity == "error"]
    if has_errors(errors):
        files = sorted({p.file for p in errors})
        raise InvalidRevision(f"{rev} does not validate: {len(errors)} problem(s) in {len(files)} file(s), e.g. {files[0]}", errors)
    return Snapshot(documents=documents, schemas=schemas, columns=columns)
