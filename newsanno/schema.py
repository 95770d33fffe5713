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
QUOTE_KINDS: tuple[str, ...] = values(ANNOTATIONS, "quote_kind")
CHECKWORTHINESS: tuple[str, ...] = values(ANNOTATIONS, "checkworthiness")
SPLITS: tuple[str, ...] = values(DOCUMENT, "split")
# BIO tag names of the ``ner`` config (stored as ClassLabel ids in this order).  Kept here, not in
# features.py, so validating never has to import ``datasets`` (seconds of start-up).
NER_TAGS: tuple[str, ...] = ("O", *(f"{prefix}-{label}" for label in ENTITY_TYPES for prefix in ("B", "I")))
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
    schema = load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return _STRICT(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _strict_integer(_checker: Any, instance: Any) -> bool:
    # JSON Schema counts 11.0 as an integer, but a float offset cannot index text: refuse it.
    return isinstance(instance, int) and not isinstance(instance, bool)


_STRICT = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
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


@dataclass(slots=True)
class _Order:
    """What :func:`canonical_order` does at one schema node, precomputed once per schema."""

    keys: tuple[str, ...]  # the node's properties, in order
    props: dict[str, _Order]
    items: _Order | None
    # Properties below which some object has properties, i.e. whose key order can matter.
    nested: tuple[str, ...] = ()


def _compile_order(node: dict[str, Any], root: dict[str, Any], memo: dict[int, _Order]) -> _Order:
    node = resolve(node, root)
    if id(node) in memo:
        return memo[id(node)]
    props: dict[str, _Order] = {}
    order = _Order(tuple(node.get("properties", {})), props, None)
    memo[id(node)] = order  # before recursing: a recursive schema refers back to this node
    for key, child in node.get("properties", {}).items():
        props[key] = _compile_order(child, root, memo)
    if "items" in node:
        order.items = _compile_order(node["items"], root, memo)
    return order


def _orders_keys(plan: _Order | None, seen: set[int]) -> bool:
    """Whether an object with properties can occur at or below ``plan`` (True on a cycle, to be safe)."""
    if plan is None:
        return False
    if id(plan) in seen or plan.keys:
        return True
    seen.add(id(plan))
    return _orders_keys(plan.items, seen) or any(_orders_keys(child, seen) for child in plan.props.values())


@functools.cache
def _order_plan(name: str) -> _Order:
    root = load(name)
    memo: dict[int, _Order] = {}
    plan = _compile_order(root, root, memo)
    for order in memo.values():
        order.nested = tuple(k for k, child in order.props.items() if _orders_keys(child, set()))
    return plan


def in_order(value: Any, schema_name: str) -> bool:
    """``scan(value, schema_name)[1]`` without visiting every value: lists of objects are checked in bulk.

    Only objects whose schema node has properties can be out of order, so the walk descends
    only into the properties under which such objects can occur (:attr:`_Order.nested`).
    """
    return _in_order(value, _order_plan(schema_name))


def _in_order(node: Any, plan: _Order | None) -> bool:
    if plan is None:
        return True
    kind = type(node)
    if kind is dict:
        if not plan.keys:
            return True
        keys = tuple(node)
        if keys != plan.keys:
            known = [k for k in plan.keys if k in node]
            if keys != (*known, *(k for k in keys if k not in plan.props)):
                return False
        return all(_in_order(node.get(key), plan.props[key]) for key in plan.nested)
    if kind is list:
        item = plan.items
        if item is None or not (item.keys or item.nested or item.items):
            return True
        if item.keys:
            # Objects whose keys are exactly the schema's in order pass at once; only the rest are looked at.
            keys = item.keys
            if set(map(type, node)) == {dict} and set(map(tuple, node)) == {keys}:  # the usual case, in C loops
                return all(_in_order(x.get(key), item.props[key]) for key in item.nested for x in node)
            odd = [x for x in node if type(x) is not dict or tuple(x) != keys]
            if not all(_in_order(x, item) for x in odd):
                return False
            dicts = node if not odd else [x for x in node if type(x) is dict]
            return all(_in_order(x.get(key), item.props[key]) for key in item.nested for x in dicts)
        return all(_in_order(x, item) for x in node)
    return True


def scan(value: Any, schema_name: str) -> tuple[bool, bool]:
    """(has a float anywhere, keys already in :func:`canonical_order`) in one walk of ``value``.

    In order means ``canonical_order(value)`` would return the same keys in the same order
    at every level, so its serialization equals that of ``value``.
    """
    if type(value) is float:
        return True, True
    has_float = False
    in_order = True
    # Only containers go on the stack; scalars are judged where they are met.
    stack: list[tuple[Any, _Order | None]] = [(value, _order_plan(schema_name))] if type(value) in (dict, list) else []
    while stack:
        node, plan = stack.pop()
        if type(node) is dict:
            if plan is not None and plan.keys:
                keys = tuple(node)
                if keys != plan.keys and in_order:
                    known = [k for k in plan.keys if k in node]
                    in_order = keys == (*known, *(k for k in keys if k not in plan.props))
                props = plan.props
                for key, child in node.items():
                    kind = type(child)
                    if kind is dict or kind is list:
                        stack.append((child, props.get(key)))
                    elif kind is float:
                        has_float = True
                continue
            children: Any = node.values()
            plan = None
        else:
            children = node
            plan = plan.items if plan is not None else None
        for child in children:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append((child, plan))
            elif kind is float:
                has_float = True
    return has_float, in_order
