"""Corpus statistics gathered document by document, for the card."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from newsanno import schema
from newsanno.model import Document
from newsanno.publish.tally import Tally

# The label sets counted per split: the schema key of each and the annotation field it is read from.
SPLIT_TABLES = (
    ("label", "mentions", "label"),
    ("form", "mentions", "form"),
    ("quote_kind", "quotes", "kind"),
    ("checkworthiness", "claims", "checkworthiness"),
)


class Source(NamedTuple):
    """One document's bibliographic and rights record, as the card's sources table lists it."""

    document_id: str
    split: str
    title: str
    author: str | None
    publisher: str
    source_url: str | None
    text_licence: str
    notice: str | None
    annotation_licence: str


@dataclass
class CorpusStats:
    """Counts over the documents added so far, in memory that does not grow with the corpus.

    The label counts are bounded by the schema's label sets; names, an open-ended set,
    are kept in :class:`~newsanno.publish.tally.Tally` objects that spill to disk.  Only the
    reviewed lint exceptions, which the card lists one by one, and the document ids per
    text rights statement, which the licence notice lists, grow with the corpus.
    """

    documents: Counter[str] = field(default_factory=Counter)  # per split
    tokens: Counter[str] = field(default_factory=Counter)  # per split
    # (split, schema label-set key, value) -> count: the label tables per split (keys as in SPLIT_TABLES).
    split_labels: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    rows: Counter[tuple[str, str]] = field(default_factory=Counter)  # (config, split)
    mention_labels: Counter[str] = field(default_factory=Counter)
    mention_forms: Counter[str] = field(default_factory=Counter)
    quote_kinds: Counter[str] = field(default_factory=Counter)
    claim_classes: Counter[str] = field(default_factory=Counter)
    quote_speakers: Tally = field(default_factory=Tally)  # entity name; "(no source)" for none
    claim_claimants: Tally = field(default_factory=Tally)  # entity name; "(author)" for none
    entities: int = 0
    characters: int = 0
    languages: set[str] = field(default_factory=set)
    annotation_licences: set[str] = field(default_factory=set)
    # rights.text statement -> the ids of the documents it covers (the dataset's LICENSE.md lists them).
    text_rights: dict[str, list[str]] = field(default_factory=dict)
    # Every document's source and rights, for the card's sources table (grows with the corpus, one row each).
    sources: list[Source] = field(default_factory=list)
    # (document, field, value, reason) of every recorded override of a derived document.json field.
    overrides: list[tuple[str, str, str, str]] = field(default_factory=list)
    # (document id, lint code, annotation id or span, reason): reviewed findings kept on purpose.
    lint_exceptions: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, doc: Document, rows_per_config: dict[str, int], tokens: int = 0) -> None:
        """Count one document, the rows it contributed to each config and its ``tokens``."""
        ann = doc.annotations
        self.documents[doc.split] += 1
        self.tokens[doc.split] += tokens
        for key, layer, name in SPLIT_TABLES:
            self.split_labels.update((doc.split, key, item[name]) for item in ann[layer])  # type: ignore[literal-required]
        for config, count in rows_per_config.items():
            self.rows[config, doc.split] += count
        self.mention_labels.update(m["label"] for m in ann["mentions"])
        self.mention_forms.update(m["form"] for m in ann["mentions"])
        self.quote_kinds.update(q["kind"] for q in ann["quotes"])
        self.claim_classes.update(c["checkworthiness"] for c in ann["claims"])
        names = {e["id"]: e["name"] for e in ann["entities"]}
        self.quote_speakers.update(names.get(q["speaker_entity_id"] or "", "(no source)") for q in ann["quotes"])
        self.claim_claimants.update(names.get(c["claimant_entity_id"] or "", "(author)") for c in ann["claims"])
        self.entities += len(ann["entities"])
        self.characters += len(doc.text)
        self.languages.add(doc.meta["language"])
        self.annotation_licences.add(doc.meta["rights"]["annotations"])
        rights = doc.meta["rights"]
        meta = doc.meta
        self.sources.append(
            Source(
                doc.id,
                doc.split,
                meta["title"],
                meta["author"],
                meta["publisher"],
                meta["source_url"],
                rights["text"],
                rights.get("notice"),
                rights["annotations"],
            )
        )
        statement = f"`{rights['text']}`: {rights['notice']}" if rights.get("notice") else f"`{rights['text']}`"
        self.text_rights.setdefault(statement, []).append(doc.id)
        for name, override in (doc.meta.get("overrides") or {}).items():  # type: ignore[attr-defined]
            self.overrides.append((doc.id, name, str(override["value"]), override["reason"]))
        for exc in ann.get("exceptions", []):
            where = exc["annotation_id"] or f"{exc['start']}..{exc['end']} {doc.text[exc['start'] : exc['end']]!r}"
            self.lint_exceptions.append((doc.id, exc["code"], where, exc["reason"]))

    def merge(self, other: CorpusStats) -> None:
        """Fold in the counts of another part of the corpus (from a parallel worker)."""
        for name in ("documents", "tokens", "split_labels", "rows", "mention_labels", "mention_forms", "quote_kinds", "claim_classes"):
            getattr(self, name).update(getattr(other, name))
        self.quote_speakers.merge(other.quote_speakers)
        self.claim_claimants.merge(other.claim_claimants)
        self.entities += other.entities
        self.characters += other.characters
        self.languages |= other.languages
        self.annotation_licences |= other.annotation_licences
        for statement, ids in other.text_rights.items():
            self.text_rights.setdefault(statement, []).extend(ids)
        self.lint_exceptions.extend(other.lint_exceptions)
        self.sources.extend(other.sources)
        self.overrides.extend(other.overrides)

    def splits(self) -> list[str]:
        """The splits that have documents, in schema order."""
        return [s for s in schema.SPLITS if self.documents[s]]

    def config_splits(self, config: str) -> list[str]:
        """The splits in which a config has rows (a split without rows gets no file)."""
        return [s for s in schema.SPLITS if self.rows[config, s]]
