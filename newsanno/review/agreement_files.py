"""Reading two annotation files of one document for ``agreement``, checked against its text first.

Figures over annotations that do not validate are meaningless (a reversed span or a dangling
speaker would be scored as if it were an annotation), so both files go through the schema and
the semantic rules against the document's ``text.txt`` before anything is compared; problems
are returned as values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsanno import corpus
from newsanno.problems import Problem, has_errors
from newsanno.validate import DEFAULT_LIMITS, Limits, annotation_problems, decode_text, read_bytes
from newsanno.validate.annotators import read_json


@dataclass
class Pair:
    """Two annotations of one document and its text, or the problems that stop the comparison."""

    a: Any = None
    b: Any = None
    text: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems) and self.a is not None and self.b is not None and self.text is not None


def text_path(a_path: Path, document_id: str, given: Path | None, raw: Path = Path("raw")) -> Path:
    """Where the document's text is: ``given``, else the text.txt beside A, else raw/<id>/text.txt."""
    if given is not None:
        return given
    beside = a_path.parent / corpus.TEXT
    return beside if beside.is_file() else raw / document_id / corpus.TEXT


def read_pair(a_path: Path, b_path: Path, *, text: Path | None = None, limits: Limits = DEFAULT_LIMITS) -> Pair:
    """Both files parsed, schema-checked and checked against the document's text (see :func:`text_path`)."""
    pair = Pair()
    pair.a, found_a = read_json(a_path, "annotations", limits)
    pair.b, found_b = read_json(b_path, "annotations", limits)
    # Canonical form is not agreement's business: keep errors only.
    pair.problems = [p for p in found_a + found_b if p.severity == "error"]
    if pair.a is None or pair.b is None:
        return pair
    if pair.a["document_id"] != pair.b["document_id"]:
        message = f"annotates document {pair.b['document_id']!r} but {a_path} annotates {pair.a['document_id']!r}"
        pair.problems.append(Problem(str(b_path), message, "agreement.different_documents", pointer="/document_id"))
        return pair
    where = text_path(a_path, pair.a["document_id"], text)
    data, found = read_bytes(where, limits)
    if data is None:
        hint = "agreement checks both files against the document's text first; give --text PATH"
        pair.problems += [Problem(p.file, p.message, p.code, hint=hint) for p in found]
        return pair
    pair.text, found = decode_text(data, str(where))
    pair.problems += found
    if pair.text is not None:
        for path, value in ((a_path, pair.a), (b_path, pair.b)):
            pair.problems += annotation_problems(value, pair.text, str(path))
    return pair
