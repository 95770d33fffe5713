"""The JSON Schemas in ``schema/``: loading them and deriving label sets and field orders.

Every label list in the package is read from here; nothing else keeps a copy.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

DOCUMENT = "document"
ANNOTATIONS = "annotations"


def schema_dir() -> Path:
    """Where the schemas are: bundled in the wheel, or ``schema/`` of a source checkout."""
    bundled = Path(__file__).parent / "schema"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parent.parent / "schema"


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The parsed schema ``schema/<name>.schema.json``."""
    with open(schema_dir() / f"{name}.schema.json", encoding="utf-8") as f:
        return json.load(f)


def resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow local ``$ref``s (``#/$defs/...``) until a node without one."""
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported, got {ref!r}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value of a label set with its one-line definition."""

    value: str
    description: str


def choices(schema_name: str, def_name: str) -> tuple[Choice, ...]:
    """The ``oneOf`` list of ``{"const", "description"}`` under ``$defs/<def_name>``."""
    root = load(schema_name)
    node = root["$defs"][def_name] if def_name in root.get("$defs", {}) else root["properties"][def_name]
    return tuple(Choice(opt["const"], opt["description"]) for opt in node["oneOf"])


def values(schema_name: str, def_name: str) -> tuple[str, ...]:
    """Just the values of :func:`choices`, in schema order."""
    return tuple(c.value for c in choices(schema_name, def_name))


ENTITY_TYPES: tuple[str, ...] = values(ANNOTATIONS, "label")
MENTION_FORMS: tuple[str, ...] = values(ANNOTATIONS, "form")
# Scheme 2.0: the types annotated in every form (NAM, NOM, PRO); every other type is NAM only.
FULL_COVERAGE_TYPES: tuple[str, ...] = values(ANNOTATIONS, "full_coverage_label")
QUOTE_KINDS: tuple[str, ...] = values(ANNOTATIONS, "quote_kind")
CHECKWORTHINESS: tuple[str, ...] = values(ANNOTATIONS, "checkworthiness")
SPLITS: tuple[str, ...] = values(DOCUMENT, "split")


def _ner_tags() -> tuple[str, ...]:
    """The ``ner`` tag names in ClassLabel id order, from ``schema/ner_tags.json`` (OntoNotes' ids, its source
    recorded there); refused unless they are exactly O and B-/I- of every entity type of the schema."""
    with open(schema_dir() / "ner_tags.json", encoding="utf-8") as f:
        names = tuple(json.load(f)["names"])
    wanted = {"O", *(f"{prefix}-{label}" for label in ENTITY_TYPES for prefix in ("B", "I"))}
    if len(names) != len(set(names)) or set(names) != wanted:
        raise RuntimeError("schema/ner_tags.json must list O and B-/I- of every entity type exactly once")
    return names


# BIO tag names of the ``ner`` config (stored as ClassLabel ids in this order: conll2012_ontonotesv5's).
# Kept here, not in features.py, so validating never has to import ``datasets`` (seconds of start-up).
NER_TAGS: tuple[str, ...] = _ner_tags()
# ClaimBuster's sentence classes (claim_sentences config), lowest first: NFS, UFS, CFS.
SENTENCE_CLASSES: tuple[str, ...] = values(ANNOTATIONS, "sentence_checkworthiness")
# The roles of a quotation's attribution (attribution config) and their BIO tags, in the same layout as NER_TAGS.
ATTRIBUTION_ROLES: tuple[str, ...] = values(ANNOTATIONS, "attribution_role")
ATTRIBUTION_TAGS: tuple[str, ...] = ("O", *(f"{prefix}-{role}" for role in ATTRIBUTION_ROLES for prefix in ("B", "I")))


def _array_properties() -> tuple[str, ...]:
    root = load(ANNOTATIONS)
    return tuple(k for k, v in root["properties"].items() if resolve(v, root).get("type") == "array")


def _item_fields(name: str) -> dict[str, Any]:
    """The properties of one item of the annotation list ``name``."""
    root = load(ANNOTATIONS)
    items = resolve(resolve(root["properties"][name], root)["items"], root)
    return dict(items.get("properties", {}))


# Every list of annotations.json (all of them travel in the documents config).
ANNOTATION_LISTS: tuple[str, ...] = _array_properties()
# The annotation layers proper: lists of objects that carry an id.
LAYERS: tuple[str, ...] = tuple(name for name in ANNOTATION_LISTS if "id" in _item_fields(name))
# The layers whose items are spans of the text (they have offsets and the quoted text).
SPAN_LAYERS: tuple[str, ...] = tuple(name for name in LAYERS if {"start", "end", "text"} <= _item_fields(name).keys())


@functools.cache
def fast_validator(name: str) -> Any:
    """A compiled (jsonschema-rs) Draft 2020-12 validator for the named schema, with format checking.

    It only answers "valid or not", quickly; where it says not, :func:`validator` explains.
    """
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(load(name), validate_formats=True)


@functools.cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """A Draft 2020-12 validator for the named schema, with format checking on."""
    return validator_of(load(name))


def validator_of(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """The same kind of validator for a schema given as data (another revision's schema, say)."""
    jsonschema.Draft202012Validator.check_schema(schema)
    return _STRICT(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _strict_integer(_checker: Any, instance: Any) -> bool:
    # JSON Schema counts 11.0 as an integer, but a float offset cannot index text: refuse it.
    return isinstance(instance, int) and not isinstance(instance, bool)


@functools.cache
def _ecma_regex(pattern: str) -> Any:
    import regress

    return regress.Regex(pattern)


def _ecma_pattern(_validator: Any, pattern: str, instance: Any, _schema: Any) -> Any:
    """``pattern`` with the ECMA-262 semantics JSON Schema specifies (and jsonschema-rs uses).

    Python's ``re`` lets ``$`` match before a final line feed, so ``"M1\n"`` or
    ``"CC-BY-4.0\n"`` would pass ``^...$`` here while the compiled validator refuses them;
    the two validators must agree, so the explaining one uses an ECMA engine too (the
    ``regress`` library, as check-jsonschema does).
    """
    if isinstance(instance, str) and _ecma_regex(pattern).find(instance) is None:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_STRICT = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    validators={"pattern": _ecma_pattern},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _strict_integer),
)


def canonical_order(value: Any, node: dict[str, Any], root: dict[str, Any]) -> Any:
    """Reorder object keys recursively to the order of the schema's ``properties``.

    Keys the schema does not know keep their relative order after the known ones, so a
    round trip never loses data even before validation has rejected them.
    """
    node = resolve(node, root)
    if isinstance(value, dict):
        props = node.get("properties", {})
        ordered = {k: canonical_order(value[k], props[k], root) for k in props if k in value}
        ordered.update({k: v for k, v in value.items() if k not in props})
        return ordered
    if isinstance(value, list) and "items" in node:
        return [canonical_order(v, node["items"], root) for v in value]
    return value
