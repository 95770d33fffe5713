"""The public contract: ``datasets.Features`` of every config, derived from ``schema/``.

One builder per config, which the table in :mod:`newsanno.rows.configs` names.  Nested fields of
the ``documents`` config follow the annotation schema property by property; the ``ner`` tag
names are :data:`newsanno.schema.NER_TAGS`, built from the schema's entity types.
"""

from __future__ import annotations

from typing import Any

from datasets import ClassLabel, Features, List, Value

from newsanno import schema

# Offsets are int32 in every config: texts are far below 2**31 code points.
OFFSET = Value("int32")
STRING = Value("string")

NER_TAGS: tuple[str, ...] = schema.NER_TAGS


def _from_schema(node: dict[str, Any], root: dict[str, Any]) -> Any:
    """Translate a JSON Schema node into a ``datasets`` feature."""
    node = schema.resolve(node, root)
    types = node.get("type", "string")  # label sets (oneOf consts) are strings
    if isinstance(types, list):
        types = next(t for t in types if t != "null")
    if types == "object":
        return {name: _from_schema(child, root) for name, child in node["properties"].items()}
    if types == "array":
        return List(_from_schema(node["items"], root))
    if types == "integer":
        return OFFSET
    return STRING


def _layer(name: str) -> Any:
    root = schema.load(schema.ANNOTATIONS)
    return _from_schema(root["properties"][name], root)


def documents_features() -> Features:
    """Metadata, text and every annotation list of ``annotations.json``, nested as the schema has them."""
    return Features(
        {
            "document_id": STRING,
            "title": STRING,
            "author": STRING,
            "published": Value("date32"),
            "publisher": STRING,
            "language": STRING,
            "source_url": STRING,
            "text": STRING,
            **{name: _layer(name) for name in schema.ANNOTATION_LISTS},
        }
    )


def mentions_features() -> Features:
    """One mention with its entity and label."""
    return Features(
        {
            "document_id": STRING,
            "mention_id": STRING,
            "entity_id": STRING,
            "entity_name": STRING,
            "start": OFFSET,
            "end": OFFSET,
            "text": STRING,
            "label": STRING,
            "form": STRING,
        }
    )


def quotes_features() -> Features:
    """One quote with its speaker and cue flattened."""
    return Features(
        {
            "document_id": STRING,
            "quote_id": STRING,
            "start": OFFSET,
            "end": OFFSET,
            "text": STRING,
            "kind": STRING,
            "speaker_entity_id": STRING,
            "speaker_name": STRING,
            "cue_text": STRING,
            "cue_start": OFFSET,
            "cue_end": OFFSET,
        }
    )


def claims_features() -> Features:
    """One claim with its claimant."""
    return Features(
        {
            "document_id": STRING,
            "claim_id": STRING,
            "start": OFFSET,
            "end": OFFSET,
            "text": STRING,
            "claimant_entity_id": STRING,
            "claimant_name": STRING,
            "checkworthiness": STRING,
            "quote_id": STRING,
        }
    )


def ner_features() -> Features:
    """One sentence: tokens, BIO tags (ClassLabel ids), token offsets, the sentence text and spaCy's ``spaces``."""
    return Features(
        {
            "document_id": STRING,
            "sentence_id": Value("int32"),
            "tokens": List(STRING),
            "ner_tags": List(ClassLabel(names=list(NER_TAGS))),
            "token_starts": List(OFFSET),
            "token_ends": List(OFFSET),
            # Added in 1.1.0, after the original columns so that their positions never change.
            "text": STRING,
            "spaces": List(Value("bool")),
        }
    )


def coref_features() -> Features:
    """One document: tokens per sentence and entity clusters of inclusive document-level token spans."""
    return Features(
        {
            "document_id": STRING,
            "sentences": List(List(STRING)),
            "clusters": List(List(List(Value("int32")))),
            "cluster_mention_ids": List(List(STRING)),
            "cluster_entity_ids": List(STRING),
            "cluster_names": List(STRING),
            "cluster_labels": List(STRING),
        }
    )


def claim_sentences_features() -> Features:
    """One sentence: its ClaimBuster class (ClassLabel over the schema's sentence classes) and its claims."""
    return Features(
        {
            "document_id": STRING,
            "sentence_id": Value("int32"),
            "text": STRING,
            "start": OFFSET,
            "end": OFFSET,
            "label": ClassLabel(names=list(schema.SENTENCE_CLASSES)),
            "claim_ids": List(STRING),
            "claimant_entity_ids": List(STRING),
            "claimant_names": List(STRING),
        }
    )


def attribution_features() -> Features:
    """One sentence: tokens and, per quote touching it, a sequence of attribution BIO tags (ClassLabel ids)."""
    return Features(
        {
            "document_id": STRING,
            "sentence_id": Value("int32"),
            "tokens": List(STRING),
            "quote_ids": List(STRING),
            "tags": List(List(ClassLabel(names=list(schema.ATTRIBUTION_TAGS)))),
            "token_starts": List(OFFSET),
            "token_ends": List(OFFSET),
        }
    )
