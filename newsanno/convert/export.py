"""Exporting validated documents for annotation tools and trainers: brat, Label Studio, spaCy DocBin, CoNLL.

:func:`export_documents` reads and validates the chosen documents, converts them with the
pure converters of :mod:`newsanno.convert`, checks that the output path may be written
(:mod:`newsanno.guard`), and writes every file atomically -- or, on any error, nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsanno import corpus, guard
from newsanno.atomic import write_atomic
from newsanno.model import Document
from newsanno.problems import Problem, has_errors
from newsanno.validate import load_document

FORMATS = ("brat", "labelstudio", "spacy", "conll")


def _is_docbin(path: Path) -> bool:
    from spacy.tokens import DocBin

    try:
        DocBin().from_bytes(path.read_bytes())
    except Exception:  # any decoding failure means: not a DocBin this command wrote
        return False
    return True


# What each format writes, and how an earlier output of it is recognised.
OUTPUTS = {
    "brat": guard.Output("brat folder", folder=True, marker=guard.has_file("annotation.conf")),
    "labelstudio": guard.Output("Label Studio folder", folder=True, marker=guard.has_file("labeling-config.xml")),
    "spacy": guard.Output("spaCy DocBin file", folder=False, marker=_is_docbin),
    "conll": guard.Output("CoNLL file", folder=False, marker=guard.starts_with(b"-DOCSTART-")),
}


@dataclass
class Exported:
    """What an export did: its problems, the documents it exported and the files it wrote."""

    problems: list[Problem] = field(default_factory=list)
    documents: int = 0
    checked: int = 0
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def _ner_rows(documents: list[Document], problems: list[Problem]) -> list[list[dict[str, Any]]]:
    from newsanno.rows import ner_rows
    from newsanno.tokens import tokenize

    out = []
    for doc in documents:
        rows, found = ner_rows(doc, tokenize(doc.text))
        problems.extend(found)
        out.append(rows)
    return out


def _brat_files(documents: list[Document], out: Path, problems: list[Problem]) -> dict[Path, bytes]:
    from newsanno.convert import brat

    files: dict[Path, bytes] = {}
    for doc in documents:
        shown = f"{doc.origin}/{corpus.ANNOTATIONS}"
        ann, lost = brat.export_ann(doc.annotations)  # type: ignore[arg-type]
        problems.extend(replace(p, file=shown) for p in lost)
        files[out / f"{doc.id}.txt"] = doc.text.encode("utf-8")
        files[out / f"{doc.id}.ann"] = ann.encode("utf-8")
    files[out / "annotation.conf"] = brat.annotation_conf().encode("utf-8")
    return files


def _files(fmt: str, raw: Path, documents: list[Document], out: Path, problems: list[Problem]) -> dict[Path, bytes]:
    if fmt == "brat":
        return _brat_files(documents, out, problems)
    if fmt == "labelstudio":
        from newsanno.convert.labelstudio_project import project_files

        return project_files(raw, documents, out, problems)
    rows = _ner_rows(documents, problems)
    if fmt == "spacy":
        from newsanno.convert import spacy_docbin

        return {out: spacy_docbin.docbin_bytes(rows)}
    from newsanno.convert import conll

    return {out: conll.conll_text(rows).encode("utf-8")}


def export_documents(
    raw: Path, fmt: str, out: Path, *, paths: Sequence[Path] = (), split: str | None = None, force: bool = False
) -> Exported:
    """Export the valid documents of ``raw`` (all, or ``paths``; only ``split`` if given) as ``fmt`` into ``out``."""
    result = Exported(problems=guard.output_problems(out, OUTPUTS[fmt], [raw], force=force))
    if result.problems:
        return result
    folders, result.problems = corpus.select(raw, paths)
    result.checked = len(folders)
    documents: list[Document] = []
    for folder in folders:
        doc, found = load_document(folder)
        result.problems.extend(found)
        if doc is not None and not has_errors(found) and (split is None or doc.split == split):
            documents.append(doc)
    if has_errors(result.problems):
        return result
    files = _files(fmt, raw, documents, out, result.problems)
    if has_errors(result.problems):
        return result
    if OUTPUTS[fmt].folder and out.exists() and not out.is_dir():
        out.unlink()  # --force replaced a file with the folder this format writes
    for path, data in files.items():
        write_atomic(path, data)
    result.documents, result.written = len(documents), sorted(files)
    return result
