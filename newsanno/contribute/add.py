"""Adding a received article to the raw corpus: ``raw/<id>/`` with its four files, or nothing.

:func:`add_document` owns the whole step from a source file to a document folder ready to
annotate: it reads the source defensively, derives the text and header fields with the
source profile, proposes an id, and writes the folder all at once (built beside ``raw/``
and renamed into place), so that any problem leaves ``raw/`` exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsanno import corpus, jsonio, schema
from newsanno.corpus import profiles, splits
from newsanno.corpus.normalize import Normalized, NormalizeError, normalize
from newsanno.corpus.profiles import Profile
from newsanno.problems import Problem, has_errors
from newsanno.validate import DEFAULT_MAX_FILE_BYTES, decode_text, load_document

# Only used to propose an id's title words (--id overrides the proposal): function words
# carry no topic, so "Zelensky confirms planned purge of ..." gives "zelensky-purge".
_STOP_TEXT = (
    "a an and are as at be but by for from has have in into is it its of on "
    "or over than that the their this to under up was were will with after before new says amid"
)
_STOP_WORDS = frozenset(_STOP_TEXT.split())
_TITLE_WORDS = 2


@dataclass(frozen=True, slots=True)
class Added:
    """What :func:`add_document` did: the folder it wrote, or the problems that stopped it."""

    folder: Path | None
    doc_id: str | None
    problems: list[Problem] = field(default_factory=list)


def _slug_words(title: str) -> list[str]:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    return re.findall(r"[a-z0-9]+", re.sub(r"['\u2019]", "", ascii_title))


def _is_verb_like(word: str) -> bool:
    """Headline verbs are mostly third person or participles: "confirms", "planned", "ending"."""
    return word.endswith(("ed", "ing")) or (word.endswith("s") and not word.endswith(("ss", "is", "us")))


def propose_id(profile: str, published: str, title: str) -> str:
    """``<profile>-<YYYY-MM-DD>-<words>``: the first two title words that are neither function words nor verb-like.

    If the title has fewer such words, the first other non-function words fill in.
    """
    words = [w for w in _slug_words(title) if w not in _STOP_WORDS and len(w) > 1]
    chosen = [w for w in words if not _is_verb_like(w)][:_TITLE_WORDS]
    chosen += [w for w in words if w not in chosen][: _TITLE_WORDS - len(chosen)]
    chosen = sorted(chosen, key=words.index)  # keep the title's word order
    max_length = schema.load(schema.DOCUMENT)["properties"]["id"]["maxLength"]
    return "-".join([profile, published, *chosen])[:max_length].rstrip("-")


def id_problems(raw: Path, doc_id: str) -> list[Problem]:
    """Why ``doc_id`` cannot be a new folder of ``raw`` (empty when it can)."""
    shown = corpus.display(raw)
    if doc_id in ("", ".", "..") or any(c in doc_id for c in "/\\\0") or doc_id.startswith("."):
        return [Problem(shown, f"id {doc_id!r} would escape {shown}/: an id is one folder name", "add.id_escapes")]
    spec = schema.load(schema.DOCUMENT)["properties"]["id"]
    if not re.fullmatch(spec["pattern"], doc_id) or len(doc_id) > spec["maxLength"]:
        return [
            Problem(
                shown,
                f"id {doc_id!r} is not a lower-case slug of at most {spec['maxLength']} characters ({spec['pattern']})",
                "add.bad_id",
                hint="use lower-case letters, digits and hyphens",
            )
        ]
    target = raw / doc_id
    if target.exists() or target.is_symlink():
        return [Problem(corpus.display(target), f"document {doc_id!r} already exists; an added article needs a new id", "add.exists")]
    return []


def read_source(path: Path, max_file_bytes: int) -> tuple[str | None, bytes | None, list[Problem]]:
    """The source's text and bytes, or the one problem that makes it unusable as an article."""
    shown = corpus.display(path)

    def bad(message: str, code: str, **where: Any) -> tuple[None, None, list[Problem]]:
        return None, None, [Problem(shown, message, code, **where)]

    if not path.is_file():
        return bad("no such file" if not path.exists() else "not a regular file", "add.missing")
    size = path.stat().st_size
    if size > max_file_bytes:
        return bad(f"file is {size} bytes, more than --max-file-bytes {max_file_bytes}", "add.too_large")
    with path.open("rb") as f:
        data = f.read(max_file_bytes + 1)  # the file may grow after stat(): never read more than the limit
    if len(data) > max_file_bytes:
        return bad(f"file is more than --max-file-bytes {max_file_bytes} bytes", "add.too_large")
    if not data.strip():
        return bad("file is empty (nothing but whitespace)" if data else "file is empty", "add.empty")
    if b"\0" in data:
        line = data.count(b"\n", 0, data.index(b"\0")) + 1
        return bad("file holds NUL bytes: a binary file, not an article as text", "add.binary", line=line)
    text, problems = decode_text(data, shown, require_lf=False)
    if text is None:
        return None, None, problems
    return text, data, []


def _published(norm: Normalized, given: str | None, profile: Profile, shown: str) -> tuple[str | None, dict[str, Any], list[Problem]]:
    """The published date and its override: from the source, or from --published when the source prints no full date."""
    if given is not None:
        try:
            given = dt.date.fromisoformat(given).isoformat()
        except ValueError:
            return None, {}, [Problem(shown, f"--published {given!r} is not a date YYYY-MM-DD", "add.published")]
    if norm.published is not None:
        if given is not None and given != norm.published:
            return None, {}, [Problem(shown, f"--published {given} differs from {norm.published} printed in the source", "add.published")]
        return norm.published, {}, []
    if given is None:
        return (
            None,
            {},
            [
                Problem(
                    shown, f"the source prints no full date (profile {profile.name}); give it with --published YYYY-MM-DD", "add.published"
                )
            ],
        )
    if norm.dateline is not None and (int(given[5:7]), int(given[8:10])) != norm.dateline:
        return (
            None,
            {},
            [Problem(shown, f"--published {given} disagrees with the dateline's month and day {norm.dateline}", "add.published")],
        )
    reason = f"the source prints no full date (profile {profile.name}); given with newsanno add --published"
    return given, {"published": {"value": given, "reason": reason}}, []


def document_meta(
    doc_id: str, norm: Normalized, published: str, profile: Profile, publisher: str, split: str, data: bytes
) -> dict[str, Any]:
    """The document.json of a new article (before its overrides); ``profile`` is left out when it is the default."""
    meta: dict[str, Any] = {
        "id": doc_id,
        "title": norm.title,
        "author": norm.author,
        "published": published,
        "publisher": publisher,
        "language": profile.language,
        "source_url": norm.source_url,
        "split": split,
        "source_sha256": hashlib.sha256(data).hexdigest(),
        "text_sha256": hashlib.sha256(norm.text.encode("utf-8")).hexdigest(),
        "rights": profile.rights(published, norm.title, norm.source_url),
    }
    if profile.name != profiles.DEFAULT_PROFILE:
        meta["profile"] = profile.name
    return meta


def empty_annotations(doc_id: str) -> dict[str, Any]:
    """An annotations.json with every list empty."""
    return {"document_id": doc_id, **{name: [] for name in schema.load(schema.ANNOTATIONS)["required"] if name != "document_id"}}


def _write_folder(raw: Path, doc_id: str, files: dict[str, bytes]) -> tuple[Path | None, list[Problem]]:
    """Write ``files`` into a fresh folder beside ``raw``, check it with the validator, and rename it to ``raw/<doc_id>``.

    The staged folder is ``<temp>/<doc_id>`` so the validator sees the folder name the
    document will have; any error it reports stops the rename, so ``raw/`` never holds a
    folder that ``newsanno validate`` would refuse.
    """
    temp = raw.parent / f".{raw.name}-add-{doc_id}-{secrets.token_hex(4)}"
    temp.mkdir()  # honours the umask, unlike tempfile.mkdtemp's 0700
    try:
        staged = temp / doc_id
        staged.mkdir()
        for name, content in files.items():
            (staged / name).write_bytes(content)
        _, problems = load_document(staged)
        if has_errors(problems):
            return None, problems
        target = raw / doc_id
        if target.exists() or target.is_symlink():  # appeared since the check: never replace it
            raise FileExistsError(target)
        os.rename(staged, target)
        return target, []
    finally:
        if temp.exists():
            shutil.rmtree(temp)


def add_document(
    source: Path,
    raw: Path,
    *,
    doc_id: str | None = None,
    split: str | None = None,
    profile: str = profiles.DEFAULT_PROFILE,
    published: str | None = None,
    publisher: str | None = None,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> Added:
    """Create ``raw/<id>/`` from the article ``source`` under ``profile``; on any problem write nothing.

    ``split`` None takes the split from the id (:func:`newsanno.corpus.splits.split_of_id`).
    ``published`` (YYYY-MM-DD) is only for sources that print no full date; it is recorded
    as an override.  ``publisher`` replaces the profile's publisher (required when it has none).
    """
    try:
        prof = profiles.load(profile)
    except profiles.ProfileError as exc:
        return Added(None, None, [Problem(corpus.display(source), str(exc), "add.profile")])
    if not raw.is_dir():
        return Added(None, None, [Problem(corpus.display(raw), "raw corpus folder does not exist", "add.missing_root")])
    if split is not None and split not in schema.SPLITS:
        return Added(
            None, None, [Problem(corpus.display(source), f"split {split!r} is not one of {', '.join(schema.SPLITS)}", "add.split")]
        )
    text, data, problems = read_source(source, max_file_bytes)
    if text is None or data is None:
        return Added(None, None, problems)
    shown = corpus.display(source)
    try:
        norm = normalize(text, prof)
    except NormalizeError as exc:
        return Added(None, None, [Problem(shown, str(exc).removeprefix(f"line {exc.line}: "), "add.layout", line=exc.line)])
    date, overrides, problems = _published(norm, published, prof, shown)
    if date is None:
        return Added(None, None, problems)
    if (publisher or prof.publisher) is None:
        return Added(
            None, None, [Problem(shown, f"profile {prof.name} names no publisher; give it with --publisher NAME", "add.publisher")]
        )
    doc_id = doc_id if doc_id is not None else propose_id(prof.name, date, norm.title)
    problems = id_problems(raw, doc_id)
    if problems:
        return Added(None, doc_id, problems)
    split = split if split is not None else splits.split_of_id(doc_id)
    meta = document_meta(doc_id, norm, date, prof, publisher or prof.publisher or "", split, data)
    if overrides:
        meta["overrides"] = overrides
    invalid = [e.message for e in schema.validator(schema.DOCUMENT).iter_errors(meta)]
    if invalid:
        return Added(None, doc_id, [Problem(shown, f"the derived document.json is invalid: {invalid[0]}", "add.invalid")])
    files = {
        corpus.SOURCE: data,
        corpus.TEXT: norm.text.encode("utf-8"),
        corpus.DOCUMENT: jsonio.canonical_dumps(meta, schema.DOCUMENT).encode("utf-8"),
        corpus.ANNOTATIONS: jsonio.canonical_dumps(empty_annotations(doc_id), schema.ANNOTATIONS).encode("utf-8"),
    }
    try:
        folder, problems = _write_folder(raw, doc_id, files)
    except OSError as exc:
        return Added(None, doc_id, [Problem(corpus.display(raw / doc_id), f"cannot write the document folder: {exc}", "add.write")])
    if folder is None:
        shown_raw = corpus.display(raw)
        return Added(None, doc_id, [_as_written(p, shown_raw, doc_id) for p in problems if p.severity == "error"])
    return Added(folder, doc_id)


def _as_written(problem: Problem, raw_shown: str, doc_id: str) -> Problem:
    """A problem the validator found in the staged folder, named by the path the file would have had."""
    file = problem.file
    marker = f"/{doc_id}/"
    if marker in file:
        file = f"{raw_shown}/{doc_id}/{file.split(marker, 1)[1]}"
    return replace(problem, file=file, message=f"{problem.message} (nothing was written)")
