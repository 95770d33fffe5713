"""The public contract: ``datasets.Features`` of every config, derived from ``schema/``.

One builder per config, which the table in :mod:`newsanno.configs` names.  Nested fields of
the ``documents`` config follow the annotation schema property by property; the ``ner`` tag
names are :data:`newsanno.schema.NER_TAGS`, built from the schema's entity types.
"""

from __future__ import annotations

from typing import Any

from datasets import ClassLabel, Features, List, Value

from newsanno import configs, schema

# Views of the table in newsanno.configs, for the callers that only need names.
CONFIGS: tuple[str, ...] = configs.NAMES
DEFAULT_CONFIG: str = configs.DEFAULT

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


def features(config: str) -> Features:
    """The Features of the config called ``config``; KeyError for an unknown name."""
    return configs.spec(config).features()


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
    """One sentence: tokens, BIO tags (ClassLabel ids) and token offsets."""
    return Features(
        {
            "document_id": STRING,
            "sentence_id": Value("int32"),
            "tokens": List(STRING),
            "ner_tags": List(ClassLabel(names=list(NER_TAGS))),
            "token_starts": List(OFFSET),
            "token_ends": List(OFFSET),
        }
    )
