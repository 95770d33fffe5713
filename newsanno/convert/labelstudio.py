"""Label Studio JSON export to annotations.json.

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

Offsets: Label Studio (JavaScript) may count UTF-16 code units rather than code points.  When
every span's ``value.text`` matches the text in code points they are used as they are; otherwise,
when every span matches in UTF-16 units they are converted; an offset that falls inside a
surrogate pair is an error.
"""

from __future__ import annotations

from typing import Any

from newsanno import schema
from newsanno.problems import Problem
from newsanno.validate import pointer

LAYERS = ("mention", "quote", "cue", "claim")
LINKS = ("speaker", "cue", "claimant", "in_quote", "coref")
# (layer of from, layer of to) -> relation kind, for relations without a mapped label.
_INFERRED = {
    ("quote", "mention"): "speaker",
    ("quote", "cue"): "cue",
    ("claim", "mention"): "claimant",
    ("claim", "quote"): "in_quote",
    ("mention", "mention"): "coref",
}


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


def import_task(task: Any, config: dict[str, Any], document_id: str, shown: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The annotations of one Label Studio task (None when an error makes them unusable).

    ``config`` must already be free of :func:`config_problems`.  ``shown`` names the task in
    problems, for instance ``export.json#3``.
    """
    problems: list[Problem] = []

    def err(message: str, code: str, ann_id: str | None = None, severity: str = "error") -> None:
        problems.append(Problem(shown, message, code, annotation_id=ann_id, severity=severity))  # type: ignore[arg-type]

    text = task.get("data", {}).get("text") if isinstance(task, dict) and isinstance(task.get("data"), dict) else None
    if not isinstance(text, str):
        err("task has no data.text string", "labelstudio.shape")
        return None, problems
    listed = task.get("annotations")
    annotations = [a for a in listed if isinstance(a, dict) and not a.get("was_cancelled")] if isinstance(listed, list) else []
    if not annotations or not isinstance(annotations[0].get("result"), list):
        err("task has no annotation with a result list", "labelstudio.shape")
        return None, problems

    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for item in annotations[0]["result"]:
        if not isinstance(item, dict):
            err("result item is not an object", "labelstudio.shape")
            continue
        rid = item.get("id") if isinstance(item.get("id"), str) else None
        if item.get("type") == "relation":
            if isinstance(item.get("from_id"), str) and isinstance(item.get("to_id"), str):
                relations.append(item)
            else:
                err("relation without from_id/to_id", "labelstudio.shape", rid)
            continue
        if item.get("type") != "labels":
            err(f"result type {item.get('type')!r} is not imported", "labelstudio.unsupported", rid, "warning")
            continue
        value = item.get("value")
        ok = (
            isinstance(value, dict)
            and rid is not None
            and all(isinstance(value.get(k), int) and not isinstance(value.get(k), bool) for k in ("start", "end"))
            and isinstance(value.get("text"), str)
            and isinstance(value.get("labels"), list)
            and len(value["labels"]) == 1
            and isinstance(value["labels"][0], str)
        )
        if not ok:
            err("a labels result needs an id and value.start, value.end, value.text and exactly one label", "labelstudio.shape", rid)
            continue
        spec = config["labels"].get(value["labels"][0])
        if spec is None:
            err(f"label {value['labels'][0]!r} is not in the mapping config", "labelstudio.unknown_label", rid)
            continue
        spans.append({"rid": rid, "start": value["start"], "end": value["end"], "text": value["text"], "spec": spec})
    if any(p.severity == "error" for p in problems):
        return None, problems

    mode = _offsets_mode(text, spans)
    if mode is None:
        table = utf16_to_codepoints(text)
        for s in spans:
            if 0 <= s["start"] < s["end"] <= len(text) and text[s["start"] : s["end"]] == s["text"]:
                continue
            inside = [o for o in (s["start"], s["end"]) if 0 <= o < len(table) and table[o] is None]
            if inside:
                err(f"UTF-16 offset {inside[0]} splits a surrogate pair (a character outside the BMP)", "labelstudio.surrogate", s["rid"])
            else:
                err(
                    f"span text {s['text']!r} is found at {s['start']}..{s['end']} neither in code points "
                    f"({text[s['start'] : s['end']]!r}) nor in UTF-16 units",
                    "labelstudio.offsets",
                    s["rid"],
                )
        if not problems:
            err("span offsets mix code points and UTF-16 units", "labelstudio.offsets")
        return None, problems
    if mode == "utf16":
        table = utf16_to_codepoints(text)
        for s in spans:
            s["start"], s["end"] = table[s["start"]], table[s["end"]]

    spans.sort(key=lambda s: (s["start"], s["end"], s["rid"]))
    by_rid = {s["rid"]: s for s in spans}
    counters = {"mention": 0, "quote": 0, "claim": 0}
    for s in spans:
        layer = s["spec"]["layer"]
        if layer in counters:
            counters[layer] += 1
            s["id"] = f"{layer[0].upper()}{counters[layer]}"

    links: dict[tuple[str, str], dict[str, Any]] = {}
    coref: list[tuple[str, str]] = []
    label_kinds = config.get("relations", {})
    for r in relations:
        a, b = by_rid.get(r["from_id"]), by_rid.get(r["to_id"])
        if a is None or b is None:
            err(f"relation {r['from_id']} -> {r['to_id']} refers to a span that is not imported", "labelstudio.dangling")
            continue
        pair = (a["spec"]["layer"], b["spec"]["layer"])
        if pair not in _INFERRED and pair[::-1] in _INFERRED:
            a, b, pair = b, a, pair[::-1]
        inferred = _INFERRED.get(pair)
        names = [n for n in r.get("labels") or [] if isinstance(n, str)] if isinstance(r.get("labels"), list | None) else []
        mapped = {label_kinds[n] for n in names if n in label_kinds}
        if inferred is None or (mapped and mapped != {inferred}):
            err(f"relation {names or ''} cannot link a {pair[0]} to a {pair[1]}", "labelstudio.bad_relation", a.get("id"))
            continue
        if inferred == "coref":
            coref.append((a["rid"], b["rid"]))
        elif (a["rid"], inferred) in links and links[(a["rid"], inferred)] is not b:
            err(f"{pair[0]} has more than one {inferred} link", "labelstudio.bad_relation", a.get("id"))
        else:
            links[(a["rid"], inferred)] = b
    if any(p.severity == "error" for p in problems):
        return None, problems

    mentions = [s for s in spans if s["spec"]["layer"] == "mention"]
    root = {m["rid"]: m["rid"] for m in mentions}

    def find(x: str) -> str:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    position = {m["rid"]: i for i, m in enumerate(mentions)}
    for a, b in coref:
        ra, rb = find(a), find(b)
        if ra != rb:
            # The chain's first mention in the text stays its root and names the entity.
            first, other = (ra, rb) if position[ra] < position[rb] else (rb, ra)
            root[other] = first
    entities: list[dict[str, Any]] = []
    entity_of_root: dict[str, str] = {}
    for m in mentions:
        r = find(m["rid"])
        if r not in entity_of_root:
            entity_of_root[r] = f"E{len(entities) + 1}"
            head = by_rid[r]
            entities.append(
                {"id": entity_of_root[r], "name": text[head["start"] : head["end"]], "type": head["spec"]["label"], "wikidata": None}
            )
        m["entity_id"] = entity_of_root[r]

    def ref(s: dict[str, Any], kind: str, field: str) -> Any:
        target = links.get((s["rid"], kind))
        return target[field] if target else None

    def cue(s: dict[str, Any]) -> dict[str, Any] | None:
        c = links.get((s["rid"], "cue"))
        return {"start": c["start"], "end": c["end"], "text": text[c["start"] : c["end"]]} if c else None

    result = {
        "document_id": document_id,
        "entities": entities,
        "mentions": [
            {
                "id": m["id"],
                "entity_id": m["entity_id"],
                "start": m["start"],
                "end": m["end"],
                "text": text[m["start"] : m["end"]],
                "label": m["spec"]["label"],
                "form": m["spec"].get("form", "NAM"),
            }
            for m in mentions
        ],
        "quotes": [
            {
                "id": q["id"],
                "start": q["start"],
                "end": q["end"],
                "text": text[q["start"] : q["end"]],
                "kind": q["spec"]["kind"],
                "speaker_mention_id": ref(q, "speaker", "id"),
                "speaker_entity_id": ref(q, "speaker", "entity_id"),
                "cue": cue(q),
            }
            for q in spans
            if q["spec"]["layer"] == "quote"
        ],
        "claims": [
            {
                "id": c["id"],
                "start": c["start"],
                "end": c["end"],
                "text": text[c["start"] : c["end"]],
                "claimant_entity_id": ref(c, "claimant", "entity_id"),
                "claimant_mention_id": ref(c, "claimant", "id"),
                "checkworthiness": c["spec"]["checkworthiness"],
                "quote_id": ref(c, "in_quote", "id"),
            }
            for c in spans
            if c["spec"]["layer"] == "claim"
        ],
        "exceptions": [],
    }
    return result, problems
