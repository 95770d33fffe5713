"""Checks of a document folder's optional files: the two independent annotations and the adjudication record.

``annotations.a.json`` and ``annotations.b.json`` are checked exactly like ``annotations.json``
(schema, spans against text.txt, references, canonical form) through the validator's public
functions; ``adjudication.json`` against schema/adjudication.schema.json plus the rules a
schema cannot say (its document id, unique item ids, the annotation files it names).  The
build reads no rows from any of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsanno import corpus, jsonio, schema
from newsanno.problems import Problem, has_errors
from newsanno.validate import DEFAULT_LIMITS, Limits, annotation_problems, decode_text, read_bytes, read_json_file, schema_problems

ADJUDICATION_SCHEMA = "adjudication"


def read_json(path: Path, schema_name: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, list[Problem]]:
    """Read, strictly parse and schema-check one JSON file; the value only when it has no error.

    A file that is valid but not byte-identical to its canonical form gets a warning.
    """
    shown = corpus.display(path)
    value, data, problems = read_json_file(path, shown, limits)
    if value is None:
        return None, problems
    problems = schema_problems(value, schema_name, shown)
    if not has_errors(problems) and data.decode("utf-8") != jsonio.canonical_dumps(value, schema_name):
        problems.append(
            Problem(
                shown,
                "valid, but not in canonical JSON form",
                "format.not_canonical",
                severity="warning",
                hint="rewrite it as json.dumps(value, indent=2, ensure_ascii=False) plus a newline, keys in schema order",
            )
        )
    return (None if has_errors(problems) else value), problems


def _document_id(value: dict[str, Any], folder: Path, shown: str) -> list[Problem]:
    if value["document_id"] == folder.name:
        return []
    return [
        Problem(
            shown,
            f"document_id {value['document_id']!r} differs from the folder name {folder.name!r}",
            "ref.document_id",
            pointer="/document_id",
        )
    ]


def annotation_file_problems(folder: Path, name: str, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Every problem of the extra annotation file ``folder/name``, checked like annotations.json."""
    path = folder / name
    shown = corpus.display(path)
    value, problems = read_json(path, schema.ANNOTATIONS, limits)
    if value is None:
        return problems
    problems += _document_id(value, folder, shown)
    data, found = read_bytes(folder / corpus.TEXT, limits)
    text, _ = decode_text(data, corpus.display(folder / corpus.TEXT)) if data is not None else (None, found)
    if text is not None:  # a missing or broken text.txt is reported by the document's own check
        problems += annotation_problems(value, text, shown)
    return problems


def adjudication_problems(folder: Path, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Every problem of ``folder/adjudication.json``: schema, document id, unique ids, files it names."""
    path = folder / corpus.ADJUDICATION
    shown = corpus.display(path)
    value, problems = read_json(path, ADJUDICATION_SCHEMA, limits)
    if value is None:
        return problems
    problems += _document_id(value, folder, shown)
    seen: set[str] = set()
    for i, item in enumerate(value["items"]):
        if item["id"] in seen:
            problems.append(Problem(shown, f"item id {item['id']!r} is used twice", "ref.duplicate_id", pointer=f"/items/{i}/id"))
        seen.add(item["id"])
    for key in ("a", "b"):
        if not (folder / value[key]).is_file():
            problems.append(
                Problem(
                    shown,
                    f"names annotation {key.upper()} {value[key]!r}, which is not in the folder",
                    "ref.missing_file",
                    pointer=f"/{key}",
                )
            )
    return problems


def folder_problems(folder: Path, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """The problems of whichever optional files ``folder`` holds (none: no problems)."""
    problems: list[Problem] = []
    for name in (corpus.ANNOTATIONS_A, corpus.ANNOTATIONS_B):
        if (folder / name).exists() or (folder / name).is_symlink():
            problems += annotation_file_problems(folder, name, limits)
    if (folder / corpus.ADJUDICATION).exists() or (folder / corpus.ADJUDICATION).is_symlink():
        problems += adjudication_problems(folder, limits)
    return problems
