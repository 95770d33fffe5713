"""annotations.json to Label Studio tasks, and the Label Studio project setup derived from schema/.

:func:`export_task` lays a :class:`~newsanno.convert.record.Record` out as one task: a ``labels``
result per span (its Label Studio id is the annotation id, or ``cue:<start>:<end>`` for a cue),
a ``relation`` result per link and per coreference pair, offsets in UTF-16 units as Label Studio's
browser side counts them.  What Label Studio has no place for (span ids and order, entities,
entity overrides, lint exceptions, provenance) rides in ``data.newsanno``, which
:func:`newsanno.convert.labelstudio.import_task` reads back, so an export imports to the same
annotations.  :func:`default_config` is the mapping config with one label per entity type and
form, quote kind, cue and check-worthiness class; :func:`labeling_config` is the labeling
interface XML of a mapping config, to paste into the Label Studio project.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import quoteattr

from newsanno import schema
from newsanno.convert.assemble import DEFAULTS
from newsanno.convert.labelstudio import LINKS, NOTES
from newsanno.convert.record import COREF, ENTITY_OVERRIDES, Record, Span, from_annotations
from newsanno.problems import Problem

# The names Label Studio's interface gives its tags; the mapping config does not depend on them.
FROM_NAME, TO_NAME = "label", "text"


def default_config() -> dict[str, Any]:
    """The mapping config with a label for every value of every label set in schema/ (nominal and
    pronoun labels only for the full-coverage types: the schema refuses a NOM or PRO of any other)."""
    labels: dict[str, dict[str, Any]] = {}
    for label in schema.ENTITY_TYPES:
        for form in schema.MENTION_FORMS:
            if form != DEFAULTS["form"] and label not in schema.FULL_COVERAGE_TYPES:
                continue
            name = label if form == DEFAULTS["form"] else f"{label} {form}"
            labels[name] = {"layer": "mention", "label": label, "form": form}
    labels |= {f"{kind} quote": {"layer": "quote", "kind": kind} for kind in schema.QUOTE_KINDS}
    labels["cue"] = {"layer": "cue"}
    labels |= {f"{c} claim": {"layer": "claim", "checkworthiness": c} for c in schema.CHECKWORTHINESS}
    return {"labels": labels, "relations": {kind: kind for kind in LINKS}}


def labeling_config(config: dict[str, Any]) -> str:
    """The Label Studio labeling interface (XML) offering a mapping config's labels and relations."""
    relations = "".join(f"    <Relation value={quoteattr(name)}/>\n" for name in config.get("relations", {}))
    labels = "".join(f"    <Label value={quoteattr(name)}/>\n" for name in config["labels"])
    return (
        "<View>\n"
        f"  <Relations>\n{relations}  </Relations>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n{labels}  </Labels>\n'
        f'  <Text name="{TO_NAME}" value="$text"/>\n'
        "</View>\n"
    )


def _label_name(span: Span, config: dict[str, Any]) -> str | None:
    """The first label of the config that means this span's layer and attributes."""
    for name, spec in config["labels"].items():
        # A mention label without a form means NAM on import, so it only stands for NAM here.
        wanted = {"form": DEFAULTS["form"]} if spec["layer"] == "mention" else {}
        wanted |= {k: v for k, v in spec.items() if k != "layer"}
        if spec["layer"] == span.layer and all(span.attrs.get(k, DEFAULTS.get(k)) == v for k, v in wanted.items()):
            return name
    return None


def _utf16(text: str) -> list[int]:
    """For each code point offset 0..len, the UTF-16 offset there."""
    table, units = [], 0
    for ch in text:
        table.append(units)
        units += 2 if ord(ch) > 0xFFFF else 1
    return [*table, units]


def _notes(record: Record) -> dict[str, Any]:
    return {
        "spans": [[s.key, s.id] for s in record.spans],
        "overrides": {s.key: {k: s.attrs[k]} for s in record.spans for k in ENTITY_OVERRIDES.values() if k in s.attrs},
        "entities": [{"entity": dict(e.entity), "mention": e.mention} for e in record.entities],
        "exceptions": [dict(x) for x in record.exceptions],
        **({"provenance": dict(record.provenance)} if record.provenance is not None else {}),
    }


def export_task(annotations: dict[str, Any], text: str, config: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The Label Studio task of one document, and a problem for each span no label of the config
    can express (such a span is left out)."""
    record = from_annotations(annotations)
    units = _utf16(text)
    results: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for s in record.spans:
        name = _label_name(s, config)
        if name is None:
            message = f"no label of the mapping config means a {s.layer} with {s.attrs}"
            problems.append(Problem("", message, "labelstudio.no_label", annotation_id=s.id))
            continue
        value = {"start": units[s.start], "end": units[s.end], "text": s.text, "labels": [name]}
        results.append({"id": s.key, "type": "labels", "from_name": FROM_NAME, "to_name": TO_NAME, "value": value})
    relation_name: dict[str, str] = {}
    for name, kind in config.get("relations", {}).items():
        relation_name.setdefault(kind, name)
    pairs = [(a, b, kind) for (a, kind), b in record.links.items()] + [(a, b, COREF) for a, b in record.coref]
    for a, b, kind in pairs:
        names = [relation_name[kind]] if kind in relation_name else []
        results.append({"type": "relation", "from_id": a, "to_id": b, "direction": "right", "labels": names})
    data = {"text": text, "document_id": annotations["document_id"], NOTES: _notes(record)}
    return {"data": data, "annotations": [{"result": results}]}, problems
