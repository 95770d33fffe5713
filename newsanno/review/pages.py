"""Writing the HTML review pages of a corpus: the work of ``newsanno render``.

:func:`render_pages` reads and validates the chosen documents (and, per document, its
adjudication record and, when asked, its suggestions), checks that the output folder may be
written (:mod:`newsanno.guard`), and writes one page per document plus ``index.html``
atomically -- or, on any error, nothing.  The pages themselves are :mod:`newsanno.review.render`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsanno import corpus, guard, schema
from newsanno.atomic import write_atomic
from newsanno.model import Document
from newsanno.problems import Problem, has_errors
from newsanno.review import render
from newsanno.validate import DEFAULT_LIMITS, Limits, annotation_problems, load_document
from newsanno.validate.annotators import ADJUDICATION_SCHEMA, read_json

# A folder render wrote before holds its index page; anything else is not replaced without --force.
PAGES = guard.Output("review folder", folder=True, marker=guard.has_file("index.html"))


@dataclass
class Rendered:
    """What a render did: its problems and the pages it wrote."""

    problems: list[Problem] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def _select(raw: Path, doc_ids: Sequence[str]) -> tuple[list[Path], list[Problem]]:
    folders, problems = corpus.discover(raw)
    if not doc_ids:
        return folders, problems
    by_name = {f.name: f for f in folders}
    missing = [Problem(str(raw / d), "no such document in the raw corpus", "layout.missing_document") for d in doc_ids if d not in by_name]
    return [by_name[d] for d in doc_ids if d in by_name], problems + missing


def _extras(doc: Document, folder: Path, limits: Limits, suggestions: bool) -> tuple[dict[str, Any], list[Problem]]:
    """The adjudication record and (if asked) the suggestions shown on a document's page."""
    from newsanno.contribute.accept import read_suggestions

    extras: dict[str, Any] = {"adjudication": None, "suggestions": None}
    problems: list[Problem] = []
    if (folder / corpus.ADJUDICATION).exists():
        extras["adjudication"], problems = read_json(folder / corpus.ADJUDICATION, ADJUDICATION_SCHEMA, limits)
    if suggestions:
        extras["suggestions"], found = read_suggestions(doc, folder)
        problems += found
    return extras, problems


def render_pages(
    raw: Path,
    out: Path,
    *,
    doc_ids: Sequence[str] = (),
    diff: Path | None = None,
    suggestions: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    force: bool = False,
) -> Rendered:
    """Write the review pages of ``raw`` (all documents, or ``doc_ids``) into ``out``.

    ``diff`` (with exactly one document) also writes that document against a second
    annotations file; ``suggestions`` shows each document's suggestions.json.
    """
    result = Rendered(guard.output_problems(out, PAGES, [raw], force=force))
    if result.problems:
        return result
    folders, result.problems = _select(raw, doc_ids)
    pages: list[tuple[Document, dict[str, Any]]] = []
    for folder in folders:
        doc, found = load_document(folder, limits)
        result.problems += found
        if doc is not None:
            extras, found = _extras(doc, folder, limits, suggestions)
            result.problems += found
            pages.append((doc, extras))
    other = None
    if diff is not None:
        other, found = read_json(diff, schema.ANNOTATIONS, limits)
        result.problems += [p for p in found if p.severity == "error"]
        if other is not None and pages and other["document_id"] != pages[0][0].id:
            message = f"annotates {other['document_id']!r}, not {pages[0][0].id!r}"
            result.problems.append(Problem(str(diff), message, "agreement.different_documents"))
        elif other is not None and pages:
            # Compared against the document, so it must hold against the document's text.
            result.problems += annotation_problems(other, pages[0][0].text, str(diff))
    if has_errors(result.problems):
        return result
    files = {out / f"{doc.id}.html": render.render_document(doc, **extras) for doc, extras in pages}
    if other is not None:
        files[out / f"{pages[0][0].id}.diff.html"] = render.render_diff(pages[0][0], other)
    index = [(d.id, d.meta["title"], {k: len(d.annotations[k]) for k in schema.LAYERS}) for d, _ in pages]  # type: ignore[literal-required]
    files[out / "index.html"] = render.render_index(index)
    if out.exists() and not out.is_dir():
        out.unlink()  # --force replaced a file with the review folder
    for path, page in files.items():
        write_atomic(path, page.encode("utf-8"))
    result.written = sorted(files)
    return result
