"""Validation of raw document folders into the document model: the package's public API.

Nothing here raises on bad input or prints: every check returns
:class:`~newsanno.problems.Problem` values.  The work is split by responsibility:

- :mod:`~newsanno.validate.reading`: resource limits, raw bytes, strict UTF-8, shown paths;
- :mod:`~newsanno.validate.parse`: strict JSON parsing (and its exact-bytes fast path);
- :mod:`~newsanno.validate.schemacheck`: the schema rule and its messages;
- :mod:`~newsanno.validate.canonical`: the canonical-form rule;
- :mod:`~newsanno.validate.locate` and :mod:`~newsanno.validate.pointers`: where a problem is;
- :mod:`~newsanno.validate.rule`, :mod:`~newsanno.validate.spans`,
  :mod:`~newsanno.validate.references`, :mod:`~newsanno.validate.annotations`: the semantic
  rules of annotations.json, each a cheap clean-check paired with its explaining check;
- :mod:`~newsanno.validate.loader`: one document folder, read and checked.

Other modules import only the names below.
"""

from __future__ import annotations

from newsanno.validate.annotations import RULES, annotation_problems
from newsanno.validate.canonical import in_order
from newsanno.validate.loader import check_json_file, load_document, problems_added, sha256_hex, text_problems
from newsanno.validate.locate import locate_all
from newsanno.validate.parse import MAX_DIGITS, parse_json, parse_json_exact, read_json_file
from newsanno.validate.pointers import escape, pointer
from newsanno.validate.reading import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_DEPTH,
    DEFAULT_MAX_FILE_BYTES,
    Limits,
    decode_text,
    line_col,
    read_bytes,
    shown_paths,
)
from newsanno.validate.rule import Rule, Scope
from newsanno.validate.schemacheck import invalid_items, problems_against, schema_problems
from newsanno.validate.spans import grapheme_boundaries, span_problems

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_FILE_BYTES",
    "MAX_DIGITS",
    "RULES",
    "Limits",
    "Rule",
    "Scope",
    "annotation_problems",
    "check_json_file",
    "decode_text",
    "escape",
    "grapheme_boundaries",
    "in_order",
    "invalid_items",
    "line_col",
    "load_document",
    "locate_all",
    "parse_json",
    "parse_json_exact",
    "pointer",
    "problems_added",
    "problems_against",
    "read_bytes",
    "read_json_file",
    "schema_problems",
    "sha256_hex",
    "shown_paths",
    "span_problems",
    "text_problems",
]
