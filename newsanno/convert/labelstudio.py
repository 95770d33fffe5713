"""Label Studio JSON export to annotations.json: a task is parsed into the shared
:class:`~newsanno.convert.record.Record` and :func:`newsanno.convert.assemble.assemble` builds it.

A Label Studio JSON export (``exportType=JSON``; JSON_MIN is recognised and refused, it drops
region ids and relations) is a list of tasks; each has ``data.text``, ``annotations`` and
``drafts``.  Which annotation is imported (:func:`choose_annotation`): the newest submitted one
that was not cancelled (skipped), by ``updated_at``, then ``created_at``, then id.  Label Studio
marks every imported annotation ``ground_truth``, so that flag says nothing about a person's
choice and is not used.  Cancelled annotations, older annotations and drafts are never taken,
and each is named in a warning; a task with no submitted annotation leaves its document as it is.

The annotation's ``result`` items: ``labels`` spans (``id``, ``value.start``, ``value.end``,
``value.text``, ``value.labels``), per-region fields under the span's id (the ``entity`` text
area: an entity id; the ``form`` choice: NAM, NOM or PRO) and ``relation`` links (``from_id``,
``to_id``, ``labels``).  A mapping config (JSON, see ``docs/labelstudio-config.example.json``)
says what each Label Studio label means:

``labels``: label name -> ``{"layer": "mention", "label": <entity type>, "form": NAM|NOM|PRO}``
(without ``form``: the region's form choice, else NAM),
``{"layer": "quote", "kind": <quote kind>}``, ``{"layer": "cue"}`` or
``{"layer": "claim", "checkworthiness": CFS|UFS}``;
``relations``: relation label -> ``speaker`` | ``cue`` | ``claimant`` | ``in_quote`` | ``coref``.

A relation without a mapped label gets its kind from what it links (quote-mention: speaker, quote-cue:
cue, claim-mention: claimant, claim-quote: in_quote, mention-mention: coref), in either direction.

Entities: mentions whose entity field holds the same value are one entity; a ``coref`` relation
joins two entities.  A value that is one of the document's entity ids (kept in ``data.newsanno``)
keeps that entity; any other value starts a new entity, and a mention with no value keeps the
entity it was exported with (a new one: an entity of its own).  So deleting a mention never
splits its entity.  An entity whose mentions were all deleted is removed, with a warning.  When
every mention of an entity carries one entity type that differs from the entity's, the entity
takes it; when they disagree, each mention off the entity's type is an error.  The file's provenance also rides in ``data.newsanno`` and is restored.

Ids: spans and entities keep their exported ids; a new one gets an id above every id the
document has used (``data.newsanno.high_water``), so an id never comes back meaning something else.

Offsets are code points, as Label Studio's ``<Text>`` counts.  Each region is checked against its
``value.text`` before it is trusted; a task whose every region fits in UTF-16 units instead (an
export written before exports counted code points) is converted, and a region that fits only the
other counting, or neither, is an error that says which counting did match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsanno import schema
from newsanno.convert.assemble import assemble, assign_ids
from newsanno.convert.labelstudio_entities import resolve_entities
from newsanno.convert.labelstudio_tasks import choose_annotation
from newsanno.convert.record import COREF, ENTITY_OVERRIDES, LAYERS, LINK_ENDS, EntityNote, Record, Span
from newsanno.problems import Problem, has_errors
from newsanno.validate import pointer
from newsanno.validate.spanhint import occurs_hint

LINKS = (*LINK_ENDS, COREF)
# (layer of from, layer of to) -> relation kind, for relations without a mapped label.
_INFERRED = {ends: kind for kind, ends in LINK_ENDS.items()} | {("mention", "mention"): COREF}
# The key in a task's ``data`` under which an export keeps what Label Studio has no place for.
NOTES = "newsanno"
# The per-region fields of a mention (Label Studio tag names) and the task field listing entities.
ENTITY_FIELD, FORM_FIELD, ENTITY_LIST = "entity", "form", "entities"


def config_problems(config: Any, shown: str) -> list[Problem]:
    """What is wrong with a mapping config (empty when it can be used)."""
    problems: list[Problem] = []

    def bad(pointer: str, message: str) -> None:
        problems.append(Problem(shown, message, "labelstudio.config", pointer=pointer))

    if not isinstance(config, dict) or not isinstance(config.get("labels"), dict):
        bad("", 'the config must be an object with a "labels" object')
        return problems
    allowed = {
        "mention": {"label": schema.ENTITY_TYPES, "form": schema.MENTION_FORMS},
        "quote": {"kind": schema.QUOTE_KINDS},
        "cue": {},
        "claim": {"checkworthiness": schema.CHECKWORTHINESS},
    }
    for name, spec in config["labels"].items():
        where = pointer(["labels", name])
        if not isinstance(spec, dict) or spec.get("layer") not in allowed:
            bad(where, f"label {name!r}: layer must be one of {', '.join(LAYERS)}")
            continue
        fields = allowed[spec["layer"]]
        for key in set(spec) - {"layer"} - set(fields):
            bad(where, f"label {name!r}: unknown key {key!r}")
        for key, values in fields.items():
            if key == "form" and key not in spec:
                continue  # form defaults to NAM
            if spec.get(key) not in values:
                bad(where, f"label {name!r}: {key} must be one of {', '.join(values)}, got {spec.get(key)!r}")
    relations = config.get("relations", {})
    if not isinstance(relations, dict):
        bad("/relations", '"relations" must be an object')
    else:
        for name, kind in relations.items():
            if kind not in LINKS:
                bad(f"/relations/{name}", f"relation {name!r} must map to one of {', '.join(LINKS)}, got {kind!r}")
    return problems


def utf16_to_codepoints(text: str) -> list[int | None]:
    """For each UTF-16 offset 0..len16, the code point offset there (None inside a surrogate pair)."""
    table: list[int | None] = []
    for i, ch in enumerate(text):
        table.append(i)
        if ord(ch) > 0xFFFF:
            table.append(None)
    table.append(len(text))
    return table


def _at_codepoints(text: str, s: dict[str, Any]) -> str | None:
    return text[s["start"] : s["end"]] if 0 <= s["start"] < s["end"] <= len(text) else None


def _at_utf16(table: list[int | None], text: str, s: dict[str, Any]) -> str | None:
    if not 0 <= s["start"] < s["end"] < len(table):
        return None
    a, b = table[s["start"]], table[s["end"]]
    return None if a is None or b is None else text[a:b]


_Err = Callable[..., None]


def _is_labels(item: dict[str, Any]) -> bool:
    value = item.get("value")
    return (
        isinstance(value, dict)
        and isinstance(item.get("id"), str)
        and all(isinstance(value.get(k), int) and not isinstance(value.get(k), bool) for k in ("start", "end"))
        and isinstance(value.get("text"), str)
        and isinstance(value.get("labels"), list)
        and len(value["labels"]) == 1
        and isinstance(value["labels"][0], str)
    )


def _field_value(item: dict[str, Any]) -> str | None:
    """The value of a per-region entity text area or form choice (None when empty)."""
    value = item.get("value") if isinstance(item.get("value"), dict) else {}
    listed = value.get("text") if item.get("from_name") == ENTITY_FIELD else value.get("choices")
    if isinstance(listed, str):
        listed = [listed]
    words = [w.strip() for w in listed if isinstance(w, str) and w.strip()] if isinstance(listed, list) else []
    return words[-1] if words else None


def _read_results(results: list[Any], config: dict[str, Any], err: _Err) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The labelled spans (with their mapping spec and per-region fields) and the relations of a result list."""
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    fields: dict[str, dict[str, str]] = {}
    for item in results:
        if not isinstance(item, dict):
            err("result item is not an object", "labelstudio.shape")
            continue
        rid = item.get("id") if isinstance(item.get("id"), str) else None
        if item.get("type") == "relation":
            if isinstance(item.get("from_id"), str) and isinstance(item.get("to_id"), str):
                relations.append(item)
            else:
                err("relation without from_id/to_id", "labelstudio.shape", rid)
        elif item.get("from_name") in (ENTITY_FIELD, FORM_FIELD) and item.get("type") in ("textarea", "choices") and rid:
            if (value := _field_value(item)) is not None:
                fields.setdefault(rid, {})[item["from_name"]] = value
        elif item.get("type") != "labels":
            err(f"result type {item.get('type')!r} is not imported", "labelstudio.unsupported", rid, "warning")
        elif not _is_labels(item):
            err("a labels result needs an id and value.start, value.end, value.text and exactly one label", "labelstudio.shape", rid)
        elif item["value"]["labels"][0] not in config["labels"]:
            err(f"label {item['value']['labels'][0]!r} is not in the mapping config", "labelstudio.unknown_label", rid)
        else:
            value = item["value"]
            spec = config["labels"][value["labels"][0]]
            spans.append({"rid": rid, "start": value["start"], "end": value["end"], "text": value["text"], "spec": spec})
    by_id = {s["rid"]: s for s in spans}
    for rid, found in fields.items():
        if rid not in by_id:
            err(f"a per-region field ({', '.join(found)}) belongs to no labelled region", "labelstudio.dangling", rid, "warning")
        elif by_id[rid]["spec"]["layer"] == "mention":
            by_id[rid]["fields"] = found
        else:
            err(
                f"the {', '.join(found)} field of a {by_id[rid]['spec']['layer']} region is ignored",
                "labelstudio.unsupported",
                rid,
                "warning",
            )
    return spans, relations


def _to_codepoints(text: str, spans: list[dict[str, Any]], err: _Err) -> bool:
    """Check every region against its text; False (reported) when one does not fit.

    Regions count code points.  A task whose regions all fit UTF-16 units, and not all code
    points, comes from an older export: it is converted, with a warning.
    """
    off = [s for s in spans if _at_codepoints(text, s) != s["text"]]
    if not off:
        return True
    table = utf16_to_codepoints(text)
    if all(_at_utf16(table, text, s) == s["text"] for s in spans):
        for s in spans:
            s["start"], s["end"] = table[s["start"]], table[s["end"]]
        err(
            "region offsets count UTF-16 units (an export from before exports counted code points); converted",
            "labelstudio.utf16",
            None,
            "warning",
        )
        return True
    for s in off:
        where, said = f"{s['start']}..{s['end']}", s["text"]
        in_cp, in_16 = _at_codepoints(text, s), _at_utf16(table, text, s)
        hint = occurs_hint(text, said, s["start"])
        if in_16 == said:
            message = f"region text {said!r} is at {where} in UTF-16 units, not in code points ({in_cp!r} there) as the task's other regions count"
        else:
            shown16 = repr(in_16) if in_16 is not None else "which split a character outside the BMP"
            message = f"region text {said!r} is at {where} neither in code points ({in_cp!r} there) nor in UTF-16 units ({shown16})"
        problems_hint = f"{hint} in code points" if hint else "the text is nowhere in data.text"
        err(message, "labelstudio.offsets", s["rid"], "error", problems_hint)
    return False


@dataclass
class _Notes:
    """What an export kept in ``data.newsanno``: span order and ids, entity overrides, entities
    and exceptions (all empty for a task that Label Studio made)."""

    order: dict[str, int] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    entities: list[EntityNote] = field(default_factory=list)
    exceptions: list[dict[str, Any]] = field(default_factory=list)
    provenance: dict[str, Any] | None = None
    mention_entities: dict[str, str] = field(default_factory=dict)
    high_water: dict[str, int] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)


def _notes(block: Any, err: _Err) -> _Notes | None:
    """The notes of a task, or None (reported) when ``data.newsanno`` has the wrong shape."""
    notes = _Notes()
    if block is None:
        return notes
    try:
        for n, (key, sid) in enumerate(block.get("spans", [])):
            if not isinstance(key, str) or not isinstance(sid, str | None):
                raise TypeError("spans must be [result id, annotation id or null] pairs")
            notes.order[key] = n
            if sid is not None:
                notes.ids[key] = sid
        for key, attrs in block.get("overrides", {}).items():
            if not isinstance(attrs, dict):
                raise TypeError("overrides must be objects")
            notes.overrides[key] = {k: attrs[k] for k in ENTITY_OVERRIDES.values() if k in attrs}
        for item in block.get("entities", []):
            if not isinstance(item["entity"], dict) or not isinstance(item["entity"]["id"], str):
                raise TypeError("an entity needs a string id")
            notes.entities.append(EntityNote(dict(item["entity"]), item.get("mention")))
        notes.exceptions = list(block.get("exceptions", []))
        notes.mention_entities = {str(k): str(v) for k, v in block.get("mention_entities", {}).items()}
        notes.high_water = {str(k): int(v) for k, v in block.get("high_water", {}).items()}
        notes.links = [(str(a), str(kind), str(b)) for a, kind, b in block.get("links", [])]
        if not all(isinstance(x, dict) for x in notes.exceptions):
            raise TypeError("exceptions must be objects")
        notes.provenance = block.get("provenance")
        if notes.provenance is not None and not isinstance(notes.provenance, dict):
            raise TypeError("provenance must be an object")
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        err(f"data.{NOTES} is not what an export writes ({exc.__class__.__name__}: {exc})", "labelstudio.bad_note")
        return None
    return notes


def _relation_kind(r: dict[str, Any], spans: dict[str, Span], label_kinds: dict[str, str]) -> tuple[str | None, Span, Span, list[str]]:
    """The kind of a relation (None when its ends or labels do not allow one), its source and
    target turned to point from quote or claim (or from the first mention), and its label names."""
    a, b = spans[r["from_id"]], spans[r["to_id"]]
    if (a.layer, b.layer) not in _INFERRED and (b.layer, a.layer) in _INFERRED:
        a, b = b, a
    inferred = _INFERRED.get((a.layer, b.layer))
    names = [n for n in r.get("labels") or [] if isinstance(n, str)] if isinstance(r.get("labels"), list | None) else []
    mapped = {label_kinds[n] for n in names if n in label_kinds}
    return (None if mapped and mapped != {inferred} else inferred), a, b, names


def _links(relations: list[dict[str, Any]], record: Record, config: dict[str, Any], err: _Err) -> None:
    """Fill the record's links and coreference pairs from the task's relations."""
    by_key = {s.key: s for s in record.spans}
    id_of = {s.key: i for s, i in zip(record.spans, assign_ids(record.spans, record.id_floor), strict=True)}
    for r in relations:
        if r["from_id"] not in by_key or r["to_id"] not in by_key:
            err(f"relation {r['from_id']} -> {r['to_id']} refers to a span that is not imported", "labelstudio.dangling")
            continue
        kind, a, b, names = _relation_kind(r, by_key, config.get("relations", {}))
        if kind is None:
            err(f"relation {names or ''} cannot link a {a.layer} to a {b.layer}", "labelstudio.bad_relation", id_of[a.key])
        elif kind == COREF:
            record.coref.append((a.key, b.key))
        elif record.links.get((a.key, kind), b.key) != b.key:
            err(f"{a.layer} has more than one {kind} link", "labelstudio.bad_relation", id_of[a.key])
        else:
            record.links[(a.key, kind)] = b.key


def _lost_links(record: Record, exported: list[tuple[str, str, str]], err: _Err) -> None:
    """Warn of each exported link that went with its deleted target (Label Studio drops a
    region's relations with it), so a quote never loses its speaker without a word."""
    present = {s.key: s for s in record.spans}
    for a, kind, b in exported:
        if a in present and b not in present and (a, kind) not in record.links:
            who = present[a].id or a
            message = f"{present[a].layer} {who}'s {kind} {b} was deleted, and the link with it: {who} now has no {kind}"
            err(message, "labelstudio.link_lost", who, "warning", f"draw a new {kind} relation in Label Studio if it has one")


def parse_task(task: Any, config: dict[str, Any], shown: str) -> tuple[Record | None, list[Problem]]:
    """The record of one Label Studio task, spans in text order (None when an error makes it
    unusable, or when the task has no submitted annotation to take).  ``config`` must already be
    free of :func:`config_problems`."""
    problems: list[Problem] = []

    def err(message: str, code: str, ann_id: str | None = None, severity: str = "error", hint: str | None = None) -> None:
        problems.append(Problem(shown, message, code, annotation_id=ann_id, hint=hint, severity=severity))  # type: ignore[arg-type]

    text = task.get("data", {}).get("text") if isinstance(task, dict) and isinstance(task.get("data"), dict) else None
    if not isinstance(text, str):
        err("task has no data.text string", "labelstudio.shape")
        return None, problems
    chosen = choose_annotation(task, shown)
    problems.extend(chosen.problems)
    if chosen.annotation is None:
        return None, problems
    spans, relations = _read_results(chosen.annotation["result"], config, err)
    if has_errors(problems) or not _to_codepoints(text, spans, err):
        return None, problems
    notes = _notes(task["data"].get(NOTES), err)
    if notes is None:
        return None, problems
    record = Record(exceptions=notes.exceptions, id_floor=dict(notes.high_water), provenance=notes.provenance)
    fields: dict[str, dict[str, str]] = {}
    for s in spans:
        given = s.get("fields", {})
        attrs = {k: v for k, v in s["spec"].items() if k != "layer"} | notes.overrides.get(s["rid"], {})
        if s["spec"]["layer"] == "mention" and "form" in given:
            if given["form"] not in schema.MENTION_FORMS:
                err(f"form {given['form']!r} is not one of {', '.join(schema.MENTION_FORMS)}", "labelstudio.shape", s["rid"])
            attrs["form"] = given["form"]
        span = Span(s["rid"], s["spec"]["layer"], s["start"], s["end"], text[s["start"] : s["end"]], attrs, notes.ids.get(s["rid"]))
        record.spans.append(span)
        fields[s["rid"]] = given
    # Exported spans keep their exported order; spans added in Label Studio follow in text order.
    record.spans.sort(key=lambda s: (0, notes.order[s.key], 0, "") if s.key in notes.order else (1, s.start, s.end, s.key))
    _links(relations, record, config, err)
    if has_errors(problems):
        return None, problems
    _lost_links(record, notes.links, err)
    given_entity = {key: f[ENTITY_FIELD] for key, f in fields.items() if ENTITY_FIELD in f}
    problems.extend(resolve_entities(record, notes.entities, notes.mention_entities, given_entity, shown))
    return (None if has_errors(problems) else record), problems


def import_task(task: Any, config: dict[str, Any], document_id: str, shown: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The annotations of one Label Studio task (None when an error makes them unusable, or when
    there is no submitted annotation to take: a warning then says so).

    ``config`` must already be free of :func:`config_problems`.  ``shown`` names the task in
    problems, for instance ``export.json#3``.
    """
    record, problems = parse_task(task, config, shown)
    return (None if record is None else assemble(record, document_id)), problems
