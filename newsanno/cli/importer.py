"""``newsanno import FORMAT``: convert annotations from brat or Label Studio into annotations.json.

The converted annotations are written canonically (temporary file + rename, never a partial
file) into the document folder, which must already hold text.txt and document.json, and the
document is then validated like ``newsanno validate`` does.  Nothing is written when the
conversion itself fails.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsanno import corpus, jsonio, schema
from newsanno.atomic import write_atomic
from newsanno.cli import EXIT_USAGE, SUBCOMMANDS, report
from newsanno.cli.common import finish, require_raw
from newsanno.convert import brat, labelstudio
from newsanno.problems import Problem, has_errors
from newsanno.validate import decode_text, load_document, parse_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("import", help=SUBCOMMANDS["import"], description=__doc__)
    formats = p.add_subparsers(dest="source_format", required=True, metavar="FORMAT")
    b = formats.add_parser("brat", help="a brat .ann file (and its .txt) into one document folder")
    b.add_argument("folder", type=Path, metavar="FOLDER", help="document folder (with text.txt and document.json)")
    b.add_argument("ann", type=Path, metavar="ANN", help="the brat .ann file")
    b.add_argument("--txt", type=Path, help="the brat .txt file (default: ANN with .txt); must equal text.txt")
    b.set_defaults(run=run_brat)
    ls = formats.add_parser("labelstudio", help="a Label Studio JSON export; each task into the document with its text")
    ls.add_argument("export", type=Path, metavar="EXPORT", help="Label Studio JSON export (a list of tasks)")
    ls.add_argument("--config", type=Path, required=True, help="label mapping config (see docs/labelstudio-config.example.json)")
    ls.add_argument("--raw", type=Path, default=Path("raw"), help="raw corpus whose documents the tasks belong to (default: raw/)")
    ls.set_defaults(run=run_labelstudio)
    for q in (b, ls):
        q.add_argument("--format", choices=report.FORMATS, default="text", help="problem output format (default: text)")


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    if not path.is_file():
        problems.append(Problem(str(path), "no such file", "import.missing"))
        return None
    text, found = decode_text(path.read_bytes(), str(path), require_lf=False)
    problems.extend(found)
    return text


def _write_and_validate(folder: Path, annotations: dict[str, Any]) -> list[Problem]:
    """Validate the imported annotations beside a copy of the document; write them only if valid.

    An import must never leave a document worse than it found it, so an invalid result is
    reported and the existing annotations.json is kept.
    """
    data = jsonio.canonical_dumps(annotations, schema.ANNOTATIONS).encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="newsanno-import-") as tmp:
        trial = Path(tmp) / folder.name
        shutil.copytree(folder, trial, symlinks=True)
        (trial / corpus.ANNOTATIONS).write_bytes(data)
        trial_shown, shown = corpus.display(trial), corpus.display(folder)
        problems = [replace(p, file=p.file.replace(trial_shown, shown, 1)) for p in load_document(trial)[1]]
    target = folder / corpus.ANNOTATIONS
    if has_errors(problems):
        problems.append(
            Problem(str(target), "not written: the imported annotations do not validate; the file is unchanged", "import.not_written")
        )
        return problems
    write_atomic(target, data)
    print(f"{target}: written", file=sys.stderr)
    return problems


def run_brat(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not (folder / corpus.TEXT).is_file():
        print(f"newsanno import: {folder} is not a document folder (no {corpus.TEXT})", file=sys.stderr)
        return EXIT_USAGE
    problems: list[Problem] = []
    ann = _read_text(args.ann, problems)
    txt = _read_text(args.txt or args.ann.with_suffix(".txt"), problems)
    text = _read_text(folder / corpus.TEXT, problems)
    if ann is None or txt is None or text is None:
        return finish(problems, 1, args.format)
    if txt != text:
        shown = str(args.txt or args.ann.with_suffix(".txt"))
        problems.append(Problem(shown, f"differs from {folder / corpus.TEXT}: offsets would point at other text", "import.text_mismatch"))
        return finish(problems, 1, args.format)
    annotations, found = brat.import_ann(ann, text, folder.name, str(args.ann))
    problems.extend(found)
    if annotations is not None:
        problems.extend(_write_and_validate(folder, annotations))
    return finish(problems, 1, args.format)


def run_labelstudio(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    if (refused := require_raw("import", args.raw)) is not None:
        return refused
    for path in (args.config, args.export):
        if not path.is_file():
            problems.append(Problem(str(path), "no such file", "import.missing"))
    if problems:
        return finish(problems, 0, args.format)
    config, found = parse_json(args.config.read_bytes(), str(args.config))
    problems.extend(found or labelstudio.config_problems(config, str(args.config)))
    tasks, found = parse_json(args.export.read_bytes(), str(args.export))
    problems.extend(found)
    if tasks is not None and not isinstance(tasks, list):
        problems.append(Problem(str(args.export), "a Label Studio export must be a JSON list of tasks", "labelstudio.shape"))
    if has_errors(problems):
        return finish(problems, 0, args.format)
    folders, found = corpus.discover(args.raw)
    problems.extend(found)
    by_text: dict[str, list[Path]] = {}
    for folder in folders:
        text = (folder / corpus.TEXT).read_bytes().decode("utf-8", errors="replace") if (folder / corpus.TEXT).is_file() else None
        if text is not None:
            by_text.setdefault(text, []).append(folder)
    converted: list[tuple[Path, dict[str, Any]]] = []
    for index, task in enumerate(tasks):
        shown = f"{args.export}#{index}"
        data = task.get("data") if isinstance(task, dict) else None
        doc_id = data.get("document_id") if isinstance(data, dict) else None
        if isinstance(doc_id, str):
            matches = [f for f in folders if f.name == doc_id]
        else:
            matches = by_text.get(data.get("text") if isinstance(data, dict) else None, [])  # type: ignore[arg-type]
        if len(matches) != 1:
            why = "no document" if not matches else "several documents"
            problems.append(
                Problem(shown, f"{why} in {args.raw} with this task's data.document_id or data.text", "labelstudio.no_document")
            )
            continue
        annotations, found = labelstudio.import_task(task, config, matches[0].name, shown)
        problems.extend(found)
        if annotations is not None:
            converted.append((matches[0], annotations))
    # All tasks convert, or nothing is written: a half-imported export is hard to reason about.
    if has_errors(problems):
        return finish(problems, len(tasks), args.format)
    for folder, annotations in converted:
        problems.extend(_write_and_validate(folder, annotations))
    return finish(problems, len(converted), args.format)
