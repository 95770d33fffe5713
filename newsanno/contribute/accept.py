"""suggestions.json as a file: its schema check, and moving reviewed suggestions into annotations.

:func:`accept` is pure: it takes the gold annotations and the suggestions and returns both
updated.  An accepted mention gets the next free ``M`` id and the entity it was suggested with:
the document's entity of the same name and type if there is one, else a new one with the next
free ``E`` id (name, type and Wikidata id as suggested).  An accepted quote gets the next free
``Q`` id and brings its suggested speaker mention along, so its speaker ids point into gold (a
speaker that is already a gold mention stays as it is).  A suggested pronoun or nominal linked to
an entity of the document (same name and type) joins that entity's chain.

Accepting is idempotent: a suggestion whose span gold already holds (a mention, a quote) is
recognised as already there and not added again, so ``accept`` re-run after a crash between
its two writes (gold first, then suggestions.json) finishes the job instead of doubling it.
A span is an annotation's identity: ``validate`` refuses two quotes (or claims, or mentions)
on one span.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import jsonschema
import referencing

from newsanno import corpus, schema
from newsanno.contribute.suggest import SUGGESTIONS
from newsanno.model import Document
from newsanno.problems import Problem
from newsanno.validate import DEFAULT_LIMITS, Limits, read_json_file

SUGGESTIONS_FILE = "suggestions.json"


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    """The validator of ``schema/suggestions.schema.json``, whose items refer into the annotations schema."""
    annotations = schema.load(schema.ANNOTATIONS)
    registry: referencing.Registry[Any] = referencing.Registry().with_resource(
        annotations["$id"], referencing.Resource.from_contents(annotations)
    )
    return jsonschema.Draft202012Validator(schema.load(SUGGESTIONS), registry=registry)


def dumps(value: dict[str, Any]) -> bytes:
    """The bytes of a suggestions file: two-space indented JSON in the order the items were made, LF-terminated."""
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def problems(value: Any, text: str, doc_id: str, shown: str) -> list[Problem]:
    """Schema violations of a suggestions file, and items whose text is not ``text[start:end]``."""
    found = [
        Problem(shown, error.message, "suggestions.schema", pointer="/" + "/".join(str(p) for p in error.absolute_path))
        for error in validator().iter_errors(value)
    ]
    if found:
        return found
    if value["document_id"] != doc_id:
        found.append(Problem(shown, f"document_id is {value['document_id']!r}, expected {doc_id!r}", "suggestions.document_id"))
    for layer in ("mentions", "quotes"):
        for i, item in enumerate(value[layer]):
            if text[item["start"] : item["end"]] != item["text"]:
                found.append(
                    Problem(
                        shown,
                        f"`text` {item['text']!r} is not text.txt[{item['start']}:{item['end']}]",
                        "suggestions.span",
                        f"/{layer}/{i}",
                    )
                )
    return found


def read_suggestions(doc: Document, folder: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The checked suggestions.json of the validated ``doc`` in ``folder``: (None, []) when there is none."""
    path = folder / SUGGESTIONS_FILE
    if not path.exists() and not path.is_symlink():
        return None, []
    shown = corpus.display(path)
    value, _data, found = read_json_file(path, shown, limits)
    if value is None:
        return None, found
    found = problems(value, doc.text, doc.id, shown)
    return (None if found else value), found


def _next_id(prefix: str, used: Iterable[str]) -> str:
    numbers = [int(m.group(1)) for u in used if (m := re.fullmatch(rf"{prefix}(\d+)", u))]
    return f"{prefix}{max(numbers, default=0) + 1}"


class _Merger:
    """Moves suggested items into a copy of the gold annotations, renumbering ids."""

    def __init__(self, gold: dict[str, Any], sugg: dict[str, Any]) -> None:
        self.gold = copy.deepcopy(gold)
        self.sugg = sugg
        self.entities = {e["id"]: e for e in sugg["entities"]}
        self.mentions = {m["id"]: m for m in sugg["mentions"]}
        self.mention_ids: dict[str, str] = {}  # suggested mention id -> gold id
        # What gold already holds, by span: a suggestion found there was accepted before (or annotated by hand).
        self.gold_mention_at = {(m["start"], m["end"]): m for m in reversed(self.gold["mentions"])}
        self.gold_quote_at = {(q["start"], q["end"]): q["id"] for q in self.gold["quotes"]}
        self.already: list[str] = []  # suggestion ids found in gold

    def _entity(self, sid: str) -> str:
        want = self.entities[sid]
        for e in self.gold["entities"]:
            if (e["name"], e["type"]) == (want["name"], want["type"]):
                return str(e["id"])
        eid = _next_id("E", (e["id"] for e in self.gold["entities"]))
        self.gold["entities"].append({**want, "id": eid})
        return eid

    def mention(self, sid: str) -> str:
        if sid not in self.mention_ids:
            item = self.mentions[sid]
            there = self.gold_mention_at.get((item["start"], item["end"]))
            if there is not None:
                self.already.append(sid)
                self.mention_ids[sid] = there["id"]
                return self.mention_ids[sid]
            mid = _next_id("M", (m["id"] for m in self.gold["mentions"]))
            new = {**item, "id": mid, "entity_id": self._entity(item["entity_id"])}
            self.gold["mentions"].append(new)
            self.gold_mention_at[(item["start"], item["end"])] = new
            self.mention_ids[sid] = mid
        return self.mention_ids[sid]

    def quote(self, item: dict[str, Any]) -> None:
        if (item["start"], item["end"]) in self.gold_quote_at:
            self.already.append(item["id"])
            return
        qid = _next_id("Q", (q["id"] for q in self.gold["quotes"]))
        speaker = item["speaker_mention_id"]
        new = {**item, "id": qid}
        # A speaker guess is a suggested mention (it comes along) or a gold one (``suggest`` with gold names).
        if speaker is not None and speaker in self.mentions:
            new["speaker_mention_id"] = self.mention(speaker)
            new["speaker_entity_id"] = self.gold_mention_at[(self.mentions[speaker]["start"], self.mentions[speaker]["end"])]["entity_id"]
        self.gold["quotes"].append(new)
        self.gold_quote_at[(item["start"], item["end"])] = qid


def accept(
    gold: dict[str, Any], sugg: dict[str, Any], ids: list[str] | None
) -> tuple[dict[str, Any], dict[str, Any], list[str], list[str]]:
    """Gold with the suggestions ``ids`` (all when None) added, the suggestions left, the ids taken,
    and of those the ids that gold already held (on the same span), which were not added again.

    Raises KeyError naming an id that is not a suggested mention or quote.
    """
    known = _known(sugg, ids or [])
    wanted = known if ids is None else ids
    merger = _Merger(gold, sugg)
    for m in sugg["mentions"]:
        if m["id"] in wanted:
            merger.mention(m["id"])
    for q in sugg["quotes"]:
        if q["id"] in wanted:
            merger.quote(q)
    taken = set(wanted) | set(merger.mention_ids)
    return merger.gold, _without(sugg, taken), sorted(taken, key=known.index), sorted(merger.already, key=known.index)


def reject(sugg: dict[str, Any], ids: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The suggestions without the rejected ``ids``, and those ids in file order.

    A quote whose suggested speaker is rejected stays, without a speaker; an entity goes when no
    suggested mention is left for it.  Raises KeyError naming an id that is not a suggested
    mention or quote.
    """
    known = _known(sugg, ids)
    return _without(sugg, set(ids)), [i for i in known if i in ids]


def _known(sugg: dict[str, Any], ids: list[str]) -> list[str]:
    """The suggested mention and quote ids in file order; KeyError naming the first of ``ids`` not among them."""
    known = [m["id"] for m in sugg["mentions"]] + [q["id"] for q in sugg["quotes"]]
    for ident in ids:
        if ident not in known:
            raise KeyError(ident)
    return known


def _without(sugg: dict[str, Any], gone: set[str]) -> dict[str, Any]:
    """The suggestions left when the items ``gone`` (accepted or rejected) leave the file."""
    left = {
        "document_id": sugg["document_id"],
        "entities": [],
        "mentions": [m for m in sugg["mentions"] if m["id"] not in gone],
        "quotes": [dict(q) for q in sugg["quotes"] if q["id"] not in gone],
        "reasons": {k: v for k, v in sugg["reasons"].items() if k not in gone},
    }
    used = {m["entity_id"] for m in left["mentions"]}
    left["entities"] = [e for e in sugg["entities"] if e["id"] in used]
    # A quote left behind whose speaker mention is gone would point at a suggestion no longer there.
    for q in left["quotes"]:
        if q["speaker_mention_id"] in gone:
            q["speaker_mention_id"] = q["speaker_entity_id"] = None
    return left
