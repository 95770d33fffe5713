"""Rewriting a corpus's JSON files (document.json, annotations.json) in the one canonical form.

:func:`format_paths` parses each file strictly and compares its bytes with the canonical
dump (keys in schema order, every field present, 2-space indent, one final line feed); it
rewrites the file atomically unless asked only to check.  Outcomes are values; the command
line prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsanno import corpus, jsonio, schema
from newsanno.atomic import write_atomic
from newsanno.problems import Problem
from newsanno.validate import parse_json

SCHEMA_OF = {corpus.DOCUMENT: schema.DOCUMENT, corpus.ANNOTATIONS: schema.ANNOTATIONS}

# Outcome statuses; the last three make ``newsanno format`` fail.
CANONICAL, REFORMATTED, WOULD_REFORMAT, NOT_A_DOCUMENT_FILE, UNPARSABLE = (
    "canonical",
    "reformatted",
    "would reformat",
    "not a document file",
    "unparsable",
)


@dataclass
class FormatOutcome:
    """What became of one file; ``problems`` say why an unparsable file could not be formatted."""

    path: Path
    status: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status in (WOULD_REFORMAT, NOT_A_DOCUMENT_FILE, UNPARSABLE)


def files_of(paths: list[Path]) -> list[Path]:
    """The JSON files the paths name: a folder stands for its document.json and annotations.json."""
    return [f for p in paths for f in ([p / name for name in SCHEMA_OF] if p.is_dir() else [p])]


def format_paths(paths: list[Path], *, check: bool = False) -> list[FormatOutcome]:
    """Format every file the paths name (see :func:`files_of`); with ``check``, write nothing."""
    outcomes = []
    for path in files_of(paths):
        name = SCHEMA_OF.get(path.name)
        if name is None:
            outcomes.append(FormatOutcome(path, NOT_A_DOCUMENT_FILE))
            continue
        data, problems = parse_json(path.read_bytes(), str(path)) if path.is_file() else (None, [])
        if data is None:
            outcomes.append(FormatOutcome(path, UNPARSABLE, problems))
            continue
        text = jsonio.canonical_dumps(data, name).encode("utf-8")
        again, refused = parse_json(text, str(path))
        if again is None or again != data:
            # A value the strict reader cannot read back (1e400 becomes Infinity) is never written.
            why = refused or [Problem(str(path), "the canonical form would not read back as the same value", "format.lossy")]
            outcomes.append(FormatOutcome(path, UNPARSABLE, why))
            continue
        if text == path.read_bytes():
            outcomes.append(FormatOutcome(path, CANONICAL))
        elif check:
            outcomes.append(FormatOutcome(path, WOULD_REFORMAT))
        else:
            write_atomic(path, text)
            outcomes.append(FormatOutcome(path, REFORMATTED))
    return outcomes
