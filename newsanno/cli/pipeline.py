"""The per-document pipeline shared by ``build`` and ``validate``: raw folder -> checked rows.

A pure function of one folder, so it can run in any process (or on any cluster worker)
and its results can be combined in document order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsanno import corpus, rows
from newsanno.jsonio import DEFAULT_LIMITS, Limits
from newsanno.lint import lint_document
from newsanno.model import Document
from newsanno.problems import Problem, has_errors
from newsanno.tokencache import TokenCache
from newsanno.validate import load_document

_NO_CACHE = TokenCache(None)


@dataclass
class DocResult:
    """What one document contributes: its rows per config, or the problems that stop it."""

    folder: Path
    document: Document | None
    rows: dict[str, list[rows.Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.document is not None and not has_errors(self.problems)


def process(folder: Path, limits: Limits = DEFAULT_LIMITS, *, with_rows: bool = True, cache: TokenCache | None = None) -> DocResult:
    """Validate one document folder and build its rows for every config.

    Tokens come through ``cache`` when given (a hit gives the very tokens a fresh
    tokenization would), else from a fresh tokenization.
    """
    document, problems = load_document(folder, limits)
    result = DocResult(folder, document, problems=problems)
    if document is None:
        return result
    ner, ner_problems = rows.ner_rows(document, (cache or _NO_CACHE).tokenize(document.text))
    result.problems.extend(ner_problems)
    result.problems.extend(lint_document(document, f"{document.origin}/{corpus.ANNOTATIONS}"))
    if with_rows and not ner_problems:
        result.rows = {name: build(document) for name, build in rows.SPAN_BUILDERS.items()}
        result.rows["ner"] = ner
    return result
