"""brat standoff (``.txt`` + ``.ann``) to and from annotations.json.

Both ways go through :class:`~newsanno.convert.record.Record`: :func:`parse_ann` reads lines into a
record (checked against the ``.txt``, problems located by line), :func:`import_ann` assembles it
with :mod:`newsanno.convert.assemble`, and :func:`export_ann` writes the record of annotations.

Mapping (what brat can show natively):

- mention: ``T`` span typed by its label (PERSON, ORG, ...), ``A Form Tn NAM|NOM|PRO``;
- quote: ``T`` span typed ``Quote``, ``A Kind Tn direct|indirect|mixed|scare``;
- cue: ``T`` span typed ``Cue`` (one per distinct span), linked by ``R Cue Arg1:quote Arg2:cue``;
- claim: ``T`` span typed ``Claim``, ``A Checkworthiness Tn CFS|UFS``;
- ``R Speaker Arg1:quote Arg2:mention``, ``R Claimant Arg1:claim Arg2:mention``,
  ``R InQuote Arg1:claim Arg2:quote``;
- coreference: ``R Coref`` from each mention to the next mention of the same entity (a chain);
  brat's ``*\tEquiv`` lines are read as coreference too.

What brat has no place for rides in ``#`` AnnotatorNotes whose text is ``newsanno `` followed by
one compact JSON object, so that a round trip is lossless:

- ``{"id": "M1"}`` on every span: the annotation id;
- ``{"entity": {...}}`` on the first mention of each entity, in entity order: id, name, type,
  wikidata (``"mentionless": true`` and attached to the first span for an entity with no mention);
- ``{"exception": {...}}`` on the first span, in order: the accepted lint findings;
- ``{"speaker_entity_id": ...}`` / ``{"claimant_entity_id": ...}`` on a quote or claim whose entity
  is not the one of its linked mention (rare; normally it is derived from the relation).

Import accepts files made by hand in brat: spans without an id note get fresh ids (M<n>, Q<n>,
C<n>), coreference chains without an entity note become new entities named after their first
mention.  Notes whose text does not start with ``newsanno `` are ignored.  brat cannot express a
document with no span at all together with its entities or exceptions: those are reported as lost.
Discontinuous spans, events and normalizations are not part of the project's model and are
reported.  Offsets in brat are code points, as in text.txt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newsanno import schema
from newsanno.convert.assemble import DEFAULTS, assemble
from newsanno.convert.record import ENTITY_OVERRIDES, LINK_ENDS, EntityNote, Record, Span, from_annotations
from newsanno.problems import Problem, has_errors
from newsanno.validate import parse_json

NOTE_PREFIX = "newsanno "
QUOTE, CUE, CLAIM = "Quote", "Cue", "Claim"
FORM, KIND, CHECKWORTHINESS = "Form", "Kind", "Checkworthiness"
SPEAKER, CUE_REL, CLAIMANT, IN_QUOTE, COREF = "Speaker", "Cue", "Claimant", "InQuote", "Coref"
# Record layer -> brat span type (a mention's type is its entity label), and the attribute it carries.
SPAN_TYPES = {"quote": QUOTE, "cue": CUE, "claim": CLAIM}
ATTRIBUTES = {"mention": (FORM, "form"), "quote": (KIND, "kind"), "claim": (CHECKWORTHINESS, "checkworthiness")}
RELATIONS = {"speaker": SPEAKER, "cue": CUE_REL, "claimant": CLAIMANT, "in_quote": IN_QUOTE}


def _note(obj: dict[str, Any]) -> str:
    # json.dumps escapes newlines and tabs, so a note always stays on its one line.
    return NOTE_PREFIX + json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def annotation_conf() -> str:
    """A brat ``annotation.conf`` declaring the project's types, read from schema/."""
    labels = "\n".join(schema.ENTITY_TYPES)
    mention_types = "|".join(schema.ENTITY_TYPES)
    return (
        "[entities]\n"
        f"{labels}\n{QUOTE}\n{CUE}\n{CLAIM}\n\n"
        "[relations]\n"
        f"{SPEAKER}\tArg1:{QUOTE}, Arg2:{mention_types}\n"
        f"{CUE_REL}\tArg1:{QUOTE}, Arg2:{CUE}\n"
        f"{CLAIMANT}\tArg1:{CLAIM}, Arg2:{mention_types}\n"
        f"{IN_QUOTE}\tArg1:{CLAIM}, Arg2:{QUOTE}\n"
        f"{COREF}\tArg1:{mention_types}, Arg2:{mention_types}\n\n"
        "[events]\n\n"
        "[attributes]\n"
        f"{FORM}\tArg:{mention_types}, Value:{'|'.join(schema.MENTION_FORMS)}\n"
        f"{KIND}\tArg:{QUOTE}, Value:{'|'.join(schema.QUOTE_KINDS)}\n"
        f"{CHECKWORTHINESS}\tArg:{CLAIM}, Value:{'|'.join(schema.CHECKWORTHINESS)}\n"
    )


def export_ann(annotations: dict[str, Any]) -> tuple[str, list[Problem]]:
    """The ``.ann`` text of one document's annotations (the ``.txt`` is text.txt unchanged)."""
    return write_ann(from_annotations(annotations))


def write_ann(record: Record) -> tuple[str, list[Problem]]:
    """The ``.ann`` text of a record, and what brat could not hold (entities or exceptions of a
    document without spans)."""
    lines: list[str] = []
    notes: list[tuple[str, dict[str, Any]]] = []
    tid: dict[str, str] = {}  # record key -> T id
    attributes = 0
    problems: list[Problem] = []
    for n, s in enumerate(record.spans, 1):
        t = tid[s.key] = f"T{n}"
        if "\t" in s.text:
            # brat's fields are TAB-separated: such a line would not read back as written.
            problems.append(
                Problem(
                    "",
                    f"span {s.id or t} holds a TAB, which a brat .ann line cannot hold; the document is not exported",
                    "brat.unwritable",
                    annotation_id=s.id,
                )
            )
        typ = s.attrs["label"] if s.layer == "mention" else SPAN_TYPES[s.layer]
        # brat keeps one annotation per line and shows a line break inside a span as a space.
        lines.append(f"{t}\t{typ} {s.start} {s.end}\t{s.text.replace(chr(10), ' ')}")
        if s.layer in ATTRIBUTES:
            name, attr = ATTRIBUTES[s.layer]
            attributes += 1
            lines.append(f"A{attributes}\t{name} {t} {s.attrs.get(attr, DEFAULTS[attr])}")
        if s.id is not None:
            notes.append((t, {"id": s.id}))
    relations = [(RELATIONS[kind], a, b) for (a, kind), b in record.links.items()] + [(COREF, a, b) for a, b in record.coref]
    lines += [f"R{n}\t{name} Arg1:{tid[a]} Arg2:{tid[b]}" for n, (name, a, b) in enumerate(relations, 1)]
    problems += _record_notes(record, tid, notes)
    lines += [f"#{n}\tAnnotatorNotes {target}\t{_note(obj)}" for n, (target, obj) in enumerate(notes, 1)]
    return "".join(line + "\n" for line in lines), problems


def _record_notes(record: Record, tid: dict[str, str], notes: list[tuple[str, dict[str, Any]]]) -> list[Problem]:
    """Append the notes for what brat has no place for; the problems for what cannot be attached."""
    notes += [(tid[s.key], {k: s.attrs[k]}) for s in record.spans for k in ENTITY_OVERRIDES.values() if k in s.attrs]
    first = tid[record.spans[0].key] if record.spans else None
    problems: list[Problem] = []
    for entity, mention in record.entities:
        if mention is None and first is None:
            message = f"entity {entity['id']} is lost: brat notes need a span to attach to"
            problems.append(Problem("", message, "brat.lost", annotation_id=entity["id"], severity="warning"))
        elif mention is None:
            notes.append((first, {"entity": dict(entity), "mentionless": True}))  # type: ignore[arg-type]
        else:
            notes.append((tid[mention], {"entity": dict(entity)}))
    for x in record.exceptions:
        if first is None:
            problems.append(
                Problem("", f"lint exception {x['code']} is lost: brat notes need a span to attach to", "brat.lost", severity="warning")
            )
        else:
            notes.append((first, {"exception": dict(x)}))
    if record.provenance is not None and first is None:
        problems.append(Problem("", "provenance is lost: brat notes need a span to attach to", "brat.lost", severity="warning"))
    elif record.provenance is not None:
        notes.append((first, {"provenance": dict(record.provenance)}))
    return problems


@dataclass
class _T:
    tid: str
    type: str
    start: int
    end: int
    text: str
    line: int


@dataclass
class _Lines:
    """What the lines of a ``.ann`` file say, before any of it is checked against the rest."""

    spans: dict[str, _T] = field(default_factory=dict)
    attrs: dict[tuple[str, str], str] = field(default_factory=dict)  # (T id, attribute) -> value
    rels: list[tuple[str, str, str, int]] = field(default_factory=list)  # name, arg1, arg2, line
    equivs: list[list[str]] = field(default_factory=list)
    notes: list[tuple[str, dict[str, Any], int]] = field(default_factory=list)  # target, note object, line


_Err = Callable[..., None]


def _read_line(fields: list[str], n: int, found: _Lines, err: _Err) -> None:
    """Record one line; raises IndexError or ValueError when it cannot be parsed."""
    ident = fields[0]
    if ident.startswith("T"):
        typ, _, offsets = fields[1].partition(" ")
        if ";" in offsets:
            err(n, f"{ident}: discontinuous spans cannot be expressed in annotations.json", "brat.discontinuous")
            return
        start, end = (int(x) for x in offsets.split())
        found.spans[ident] = _T(ident, typ, start, end, fields[2], n)
    elif ident.startswith("A") or ident.startswith("M"):
        parts = fields[1].split()
        found.attrs[(parts[1], parts[0])] = parts[2] if len(parts) > 2 else "true"
    elif ident.startswith("R"):
        name, arg1, arg2 = fields[1].split()
        found.rels.append((name, arg1.split(":", 1)[1], arg2.split(":", 1)[1], n))
    elif ident == "*":
        _, *members = fields[1].split()
        found.equivs.append(members)
    elif ident.startswith("#"):
        _, target = fields[1].split()
        body = fields[2] if len(fields) > 2 else ""
        if body.startswith(NOTE_PREFIX):
            # Notes are untrusted input like annotations.json: the same strict reader (depth and
            # size limits, duplicate keys refused, no NaN or huge numbers).
            obj, faults = parse_json(body[len(NOTE_PREFIX) :].encode("utf-8"), f"note on line {n}")
            if faults:
                raise ValueError(f"note is not strict JSON: {faults[0].message}")
            if not isinstance(obj, dict):
                raise ValueError("note is not a JSON object")
            found.notes.append((target, obj, n))
    else:
        err(n, f"{ident}: this kind of brat annotation (events, normalizations) is not imported", "brat.unsupported", "warning")


def _read_lines(ann: str, text: str, err: _Err) -> _Lines:
    """Every line of the file, and each span's text checked against the ``.txt``."""
    found = _Lines()
    for n, raw in enumerate(ann.split("\n"), 1):
        if raw.strip():
            try:
                _read_line(raw.split("\t"), n, found, err)
            except (IndexError, ValueError) as exc:
                err(n, f"cannot parse line {raw[:80]!r}: {exc}", "brat.syntax")
    for s in found.spans.values():
        if not (0 <= s.start < s.end <= len(text)) or text[s.start : s.end].replace("\n", " ") != s.text:
            shown = text[s.start : s.end] if 0 <= s.start <= s.end <= len(text) else "out of range"
            err(s.line, f"{s.tid}: span text {s.text!r} but the .txt has {shown!r} at {s.start}..{s.end}", "brat.offsets")
        else:
            s.text = text[s.start : s.end]  # the .ann shows line breaks as spaces
    return found


def _read_notes(found: _Lines, record: Record, err: _Err) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Ids and entity overrides by T id; entities and exceptions go straight into the record."""
    ids: dict[str, str] = {}
    overrides: dict[str, dict[str, Any]] = {}
    for target, obj, n in found.notes:
        if target not in found.spans:
            err(n, f"note refers to unknown span {target}", "brat.dangling")
        elif "id" in obj and not isinstance(obj["id"], str):
            err(n, "id note must hold a string", "brat.bad_note")
        elif "id" in obj:
            ids[target] = obj["id"]
        elif "entity" in obj and not (isinstance(obj["entity"], dict) and isinstance(obj["entity"].get("id"), str)):
            err(n, "entity note must hold an object with a string id", "brat.bad_note")
        elif "exception" in obj and not isinstance(obj["exception"], dict):
            err(n, "exception note must hold an object", "brat.bad_note")
        elif "provenance" in obj and not isinstance(obj["provenance"], dict):
            err(n, "provenance note must hold an object", "brat.bad_note")
        elif "provenance" in obj:
            record.provenance = obj["provenance"]
        elif "entity" in obj:
            record.entities.append(EntityNote(obj["entity"], None if obj.get("mentionless") else target))
        elif "exception" in obj:
            record.exceptions.append(obj["exception"])
        else:
            overrides.setdefault(target, {}).update(obj)
    return ids, overrides


def _layer(typ: str) -> str | None:
    if typ in schema.ENTITY_TYPES:
        return "mention"
    return next((layer for layer, t in SPAN_TYPES.items() if t == typ), None)


def _record_spans(found: _Lines, ids: dict[str, str], overrides: dict[str, dict[str, Any]], err: _Err) -> list[Span]:
    """The record's spans in file order, with their brat attributes and note overrides."""
    spans: list[Span] = []
    for s in found.spans.values():
        layer = _layer(s.type)
        if layer is None:
            err(s.line, f"{s.tid}: unknown span type {s.type!r}", "brat.unknown_type")
            continue
        attrs: dict[str, Any] = {"label": s.type} if layer == "mention" else {}
        if layer in ATTRIBUTES and (s.tid, ATTRIBUTES[layer][0]) in found.attrs:
            attrs[ATTRIBUTES[layer][1]] = found.attrs[(s.tid, ATTRIBUTES[layer][0])]
        override = ENTITY_OVERRIDES.get(layer, "")
        if override in overrides.get(s.tid, {}):
            attrs[override] = overrides[s.tid][override]
        spans.append(Span(s.tid, layer, s.start, s.end, s.text, attrs, ids.get(s.tid)))
    return spans


def _coref(found: _Lines, err: _Err) -> list[tuple[str, str]]:
    pairs = [(a, b) for name, a, b, _ in found.rels if name == COREF]
    pairs += [(ms[0], m) for ms in found.equivs for m in ms[1:]]
    for a, b in pairs:
        if not all(x in found.spans and _layer(found.spans[x].type) == "mention" for x in (a, b)):
            err(None, f"coreference between {a} and {b}: both must be mentions", "brat.bad_relation")
    return pairs


def _links(found: _Lines, err: _Err) -> dict[tuple[str, str], str]:
    """Speaker, Cue, Claimant and InQuote relations, checked against the types they link."""
    kind_of = {name: kind for kind, name in RELATIONS.items()}
    links: dict[tuple[str, str], str] = {}
    for name, a, b, n in found.rels:
        if name == COREF:
            continue
        if name not in kind_of:
            err(n, f"unknown relation type {name!r}", "brat.unknown_relation")
            continue
        kind = kind_of[name]
        ends = tuple(_layer(found.spans[x].type) if x in found.spans else None for x in (a, b))
        if ends != LINK_ENDS[kind]:
            shown = [SPAN_TYPES.get(layer, layer) for layer in LINK_ENDS[kind]]
            err(n, f"{name} must link a {shown[0]} to a {shown[1]}", "brat.bad_relation")
        elif (a, kind) in links:
            err(n, f"{a} has more than one {name} relation", "brat.bad_relation")
        else:
            links[(a, kind)] = b
    return links


def parse_ann(ann: str, text: str, shown: str = "document.ann") -> tuple[Record | None, list[Problem]]:
    """The record of a ``.ann`` file and its ``.txt``; None when an error makes it unusable."""
    problems: list[Problem] = []

    def err(line: int | None, message: str, code: str, severity: str = "error") -> None:
        problems.append(Problem(shown, message, code, line=line, severity=severity))  # type: ignore[arg-type]

    found = _read_lines(ann, text, err)
    if has_errors(problems):
        return None, problems
    record = Record()
    ids, overrides = _read_notes(found, record, err)
    record.spans = _record_spans(found, ids, overrides, err)
    record.coref = _coref(found, err)
    if has_errors(problems):
        return None, problems
    record.links = _links(found, err)
    return (None if has_errors(problems) else record), problems


def import_ann(ann: str, text: str, document_id: str, shown: str = "document.ann") -> tuple[dict[str, Any] | None, list[Problem]]:
    """Annotations from a ``.ann`` file and its ``.txt``; None when an error makes them unusable."""
    record, problems = parse_ann(ann, text, shown)
    return (None if record is None else assemble(record, document_id)), problems
