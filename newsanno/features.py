"""The public contract: ``datasets.Features`` of every config, derived from ``schema/``.

Nested fields of the ``documents`` config follow the annotation schema property by
property; the ``ner`` tag names are :data:`newsanno.schema.NER_TAGS`, built from the schema's entity types.
"""

from __future__ import annotations

from typing import Any

from datasets import ClassLabel, Features, List, Value

from newsanno import schema

CONFIGS: tuple[str, ...] = ("documents", "mentions", "quotes", "claims", "ner")
DEFAULT_CONFIG = "documents"

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
    """The Features of one config."""
    if config == "documents":
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
    if config == "mentions":
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
    if config == "quotes":
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
    if config == "claims":
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
    if config == "ner":
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
    raise KeyError(f"unknown config {config!r}; expected one of {', '.join(CONFIGS)}")
