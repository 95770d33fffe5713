"""The reference rules: unique ids, references that resolve, and agreeing labels and owners.

Every annotation id is unique within the document; a mention's entity exists and has the
mention's label as its type; a quote's speaker and a claim's claimant name an existing
mention of an existing entity; a claim's quote exists.  Each rule's cheap clean-check sits
beside its explaining check (see :mod:`newsanno.validate.rule`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from newsanno import schema
from newsanno.model import Annotations
from newsanno.problems import Problem
from newsanno.validate.rule import ITEM, REFS, Order, Rule, Scope, layer_index

_ABSENT = object()


def _ids_clean(ann: Annotations, _text: str) -> bool:
    layers = [cast(list[dict[str, Any]], ann[layer]) for layer in schema.LAYERS]  # type: ignore[literal-required]
    return len({x["id"] for items in layers for x in items}) == sum(map(len, layers))


def _ids_explain(scope: Scope) -> Iterator[tuple[Order, Problem]]:
    first: dict[str, str] = {}
    for li, layer in enumerate(schema.LAYERS):
        for i, item in scope.kept[layer]:
            where = f"/{layer}/{i}"
            if item["id"] not in first:
                first[item["id"]] = where
                continue
            message = f"duplicate id {item['id']!r} (first used at {first[item['id']]})"
            hint = "give every annotation of the document its own id"
            yield (ITEM, li, i, 0), scope.problem(message, "ref.duplicate_id", f"{where}/id", item["id"], hint)


def _entity_types(ann: Annotations) -> dict[str, str]:
    """Entity type by id, the first of a duplicated id winning (as the explaining checks look up)."""
    return {e["id"]: e["type"] for e in reversed(ann["entities"])}


def _mention_entity_clean(ann: Annotations, _text: str) -> bool:
    entity_type = _entity_types(ann)
    # A dangling entity or a label that differs from its entity's type.
    return not [m for m in ann["mentions"] if entity_type.get(m["entity_id"], _ABSENT) != m["label"]]


def _mention_entity_explain(scope: Scope) -> Iterator[tuple[Order, Problem]]:
    entities = scope.by_id("entities")
    li = layer_index("mentions")
    for i, m in scope.kept["mentions"]:
        exists, found = scope.reference("entities", "entity", m["entity_id"], f"/mentions/{i}/entity_id", m["id"])
        yield from (((REFS, li, i, 0), p) for p in found)
        if exists and entities[m["entity_id"]]["type"] != m["label"]:
            etype = entities[m["entity_id"]]["type"]
            message = f"mention label {m['label']} differs from its entity's type {etype} ({m['entity_id']})"
            hint = "a mention's label must equal its entity's type"
            yield (REFS, li, i, 0), scope.problem(message, "ref.label_mismatch", f"/mentions/{i}/label", m["id"], hint)


# Who said or claimed something: (layer, role); the fields are <role>_mention_id and <role>_entity_id.
_PEOPLE = (("quotes", "speaker"), ("claims", "claimant"))


def _people_clean(ann: Annotations, _text: str) -> bool:
    entity_ids = {e["id"] for e in ann["entities"]}
    owner = {m["id"]: m["entity_id"] for m in reversed(ann["mentions"])}
    for layer, role in _PEOPLE:
        for x in cast(list[dict[str, Any]], ann[layer]):  # type: ignore[literal-required]
            mention, entity = x[f"{role}_mention_id"], x[f"{role}_entity_id"]
            # Valid: no mention and no or an existing entity; or an existing mention of an existing entity, named as such.
            if not (entity is None or entity in entity_ids) or (mention is not None and owner.get(mention, _ABSENT) != entity):
                return False
    return True


def _people_explain(scope: Scope) -> Iterator[tuple[Order, Problem]]:
    for layer, role in _PEOPLE:
        li = layer_index(layer)
        for i, x in scope.kept[layer]:
            where = f"/{layer}/{i}"
            mention_id, entity_id = x[f"{role}_mention_id"], x[f"{role}_entity_id"]
            has_mention, found = scope.reference("mentions", "mention", mention_id, f"{where}/{role}_mention_id", x["id"])
            has_entity, found_entity = scope.reference("entities", "entity", entity_id, f"{where}/{role}_entity_id", x["id"])
            # In a quote the speaker comes first; in a claim the quote reference sits between these and the owner.
            first = 1 if layer == "quotes" else 0
            yield from (((REFS, li, i, first), p) for p in found)
            yield from (((REFS, li, i, first + 1), p) for p in found_entity)
            if has_mention:
                for p in _owner_problems(scope, mention_id, entity_id, has_entity, where, x["id"], role):
                    yield (REFS, li, i, 3), p


def _owner_problems(
    scope: Scope, mention_id: str, entity_id: str | None, entity_ok: bool, where: str, ann_id: str, role: str
) -> list[Problem]:
    """A speaker/claimant mention must belong to the speaker/claimant entity."""
    owner = scope.by_id("mentions")[mention_id]["entity_id"]
    if entity_id is None:
        message = f"{role}_mention_id is set but {role}_entity_id is null"
        return [scope.problem(message, f"ref.{role}_entity", f"{where}/{role}_entity_id", ann_id, f"set {role}_entity_id to {owner!r}")]
    if entity_ok and owner != entity_id:
        message = f"{role} mention {mention_id!r} belongs to entity {owner!r}, not to {role}_entity_id {entity_id!r}"
        return [scope.problem(message, f"ref.{role}_entity", f"{where}/{role}_mention_id", ann_id)]
    return []


def _claim_quote_clean(ann: Annotations, _text: str) -> bool:
    quote_ids = {q["id"] for q in ann["quotes"]}
    return not [c for c in ann["claims"] if c["quote_id"] is not None and c["quote_id"] not in quote_ids]


def _claim_quote_explain(scope: Scope) -> Iterator[tuple[Order, Problem]]:
    li = layer_index("claims")
    for i, c in scope.kept["claims"]:
        _, found = scope.reference("quotes", "quote", c["quote_id"], f"/claims/{i}/quote_id", c["id"])
        yield from (((REFS, li, i, 2), p) for p in found)


RULES: tuple[Rule, ...] = (
    Rule("unique ids", _ids_clean, _ids_explain),
    Rule("mention entity and label", _mention_entity_clean, _mention_entity_explain),
    Rule("speakers and claimants", _people_clean, _people_explain),
    Rule("claim quote", _claim_quote_clean, _claim_quote_explain),
)
