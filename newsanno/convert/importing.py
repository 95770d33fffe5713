"""Importing annotations from annotation tools into document folders: brat and Label Studio.

:func:`import_brat` and :func:`import_labelstudio` read the tool's files, convert them with the
pure converters of :mod:`newsanno.convert`, validate the result beside a copy of the document,
and write ``annotations.json`` canonically and atomically -- or, on any error, nothing.  They
return what they did as an :class:`Imported` (problems, documents, written files); the command
line only reports it.

What an import refuses, because it would write somewhere or something the user did not mean:

- a brat ``.txt`` or a Label Studio task whose text differs from the document's ``text.txt``
  (the offsets would point at other text);
- two Label Studio tasks for one document (the second would silently replace the first);
- Label Studio's JSON_MIN export (it has no region ids or relations: export JSON instead);
- a document folder, or an ``annotations.json``, that is a symbolic link (a link may lead out of
  the corpus, and the import would write through it), or a folder outside its raw corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsanno import corpus, jsonio, schema
from newsanno.atomic import NotRegular, read_named, read_regular, write_atomic
from newsanno.problems import Problem, has_errors
from newsanno.rows import configs
from newsanno.tokens import tokenize
from newsanno.validate import decode_text, load_document, parse_json
from newsanno.validate.lint import lint_document


@dataclass
class Imported:
    """What an import did: its problems, the documents it looked at and the files it wrote."""

    problems: list[Problem] = field(default_factory=list)
    documents: int = 0
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def _read(path: Path, problems: list[Problem]) -> bytes | None:
    """The bytes of a file the import names; a missing file, a link or a special file is a problem."""
    try:
        return read_named(path)
    except NotRegular as exc:
        problems.append(Problem(str(path), str(exc.strerror), "import.not_regular"))
    except OSError:
        problems.append(Problem(str(path), "no such file", "import.missing"))
    return None


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    data = _read(path, problems)
    if data is None:
        return None
    text, found = decode_text(data, str(path), require_lf=False)
    problems.extend(found)
    return text


def _target_problems(raw: Path, folder: Path) -> list[Problem]:
    """Why ``folder`` must not receive an import: a link, outside ``raw``, or no text.txt."""
    found = corpus.check_folder(raw, folder)
    if found:
        return found
    target = folder / corpus.ANNOTATIONS
    if target.is_symlink():
        return [Problem(str(target), "is a symbolic link; links may escape the corpus, so nothing is written through it", "import.symlink")]
    if not (folder / corpus.TEXT).is_file() or (folder / corpus.TEXT).is_symlink():
        return [Problem(str(folder), f"is not a document folder (no {corpus.TEXT})", "import.not_a_document")]
    return []


def _validated(folder: Path, annotations: dict[str, Any]) -> tuple[bytes, list[Problem]]:
    """The canonical bytes of ``annotations`` and the problems of the document holding them.

    The document is validated as it would be with the new file in place (the validator reads
    only the folder's named files, never a copy of it), so an import never leaves a document
    worse than it found it: an invalid result is reported and nothing is written.
    """
    data = jsonio.canonical_dumps(annotations, schema.ANNOTATIONS).encode("utf-8")
    document, problems = load_document(folder, replacing={corpus.ANNOTATIONS: data})
    if document is not None:
        # The checks `validate` adds after loading (NER alignment, lint), so an import reports the
        # same warnings `validate` would print right after it.
        problems.extend(configs.check_rows(document, tokenize(document.text)))
        problems.extend(lint_document(document, f"{document.origin}/{corpus.ANNOTATIONS}"))
    if has_errors(problems):
        message = "not written: the imported annotations do not validate; the file is unchanged"
        problems.append(Problem(str(folder / corpus.ANNOTATIONS), message, "import.not_written"))
    return data, problems


def _write_all(converted: list[tuple[Path, dict[str, Any]]], result: Imported) -> None:
    """Validate every converted document, then write them all -- or none when any is invalid."""
    ready: list[tuple[Path, bytes]] = []
    for folder, ann in converted:
        data, found = _validated(folder, ann)
        result.problems.extend(found)
        ready.append((folder / corpus.ANNOTATIONS, data))
    if has_errors(result.problems):
        return
    for target, data in ready:
        write_atomic(target, data)
        result.written.append(target)


def import_brat(folder: Path, ann: Path, txt: Path | None = None, *, raw: Path | None = None) -> Imported:
    """Import a brat ``.ann`` (and its ``.txt``, default: ``ann`` with ``.txt``) into ``folder``.

    ``raw`` is the corpus the folder belongs to (default: its parent); a folder that is a link,
    or lies outside it, is refused.
    """
    from newsanno.convert import brat

    result = Imported(documents=1)
    result.problems = _target_problems(folder.parent if raw is None else raw, folder)
    if result.problems:
        return result
    txt = txt or ann.with_suffix(".txt")
    ann_text, txt_text = _read_text(ann, result.problems), _read_text(txt, result.problems)
    text = _read_text(folder / corpus.TEXT, result.problems)
    if ann_text is None or txt_text is None or text is None:
        return result
    if txt_text != text:
        message = f"differs from {folder / corpus.TEXT}: offsets would point at other text"
        result.problems.append(Problem(str(txt), message, "import.text_mismatch"))
        return result
    annotations, found = brat.import_ann(ann_text, text, folder.name, str(ann))
    result.problems.extend(found)
    if annotations is not None and not has_errors(found):
        _write_all([(folder, annotations)], result)
    return result


def _read_json(path: Path, problems: list[Problem]) -> Any:
    data = _read(path, problems)
    if data is None:
        return None
    value, found = parse_json(data, str(path))
    problems.extend(found)
    return value


def _texts(folders: list[Path]) -> dict[Path, str | None]:
    """Each document's text (None when text.txt is missing or not UTF-8)."""
    texts: dict[Path, str | None] = {}
    for folder in folders:
        data = read_regular(folder / corpus.TEXT)  # a link or a pipe is no text: the folder is then refused
        try:
            texts[folder] = data.decode("utf-8") if data is not None else None
        except UnicodeDecodeError:
            texts[folder] = None
    return texts


def _match(task: Any, index: int, export: Path, raw: Path, texts: dict[Path, str | None]) -> tuple[Path | None, list[Problem]]:
    """The document folder a task belongs to, and why there is none or its text differs."""
    shown = f"{export}#{index}"
    data = task.get("data") if isinstance(task, dict) else None
    doc_id = data.get("document_id") if isinstance(data, dict) else None
    task_text = data.get("text") if isinstance(data, dict) else None
    if isinstance(doc_id, str):
        matches = [f for f in texts if f.name == doc_id]
    else:
        matches = [f for f, text in texts.items() if text is not None and text == task_text]
    if len(matches) != 1:
        why = "no document" if not matches else "several documents"
        return None, [Problem(shown, f"{why} in {raw} with this task's data.document_id or data.text", "labelstudio.no_document")]
    folder = matches[0]
    if isinstance(task_text, str) and task_text != texts[folder]:
        message = f"data.text differs from {folder / corpus.TEXT}: the offsets would point at other text"
        return None, [Problem(shown, message, "import.text_mismatch")]
    return folder, []


def import_labelstudio(export: Path, config_path: Path, raw: Path) -> Imported:
    """Import a Label Studio JSON export (a list of tasks) into the documents of ``raw``.

    ``config_path`` is the label mapping config.  Every task must belong to exactly one
    document (by ``data.document_id``, or else by ``data.text``), carry that document's text,
    and be the only task of its document; every task must convert and validate, or nothing is
    written.
    """
    from newsanno.convert import labelstudio, labelstudio_tasks

    result = Imported()
    config = _read_json(config_path, result.problems)
    tasks = _read_json(export, result.problems)
    if config is not None:
        result.problems.extend(labelstudio.config_problems(config, str(config_path)))
    if tasks is not None and not isinstance(tasks, list):
        result.problems.append(Problem(str(export), "a Label Studio export must be a JSON list of tasks", "labelstudio.shape"))
    elif tasks is not None and (refused := labelstudio_tasks.export_problem(tasks, str(export))) is not None:
        result.problems.append(refused)
    if has_errors(result.problems):
        return result
    folders, result.problems = corpus.discover(raw)
    texts = _texts(folders)
    result.documents = len(tasks)
    first_task: dict[Path, int] = {}
    converted: list[tuple[Path, dict[str, Any]]] = []
    for index, task in enumerate(tasks):
        shown = f"{export}#{index}"
        folder, found = _match(task, index, export, raw, texts)
        result.problems.extend(found)
        if folder is None:
            continue
        if folder in first_task:
            message = f"a second task for document {folder.name!r} (the first is {export}#{first_task[folder]}); one task per document"
            result.problems.append(Problem(shown, message, "labelstudio.duplicate_document"))
            continue
        first_task[folder] = index
        refused = _target_problems(raw, folder)
        result.problems.extend(refused)
        annotations, found = labelstudio.import_task(task, config, folder.name, shown)
        result.problems.extend(found)
        if annotations is not None and not refused:
            converted.append((folder, annotations))
    # All tasks convert, or nothing is written: a half-imported export is hard to reason about.
    if not has_errors(result.problems):
        _write_all(converted, result)
    return result
