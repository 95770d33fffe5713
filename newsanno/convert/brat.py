"""brat standoff (``.txt`` + ``.ann``) to and from annotations.json.

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

import itertools
import json
from dataclasses import dataclass
from typing import Any

from newsanno import schema
from newsanno.problems import Problem

NOTE_PREFIX = "newsanno "
QUOTE, CUE, CLAIM = "Quote", "Cue", "Claim"
FORM, KIND, CHECKWORTHINESS = "Form", "Kind", "Checkworthiness"
SPEAKER, CUE_REL, CLAIMANT, IN_QUOTE, COREF = "Speaker", "Cue", "Claimant", "InQuote", "Coref"


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
    lines: list[str] = []
    notes: list[tuple[str, dict[str, Any]]] = []
    problems: list[Problem] = []
    tid: dict[str, str] = {}  # annotation id -> T id
    counter = {"T": 0, "A": 0, "R": 0}

    def new(kind: str) -> str:
        counter[kind] += 1
        return f"{kind}{counter[kind]}"

    def span(typ: str, item: dict[str, Any]) -> str:
        t = new("T")
        # brat keeps one annotation per line and shows a line break inside a span as a space.
        lines.append(f"{t}\t{typ} {item['start']} {item['end']}\t{item['text'].replace(chr(10), ' ')}")
        return t

    def attribute(name: str, target: str, value: str) -> None:
        lines.append(f"{new('A')}\t{name} {target} {value}")

    def relation(name: str, arg1: str, arg2: str) -> None:
        lines.append(f"{new('R')}\t{name} Arg1:{arg1} Arg2:{arg2}")

    mentions, quotes, claims = annotations["mentions"], annotations["quotes"], annotations["claims"]
    entity_of = {m["id"]: m["entity_id"] for m in mentions}
    for m in mentions:
        t = tid[m["id"]] = span(m["label"], m)
        attribute(FORM, t, m["form"])
        notes.append((t, {"id": m["id"]}))
    cues: dict[tuple[int, int], str] = {}
    for q in quotes:
        t = tid[q["id"]] = span(QUOTE, q)
        attribute(KIND, t, q["kind"])
        notes.append((t, {"id": q["id"]}))
    for q in quotes:
        cue = q["cue"]
        if cue is not None:
            key = (cue["start"], cue["end"])
            if key not in cues:
                cues[key] = span(CUE, cue)
    for c in claims:
        t = tid[c["id"]] = span(CLAIM, c)
        attribute(CHECKWORTHINESS, t, c["checkworthiness"])
        notes.append((t, {"id": c["id"]}))
    for q in quotes:
        if q["speaker_mention_id"] is not None:
            relation(SPEAKER, tid[q["id"]], tid[q["speaker_mention_id"]])
        if q["cue"] is not None:
            relation(CUE_REL, tid[q["id"]], cues[(q["cue"]["start"], q["cue"]["end"])])
        if q["speaker_entity_id"] != entity_of.get(q["speaker_mention_id"] or ""):
            notes.append((tid[q["id"]], {"speaker_entity_id": q["speaker_entity_id"]}))
    for c in claims:
        if c["claimant_mention_id"] is not None:
            relation(CLAIMANT, tid[c["id"]], tid[c["claimant_mention_id"]])
        if c["quote_id"] is not None:
            relation(IN_QUOTE, tid[c["id"]], tid[c["quote_id"]])
        if c["claimant_entity_id"] != entity_of.get(c["claimant_mention_id"] or ""):
            notes.append((tid[c["id"]], {"claimant_entity_id": c["claimant_entity_id"]}))
    chains: dict[str, list[str]] = {}
    for m in mentions:
        chains.setdefault(m["entity_id"], []).append(tid[m["id"]])
    for chain in chains.values():
        for a, b in itertools.pairwise(chain):
            relation(COREF, a, b)
    first = next(iter(tid.values()), None)
    for e in annotations["entities"]:
        chain = chains.get(e["id"])
        target = chain[0] if chain else first
        if target is None:
            problems.append(
                Problem("", f"entity {e['id']} is lost: brat notes need a span to attach to", "brat.lost", annotation_id=e["id"])
            )
            continue
        notes.append((target, {"entity": dict(e)} if chain else {"entity": dict(e), "mentionless": True}))
    for x in annotations.get("exceptions", []):
        if first is None:
            problems.append(Problem("", f"lint exception {x['code']} is lost: brat notes need a span to attach to", "brat.lost"))
            continue
        notes.append((first, {"exception": dict(x)}))
    for i, (target, obj) in enumerate(notes, 1):
        lines.append(f"#{i}\tAnnotatorNotes {target}\t{_note(obj)}")
    return "".join(line + "\n" for line in lines), problems


@dataclass
class _Span:
    tid: str
    type: str
    start: int
    end: int
    text: str
    line: int


def _union_find(pairs: list[tuple[str, str]], items: list[str]) -> dict[str, str]:
    parent = {i: i for i in items}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            # The earlier mention stays the root, so a chain's root is its first mention.
            if items.index(ra) < items.index(rb):
                parent[rb] = ra
            else:
                parent[ra] = rb
    return {i: root(i) for i in items}


def import_ann(ann: str, text: str, document_id: str, shown: str = "document.ann") -> tuple[dict[str, Any] | None, list[Problem]]:
    """Annotations from a ``.ann`` file and its ``.txt``; None when an error makes them unusable."""
    problems: list[Problem] = []

    def err(line: int | None, message: str, code: str, severity: str = "error") -> None:
        problems.append(Problem(shown, message, code, line=line, severity=severity))  # type: ignore[arg-type]

    spans: dict[str, _Span] = {}
    attrs: dict[tuple[str, str], str] = {}
    rels: list[tuple[str, str, str, int]] = []
    equivs: list[list[str]] = []
    notes: list[tuple[str, dict[str, Any], int]] = []
    for n, raw in enumerate(ann.split("\n"), 1):
        if not raw.strip():
            continue
        fields = raw.split("\t")
        ident = fields[0]
        try:
            if ident.startswith("T"):
                typ, _, offsets = fields[1].partition(" ")
                if ";" in offsets:
                    err(n, f"{ident}: discontinuous spans cannot be expressed in annotations.json", "brat.discontinuous")
                    continue
                start, end = (int(x) for x in offsets.split())
                spans[ident] = _Span(ident, typ, start, end, fields[2], n)
            elif ident.startswith("A") or ident.startswith("M"):
                parts = fields[1].split()
                attrs[(parts[1], parts[0])] = parts[2] if len(parts) > 2 else "true"
            elif ident.startswith("R"):
                name, arg1, arg2 = fields[1].split()
                rels.append((name, arg1.split(":", 1)[1], arg2.split(":", 1)[1], n))
            elif ident == "*":
                name, *members = fields[1].split()
                equivs.append(members)
            elif ident.startswith("#"):
                _, target = fields[1].split()
                body = fields[2] if len(fields) > 2 else ""
                if body.startswith(NOTE_PREFIX):
                    obj = json.loads(body[len(NOTE_PREFIX) :])
                    if not isinstance(obj, dict):
                        raise ValueError("note is not a JSON object")
                    notes.append((target, obj, n))
            else:
                err(n, f"{ident}: this kind of brat annotation (events, normalizations) is not imported", "brat.unsupported", "warning")
        except (IndexError, ValueError) as exc:
            err(n, f"cannot parse line {raw[:80]!r}: {exc}", "brat.syntax")
    for s in spans.values():
        if not (0 <= s.start < s.end <= len(text)) or text[s.start : s.end].replace("\n", " ") != s.text:
            found = text[s.start : s.end] if 0 <= s.start <= s.end <= len(text) else "out of range"
            err(s.line, f"{s.tid}: span text {s.text!r} but the .txt has {found!r} at {s.start}..{s.end}", "brat.offsets")
        else:
            s.text = text[s.start : s.end]
    if problems and any(p.severity == "error" for p in problems):
        return None, problems

    ids: dict[str, str] = {}
    overrides: dict[str, dict[str, Any]] = {}
    entity_notes: list[tuple[str, dict[str, Any], bool]] = []
    exceptions: list[dict[str, Any]] = []
    for target, obj, n in notes:
        if target not in spans:
            err(n, f"note refers to unknown span {target}", "brat.dangling")
        elif "id" in obj and not isinstance(obj["id"], str):
            err(n, "id note must hold a string", "brat.bad_note")
        elif "id" in obj:
            ids[target] = obj["id"]
        elif "entity" in obj and not (isinstance(obj["entity"], dict) and isinstance(obj["entity"].get("id"), str)):
            err(n, "entity note must hold an object with a string id", "brat.bad_note")
        elif "exception" in obj and not isinstance(obj["exception"], dict):
            err(n, "exception note must hold an object", "brat.bad_note")
        elif "entity" in obj:
            entity_notes.append((target, obj["entity"], bool(obj.get("mentionless"))))
        elif "exception" in obj:
            exceptions.append(obj["exception"])
        else:
            overrides.setdefault(target, {}).update(obj)

    labels = set(schema.ENTITY_TYPES)
    kinds = {QUOTE: "Q", CLAIM: "C"}
    order = {QUOTE: [], CLAIM: [], CUE: [], "mention": []}  # type: dict[str, list[_Span]]
    for s in spans.values():
        if s.type in labels:
            order["mention"].append(s)
        elif s.type in order:
            order[s.type].append(s)
        else:
            err(s.line, f"{s.tid}: unknown span type {s.type!r}", "brat.unknown_type")
    taken = set(ids.values())

    def fresh(prefix: str) -> str:
        k = 1
        while f"{prefix}{k}" in taken:
            k += 1
        taken.add(f"{prefix}{k}")
        return f"{prefix}{k}"

    for s in order["mention"]:
        ids.setdefault(s.tid, fresh("M"))
    for typ, prefix in kinds.items():
        for s in order[typ]:
            ids.setdefault(s.tid, fresh(prefix))

    mention_tids = [s.tid for s in order["mention"]]
    pairs = [(a, b) for name, a, b, _ in rels if name == COREF]
    pairs += [(ms[0], m) for ms in equivs for m in ms[1:]]
    for a, b in pairs:
        if a not in spans or b not in spans or spans[a].type not in labels or spans[b].type not in labels:
            err(None, f"coreference between {a} and {b}: both must be mentions", "brat.bad_relation")
    if any(p.severity == "error" for p in problems):
        return None, problems
    chain_root = _union_find(pairs, mention_tids)

    entities: list[dict[str, Any]] = []
    entity_of_root: dict[str, str] = {}
    entity_ids = {e["id"] for _, e, _ in entity_notes}
    for target, e, mentionless in entity_notes:
        entities.append(dict(e))
        if not mentionless:
            entity_of_root[chain_root.get(target, target)] = e["id"]
    for t in mention_tids:
        root = chain_root[t]
        if root not in entity_of_root:
            k = 1
            while f"E{k}" in entity_ids:
                k += 1
            entity_ids.add(f"E{k}")
            entity_of_root[root] = f"E{k}"
            s = spans[root]
            entities.append({"id": f"E{k}", "name": s.text, "type": s.type, "wikidata": None})

    mentions = [
        {
            "id": ids[s.tid],
            "entity_id": entity_of_root[chain_root[s.tid]],
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "label": s.type,
            "form": attrs.get((s.tid, FORM), "NAM"),
        }
        for s in order["mention"]
    ]
    entity_of_mention = {ids[s.tid]: m["entity_id"] for s, m in zip(order["mention"], mentions, strict=True)}
    links: dict[tuple[str, str], str] = {}
    for name, a, b, n in rels:
        if name == COREF:
            continue
        expected = {SPEAKER: (QUOTE, "mention"), CUE_REL: (QUOTE, CUE), CLAIMANT: (CLAIM, "mention"), IN_QUOTE: (CLAIM, QUOTE)}.get(name)
        if expected is None:
            err(n, f"unknown relation type {name!r}", "brat.unknown_relation")
            continue
        kind_b = "mention" if b in spans and spans[b].type in labels else (spans[b].type if b in spans else None)
        if a not in spans or spans[a].type != expected[0] or kind_b != expected[1]:
            err(n, f"{name} must link a {expected[0]} to a {expected[1]}", "brat.bad_relation")
            continue
        if (a, name) in links:
            err(n, f"{a} has more than one {name} relation", "brat.bad_relation")
            continue
        links[(a, name)] = b

    quotes = []
    for s in order[QUOTE]:
        speaker = links.get((s.tid, SPEAKER))
        cue = links.get((s.tid, CUE_REL))
        speaker_mention = ids[speaker] if speaker else None
        quote = {
            "id": ids[s.tid],
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "kind": attrs.get((s.tid, KIND), "direct"),
            "speaker_mention_id": speaker_mention,
            "speaker_entity_id": entity_of_mention.get(speaker_mention or ""),
            "cue": {"start": spans[cue].start, "end": spans[cue].end, "text": spans[cue].text} if cue else None,
        }
        quote.update({k: v for k, v in overrides.get(s.tid, {}).items() if k == "speaker_entity_id"})
        quotes.append(quote)
    claims = []
    for s in order[CLAIM]:
        claimant = links.get((s.tid, CLAIMANT))
        in_quote = links.get((s.tid, IN_QUOTE))
        claimant_mention = ids[claimant] if claimant else None
        claim = {
            "id": ids[s.tid],
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "claimant_entity_id": entity_of_mention.get(claimant_mention or ""),
            "claimant_mention_id": claimant_mention,
            "checkworthiness": attrs.get((s.tid, CHECKWORTHINESS), "CFS"),
            "quote_id": ids[in_quote] if in_quote else None,
        }
        claim.update({k: v for k, v in overrides.get(s.tid, {}).items() if k == "claimant_entity_id"})
        claims.append(claim)
    if any(p.severity == "error" for p in problems):
        return None, problems
    result = {
        "document_id": document_id,
        "entities": entities,
        "mentions": mentions,
        "quotes": quotes,
        "claims": claims,
        "exceptions": exceptions,
    }
    return result, problems
