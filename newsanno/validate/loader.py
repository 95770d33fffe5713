"""The document loader: one raw document folder, read and checked into the document model.

It reads the four files (:mod:`~newsanno.validate.reading`), checks the text's form, runs
each JSON file through parse, schema, semantic rules, location and the canonical-form rule,
and checks document.json against its folder and the files' hashes.  A folder yields a
:class:`~newsanno.model.Document` only when it has no errors.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, cast

from newsanno import corpus, jsonio, schema
from newsanno.model import Annotations, Document, DocumentMeta
from newsanno.problems import Problem, has_errors
from newsanno.validate.annotations import annotation_problems
from newsanno.validate.canonical import canonical_problems
from newsanno.validate.derive import derivation_problems
from newsanno.validate.locate import locate
from newsanno.validate.metadata import metadata_problems
from newsanno.validate.parse import parse_json_exact
from newsanno.validate.reading import DEFAULT_LIMITS, Limits, decode_text, line_col, read_bytes, shown_paths
from newsanno.validate.schemacheck import invalid_items, schema_problems
from newsanno.validate.visible import text_character_problems, value_problems


def load_document(
    folder: Path, limits: Limits = DEFAULT_LIMITS, *, replacing: Mapping[str, bytes] | None = None
) -> tuple[Document | None, list[Problem]]:
    """Read and check one document folder; the Document is returned only when error-free.

    ``replacing`` ({file name: bytes}) checks the folder as it would be with those files
    written: a command that creates corpus files (accept, import, fix-offsets, format) asks
    this before it writes, reading only the four named files (never a copy of the folder).
    """
    problems: list[Problem] = []
    origin, shown = shown_paths(folder)
    data: dict[str, bytes | None] = {}
    replacing = replacing or {}
    for name in corpus.FILES:
        if name in replacing:
            data[name] = replacing[name]
            continue
        data[name], found = read_bytes(folder / name, limits)
        problems.extend(found)

    text: str | None = None
    if data[corpus.TEXT] is not None:
        text, found = decode_text(cast(bytes, data[corpus.TEXT]), shown[corpus.TEXT])
        problems.extend(found)
        if text is not None and not found:
            problems.extend(text_problems(text, shown[corpus.TEXT]))

    meta: Any = None
    if data[corpus.DOCUMENT] is not None:
        meta, found = check_json_file(
            cast(bytes, data[corpus.DOCUMENT]),
            shown[corpus.DOCUMENT],
            schema.DOCUMENT,
            limits,
            lambda m, _skip: meta_problems(m, folder.name, data, shown[corpus.DOCUMENT]),
        )
        problems.extend(found)
        if meta is not None and not has_errors(found):
            # text.txt and the header fields are derived from source.txt: re-derive, never trust.
            problems.extend(derivation_problems(data[corpus.SOURCE], data[corpus.TEXT], meta, shown))

    ann: Any = None
    if data[corpus.ANNOTATIONS] is not None:
        where = shown[corpus.ANNOTATIONS]

        def semantic(value: Any, skip: set[str]) -> list[Problem]:
            found = []
            if isinstance(value["document_id"], str) and value["document_id"] != folder.name:
                message = f"document_id {value['document_id']!r} differs from the folder name {folder.name!r}"
                found.append(Problem(where, message, "ref.document_id", pointer="/document_id"))
            if text is not None:
                found.extend(annotation_problems(value, text, where, skip, detail=limits.detail))
            return found

        ann, found = check_json_file(cast(bytes, data[corpus.ANNOTATIONS]), where, schema.ANNOTATIONS, limits, semantic, per_item=True)
        problems.extend(found)

    if has_errors(problems) or text is None:
        return None, problems
    return Document(meta=cast(DocumentMeta, meta), text=text, annotations=cast(Annotations, ann), origin=origin), problems


def check_json_file(
    raw: bytes,
    shown: str,
    schema_name: str,
    limits: Limits,
    semantic: Callable[[Any, set[str]], list[Problem]],
    *,
    per_item: bool = False,
) -> tuple[Any, list[Problem]]:
    """Parse, schema-check, then apply the semantic rules to what has the right shape.

    With ``per_item`` the semantic rules still run when some annotations fail the schema,
    skipping just those (see :func:`~newsanno.validate.schemacheck.invalid_items`).
    """
    value, found, exact = parse_json_exact(raw, shown, limits)
    if value is None:
        return None, found
    # The compiled schema validator cannot judge floats, and without them exact bytes are canonical
    # exactly when their keys are in schema order: one walk for both.
    has_float = jsonio.has_float(value)
    crlf = raw.find(b"\r")
    if crlf != -1:
        line, col = line_col(raw.decode("utf-8"), len(raw[:crlf].decode("utf-8", errors="replace")))
        found.append(
            Problem(
                shown,
                "carriage return found; line ends must be LF",
                "encoding.crlf",
                line=line,
                column=col,
                hint=f"run: newsanno format {shown}",
            )
        )
    schema_found = schema_problems(value, schema_name, shown, has_float=has_float)
    found += schema_found
    if not schema_found:
        found += semantic(value, set())
    elif per_item:
        skip = invalid_items(schema_found)
        if skip is not None:
            found += semantic(value, skip)
    found = locate(found, raw, limits.detail)
    if not has_errors(found):
        found += canonical_problems(raw, value, schema_name, shown, exact=exact, has_float=has_float)
    return value, found


def text_problems(text: str, shown: str) -> list[Problem]:
    """The canonical text's form: NFC, paragraphs split by one blank line, one final LF."""
    problems = []
    if not unicodedata.is_normalized("NFC", text):
        problems.append(Problem(shown, "text is not in Unicode NFC", "text.nfc", hint="normalize the text to NFC"))
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append(Problem(shown, "text must end with exactly one line feed", "text.final_newline"))
    problems.extend(text_character_problems(text, shown))
    run = text.find("\n\n\n")
    if run != -1:
        line, _ = line_col(text, run)
        problems.append(Problem(shown, "more than one blank line between paragraphs", "text.blank_lines", line=line + 1, column=1))
    return problems


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data`` in hex, as document.json records the files' hashes."""
    return hashlib.sha256(data).hexdigest()


def meta_problems(meta: dict[str, Any], folder_name: str, data: dict[str, bytes | None], where: str) -> list[Problem]:
    """document.json against its folder: the id is the folder's name, the hashes are the files'."""
    problems = []
    problems.extend(value_problems(meta, where))
    problems.extend(metadata_problems(meta, where))
    if meta["id"] != folder_name:
        problems.append(Problem(where, f"id {meta['id']!r} differs from the folder name {folder_name!r}", "ref.document_id", pointer="/id"))
    for name, field in ((corpus.SOURCE, "source_sha256"), (corpus.TEXT, "text_sha256")):
        content = data[name]
        if content is not None and sha256_hex(content) != meta[field]:
            consequence = "offsets would silently drift" if name == corpus.TEXT else "the source is not the one recorded"
            problems.append(
                Problem(
                    where,
                    f"{field} does not match {name} (file hashes to {sha256_hex(content)}); {consequence}",
                    "hash.mismatch",
                    pointer=f"/{field}",
                    hint=f"if {name} was changed on purpose, re-check every offset and update {field}",
                )
            )
    return problems


def problems_added(folder: Path, replacing: Mapping[str, bytes], limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """The errors the validator would report on ``folder`` with ``replacing`` written that it does not report now.

    A repairing command (fix-offsets, format) may leave a document with the faults it could
    not mend, but must never write one that validate rejects for a new reason: it writes only
    when this is empty.  An error is the same one when its file, code and pointer agree.
    """
    _, before = load_document(folder, limits)
    _, after = load_document(folder, limits, replacing=replacing)
    known = {(p.file, p.code, p.pointer) for p in before if p.severity == "error"}
    return [p for p in after if p.severity == "error" and (p.file, p.code, p.pointer) not in known]
