"""Label Studio JSON export to annotations.json: a task is parsed into the shared
:class:`~newsanno.convert.record.Record` and :func:`newsanno.convert.assemble.assemble` builds it.

A Label Studio export is a list of tasks; each has ``data.text`` and ``annotations``, whose first
annotation that was not cancelled holds ``result`` items: ``labels`` spans (``id``, ``value.start``,
``value.end``, ``value.text``, ``value.labels``) and ``relation`` links (``from_id``, ``to_id``,
``labels``).  A mapping config (JSON, see ``docs/labelstudio-config.example.json``) says what each
Label Studio label means:

``labels``: label name -> ``{"layer": "mention", "label": <entity type>, "form": NAM|NOM|PRO}``,
``{"layer": "quote", "kind": <quote kind>}``, ``{"layer": "cue"}`` or
``{"layer": "claim", "checkworthiness": CFS|UFS}``;
``relations``: relation label -> ``speaker`` | ``cue`` | ``claimant`` | ``in_quote`` | ``coref``.

A relation without a mapped label gets its kind from what it links (quote-mention: speaker, quote-cue:
cue, claim-mention: claimant, claim-quote: in_quote, mention-mention: coref), in either direction.
Entities are the coreference chains, named after their first mention.  Ids are assigned in text
order (M1, Q1, C1, E1).

A task written by :mod:`newsanno.convert.labelstudio_export` also carries ``data.newsanno``: the
exported spans' ids and order, entities, entity overrides, lint exceptions and provenance.  They are restored,
so the round trip is lossless; spans added in Label Studio follow the exported ones in text order
and get fresh ids.

Offsets: Label Studio (JavaScript) may count UTF-16 code units rather than code points.  When
every span's ``value.text`` matches the text in code points they are used as they are; otherwise,
when every span matches in UTF-16 units they are converted; an offset that falls inside a
surrogate pair is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsanno import schema
from newsanno.convert.assemble import assemble, assign_ids
from newsanno.convert.record import COREF, ENTITY_OVERRIDES, LAYERS, LINK_ENDS, EntityNote, Record, Span
from newsanno.problems import Problem, has_errors
from newsanno.validate import pointer

LINKS = (*LINK_ENDS, COREF)
# (layer of from, layer of to) -> relation kind, for relations without a mapped label.
_INFERRED = {ends: kind for kind, ends in LINK_ENDS.items()} | {("mention", "mention"): COREF}
# The key in a task's ``data`` under which an export keeps what Label Studio has no place for.
NOTES = "newsanno"


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


def _offsets_mode(text: str, spans: list[dict[str, Any]]) -> str | None:
    """ "codepoints" or "utf16": the counting under which every span's text matches; None if neither."""
    if all(0 <= s["start"] < s["end"] <= len(text) and text[s["start"] : s["end"]] == s["text"] for s in spans):
        return "codepoints"
    table = utf16_to_codepoints(text)

    def matches(s: dict[str, Any]) -> bool:
        if not 0 <= s["start"] < s["end"] < len(table):
            return False
        a, b = table[s["start"]], table[s["end"]]
        return a is not None and b is not None and text[a:b] == s["text"]

    return "utf16" if all(matches(s) for s in spans) else None


_Err = Callable[..., None]


def _results(task: Any, err: _Err) -> tuple[str, list[Any]] | None:
    """The text and the result list of the task's first annotation that was not cancelled."""
    text = task.get("data", {}).get("text") if isinstance(task, dict) and isinstance(task.get("data"), dict) else None
    if not isinstance(text, str):
        err("task has no data.text string", "labelstudio.shape")
        return None
    listed = task.get("annotations")
    annotations = [a for a in listed if isinstance(a, dict) and not a.get("was_cancelled")] if isinstance(listed, list) else []
    if not annotations or not isinstance(annotations[0].get("result"), list):
        err("task has no annotation with a result list", "labelstudio.shape")
        return None
    return text, annotations[0]["result"]


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


def _read_results(results: list[Any], config: dict[str, Any], err: _Err) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The labelled spans (with their mapping spec) and the relations of a result list."""
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
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
    return spans, relations


def _to_codepoints(text: str, spans: list[dict[str, Any]], err: _Err) -> bool:
    """Convert UTF-16 offsets in place when that is what the task counts; False (reported) when
    the offsets fit neither counting."""
    mode = _offsets_mode(text, spans)
    if mode == "codepoints":
        return True
    table = utf16_to_codepoints(text)
    if mode == "utf16":
        for s in spans:
            s["start"], s["end"] = table[s["start"]], table[s["end"]]
        return True
    reported = False
    for s in spans:
        if 0 <= s["start"] < s["end"] <= len(text) and text[s["start"] : s["end"]] == s["text"]:
            continue
        reported = True
        inside = [o for o in (s["start"], s["end"]) if 0 <= o < len(table) and table[o] is None]
        if inside:
            err(f"UTF-16 offset {inside[0]} splits a surrogate pair (a character outside the BMP)", "labelstudio.surrogate", s["rid"])
        else:
            shown = text[s["start"] : s["end"]]
            message = f"span text {s['text']!r} is found at {s['start']}..{s['end']} neither in code points ({shown!r}) nor in UTF-16 units"
            err(message, "labelstudio.offsets", s["rid"])
    if not reported:
        err("span offsets mix code points and UTF-16 units", "labelstudio.offsets")
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
    id_of = {s.key: i for s, i in zip(record.spans, assign_ids(record.spans), strict=True)}
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


def parse_task(task: Any, config: dict[str, Any], shown: str) -> tuple[Record | None, list[Problem]]:
    """The record of one Label Studio task, spans in text order (None when an error makes it
    unusable).  ``config`` must already be free of :func:`config_problems`."""
    problems: list[Problem] = []

    def err(message: str, code: str, ann_id: str | None = None, severity: str = "error") -> None:
        problems.append(Problem(shown, message, code, annotation_id=ann_id, severity=severity))  # type: ignore[arg-type]

    found = _results(task, err)
    if found is None:
        return None, problems
    text, results = found
    spans, relations = _read_results(results, config, err)
    if has_errors(problems) or not _to_codepoints(text, spans, err):
        return None, problems
    notes = _notes(task["data"].get(NOTES), err)
    if notes is None:
        return None, problems
    record = Record(entities=notes.entities, exceptions=notes.exceptions, provenance=notes.provenance)
    for s in spans:
        attrs = {k: v for k, v in s["spec"].items() if k != "layer"} | notes.overrides.get(s["rid"], {})
        span = Span(s["rid"], s["spec"]["layer"], s["start"], s["end"], text[s["start"] : s["end"]], attrs, notes.ids.get(s["rid"]))
        record.spans.append(span)
    # Exported spans keep their exported order; spans added in Label Studio follow in text order.
    record.spans.sort(key=lambda s: (0, notes.order[s.key], 0, "") if s.key in notes.order else (1, s.start, s.end, s.key))
    _links(relations, record, config, err)
    return (None if has_errors(problems) else record), problems


def import_task(task: Any, config: dict[str, Any], document_id: str, shown: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The annotations of one Label Studio task (None when an error makes them unusable).

    ``config`` must already be free of :func:`config_problems`.  ``shown`` names the task in
    problems, for instance ``export.json#3``.
    """
    record, problems = parse_task(task, config, shown)
    return (None if record is None else assemble(record, document_id)), problems
