"""The entities of a Label Studio task: which mentions are one entity, its id and its type.

Label Studio keeps coreference as the per-region ``entity`` field of each mention (and, in older
projects or where an annotator drew one, a ``coref`` relation).  :func:`resolve_entities` turns
that into the record's coreference chains and entity notes, so that
:func:`newsanno.convert.assemble.assemble` only has to lay them out:

- mentions with the same entity value, and mentions a coref relation joins, are one entity;
  a mention without a value keeps the entity it was exported with (its own, when it is new), so
  deleting a mention in the middle of a chain never splits it;
- the entity keeps its id when a value is one of the document's entity ids; otherwise it is new
  and gets an id above every entity id the document has used;
- two known entities joined by a coref relation become the first one, with a warning;
- an exported entity whose mentions were all deleted is removed, with a warning;
- the entity type follows its mentions: when all of them carry one type other than the entity's,
  the entity takes it; when they disagree, each mention off the entity's type is an error.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from newsanno.convert.assemble import chain_roots, fresh
from newsanno.convert.record import EntityNote, Record, Span
from newsanno.problems import Problem

_NUMBER = re.compile(r"E([0-9]+)\Z")


def _groups(mentions: list[Span], value: dict[str, str], coref: list[tuple[str, str]]) -> list[list[Span]]:
    """The mentions grouped into entities, groups and members in record order."""
    pairs = list(coref)
    first_with: dict[str, str] = {}
    for m in mentions:
        if m.key in value:
            pairs.append((first_with.setdefault(value[m.key], m.key), m.key))
    roots = chain_roots(pairs, [m.key for m in mentions])
    groups: dict[str, list[Span]] = {}
    for m in mentions:
        groups.setdefault(roots[m.key], []).append(m)
    return list(groups.values())


def _typed(entity: dict[str, Any], members: list[Span], shown: str) -> list[Problem]:
    """Give the entity its mentions' type when they all agree; an error per mention otherwise."""
    labels = [m.attrs["label"] for m in members]
    if len(set(labels)) == 1:
        if labels[0] != entity["type"]:
            message = f"entity {entity['id']} ({entity['name']!r}) changes type {entity['type']} -> {labels[0]}: all its mentions say so"
            entity["type"] = labels[0]
            return [Problem(shown, message, "labelstudio.entity_type", annotation_id=entity["id"], severity="warning")]
        return []
    others = ", ".join(f"{m.id or m.key} {m.attrs['label']}" for m in members)
    message = f"mention label {{}} differs from entity {entity['id']}'s type {entity['type']}, and its mentions disagree ({others})"
    hint = f"relabel every mention of {entity['id']} to one type (the entity then takes it), or move this one to another entity"
    return [
        Problem(shown, message.format(m.attrs["label"]), "labelstudio.entity_type", annotation_id=m.id or m.key, hint=hint)
        for m in members
        if m.attrs["label"] != entity["type"]
    ]


def resolve_entities(record: Record, known: list[EntityNote], exported: dict[str, str], given: dict[str, str], shown: str) -> list[Problem]:
    """Fill ``record.coref`` and ``record.entities`` from the mentions' entity values.

    ``known`` are the entities the export listed (with the key of a mention they had, or None);
    ``exported`` maps an exported mention id to its entity id; ``given`` maps a mention key to
    the value of its entity field.  Returns warnings (merged, removed, retyped entities) and
    errors (mentions of one entity that disagree on its type).
    """
    mentions = [s for s in record.spans if s.layer == "mention"]
    ids = {note.entity["id"] for note in known}
    value = {m.key: given[m.key] for m in mentions if m.key in given}
    keys = {m.key for m in mentions}
    for m in mentions:
        if m.key not in value and m.id is not None and m.id in exported:
            value[m.key] = exported[m.id]
    for note in known:  # an export written before the entity field: the note names one mention
        if note.mention in keys:
            value.setdefault(note.mention, note.entity["id"])
    problems: list[Problem] = []
    chosen: dict[str, list[Span]] = {}
    merged: set[str] = set()
    new: list[list[Span]] = []
    order = [note.entity["id"] for note in known]
    for members in _groups(mentions, value, record.coref):
        named = sorted({value[m.key] for m in members if value.get(m.key) in ids}, key=order.index)
        if not named:
            new.append(members)
            continue
        chosen[named[0]] = members
        merged.update(named[1:])
        for other in named[1:]:
            message = f"entity {other} is joined to {named[0]} by a coref relation: its mentions are now {named[0]}'s"
            problems.append(Problem(shown, message, "labelstudio.entity_merged", annotation_id=other, severity="warning"))
    notes: list[EntityNote] = []
    for note in known:
        entity = dict(note.entity)
        if entity["id"] in chosen:
            problems += _typed(entity, chosen[entity["id"]], shown)
            notes.append(EntityNote(entity, chosen[entity["id"]][0].key))
        elif note.mention is None and entity["id"] not in exported.values():
            notes.append(EntityNote(entity, None))  # it had no mention when exported: kept as it was
        elif entity["id"] not in merged:
            message = f"entity {entity['id']} ({entity['name']!r}) is removed: all its mentions were deleted"
            problems.append(Problem(shown, message, "labelstudio.entity_removed", annotation_id=entity["id"], severity="warning"))
    taken = set(ids)
    floor = max([record.id_floor.get("E", 0), *(int(m[1]) for i in ids if (m := _NUMBER.match(i)))])
    for members in new:
        head = members[0]
        entity = {"id": fresh("E", taken, floor), "name": head.text, "type": head.attrs["label"], "wikidata": None}
        problems += _typed(entity, members, shown)
        notes.append(EntityNote(entity, head.key))
    record.entities = notes
    groups = [members for note in notes if note.mention is not None for members in [chosen.get(note.entity["id"])] if members]
    record.coref = [(a.key, b.key) for members in [*groups, *new] for a, b in itertools.pairwise(members)]
    return problems
