"""The validated document model.

After validation the JSON values are exactly these shapes, so the model is typed views
(TypedDicts) over the parsed data rather than copies: rows are built from it without
re-allocating millions of small objects for a large corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NotRequired, TypedDict


class Rights(TypedDict):
    text: str
    notice: NotRequired[str]
    annotations: str


class DocumentMeta(TypedDict):
    id: str
    title: str
    author: str | None
    published: str
    publisher: str
    language: str
    source_url: str | None
    split: str
    source_sha256: str
    text_sha256: str
    rights: Rights


class Entity(TypedDict):
    id: str
    name: str
    type: str
    wikidata: str | None


class Mention(TypedDict):
    id: str
    entity_id: str
    start: int
    end: int
    text: str
    label: str
    form: str


class Cue(TypedDict):
    start: int
    end: int
    text: str


class Quote(TypedDict):
    id: str
    start: int
    end: int
    text: str
    kind: str
    speaker_mention_id: str | None
    speaker_entity_id: str | None
    cue: Cue | None


class Claim(TypedDict):
    id: str
    start: int
    end: int
    text: str
    claimant_entity_id: str | None
    claimant_mention_id: str | None
    checkworthiness: str
    quote_id: str | None


class LintException(TypedDict):
    """A lint finding accepted on purpose: located by annotation id or by span, with its reason."""

    code: str
    annotation_id: str | None
    start: int | None
    end: int | None
    reason: str


class Provenance(TypedDict):
    """Who made an annotation file and how (optional top-level ``provenance``)."""

    annotators: list[str]
    method: str


class Annotations(TypedDict):
    document_id: str
    entities: list[Entity]
    mentions: list[Mention]
    quotes: list[Quote]
    claims: list[Claim]
    # Reviewed lint findings; not an annotation layer (schema.LAYERS leaves it out).
    exceptions: list[LintException]
    provenance: NotRequired[Provenance]


@dataclass(frozen=True, slots=True)
class Document:
    """One validated document: its metadata, canonical text and annotations.

    ``origin`` is the document folder as shown to the user, so that later stages (rows,
    lint) can name the file a problem is in.
    """

    meta: DocumentMeta
    text: str
    annotations: Annotations
    origin: str

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def split(self) -> str:
        return self.meta["split"]
