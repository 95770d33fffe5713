"""annotations.json to Label Studio tasks, and the Label Studio project setup derived from schema/.

:func:`export_task` lays a :class:`~newsanno.convert.record.Record` out as one task, offsets in
code points (Label Studio's ``<Text>`` counts characters, not UTF-16 units):

- a ``labels`` result per span (its Label Studio id is the annotation id, or ``cue:<start>:<end>``
  for a cue);
- for each mention two per-region results under the same id: the ``entity`` field (a one-line
  text area holding the entity id) and the ``form`` choice (NAM, NOM, PRO).  Coreference is the
  entity field, not one relation arrow per link, so an article with hundreds of mentions stays
  readable; the page lists the document's entities (``data.entities``) to pick an id from;
- a ``relation`` result per speaker, cue, claimant and in_quote link.

What Label Studio has no place for (span ids and order, entities, entity overrides, lint
exceptions, provenance, the highest id used so far) rides in ``data.newsanno``, which
:func:`newsanno.convert.labelstudio.import_task` reads back, so an export imports to the same
annotations.  A document without annotations becomes a task without an annotation, so Label
Studio counts it as still to do.  :func:`default_config` is the mapping config with one label per
entity type, quote kind, cue and check-worthiness class; :func:`labeling_config` is the labeling
interface XML of a mapping config, to paste into (or create) the Label Studio project.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import quoteattr

from newsanno import schema
from newsanno.convert.assemble import DEFAULTS
from newsanno.convert.labelstudio import ENTITY_FIELD, ENTITY_LIST, FORM_FIELD, LINKS, NOTES
from newsanno.convert.record import COREF, ENTITY_OVERRIDES, Record, Span, from_annotations
from newsanno.problems import Problem

# The names Label Studio's interface gives its tags; the mapping config does not depend on them.
FROM_NAME, TO_NAME = "label", "text"
# Label hotkeys in label order: every label of the default config gets one.
HOTKEYS = "1234567890qwertyuiopasdfghjklzxcvbnm"


def default_config() -> dict[str, Any]:
    """The mapping config with a label for every value of every label set in schema/.

    A mention label names only the entity type: the form is the per-region ``form`` choice.
    Coreference is the per-region ``entity`` field; a ``coref`` relation is still understood.
    """
    labels: dict[str, dict[str, Any]] = {label: {"layer": "mention", "label": label} for label in schema.ENTITY_TYPES}
    labels |= {f"{kind} quote": {"layer": "quote", "kind": kind} for kind in schema.QUOTE_KINDS}
    labels["cue"] = {"layer": "cue"}
    labels |= {f"{c} claim": {"layer": "claim", "checkworthiness": c} for c in schema.CHECKWORTHINESS}
    return {"labels": labels, "relations": {kind: kind for kind in LINKS}}


def labeling_config(config: dict[str, Any]) -> str:
    """The Label Studio labeling interface (XML) offering a mapping config's labels and relations,
    the per-region entity and form fields, and the document's entity list."""
    relations = "".join(f"    <Relation value={quoteattr(name)}/>\n" for name, kind in config.get("relations", {}).items() if kind != COREF)
    keys = iter(HOTKEYS)
    labels = "".join(f"    <Label value={quoteattr(name)} hotkey={quoteattr(next(keys, ''))}/>\n" for name in config["labels"])
    labels = labels.replace(' hotkey=""', "")
    forms = "".join(f'    <Choice value="{form}"/>\n' for form in schema.MENTION_FORMS)
    return (
        "<View>\n"
        "  <Style>.htx-text { white-space: pre-wrap; line-height: 1.9; }</Style>\n"
        f"  <Relations>\n{relations}  </Relations>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}" showInline="true">\n{labels}  </Labels>\n'
        '  <View style="display: flex; align-items: flex-start; gap: 1em;">\n'
        f'    <View style="flex: 3;"><Text name="{TO_NAME}" value="$text" granularity="symbol"/></View>\n'
        '    <View style="flex: 1; position: sticky; top: 0;">\n'
        '      <Header value="Selected mention: entity id and form"/>\n'
        f'      <TextArea name="{ENTITY_FIELD}" toName="{TO_NAME}" perRegion="true" editable="true" maxSubmissions="1" rows="1"'
        ' placeholder="entity id, e.g. E3 (new id: new entity)"/>\n'
        f'      <Choices name="{FORM_FIELD}" toName="{TO_NAME}" perRegion="true" choice="single-radio" showInline="true">\n'
        f"    {forms}      </Choices>\n"
        '      <Header value="Entities"/>\n'
        f'      <Text name="{ENTITY_LIST}" value="${ENTITY_LIST}" selectionEnabled="false"/>\n'
        "    </View>\n"
        "  </View>\n"
        "</View>\n"
    )


def _label_name(span: Span, config: dict[str, Any]) -> str | None:
    """The first label of the config that means this span's layer and attributes (a mention
    label without a form means any form: the form travels in the per-region choice)."""
    for name, spec in config["labels"].items():
        wanted = {k: v for k, v in spec.items() if k != "layer"}
        if spec["layer"] == span.layer and all(span.attrs.get(k, DEFAULTS.get(k)) == v for k, v in wanted.items()):
            return name
    return None


_ID = re.compile(r"([A-Z]+)([0-9]+)\Z")


def high_water(annotations: dict[str, Any]) -> dict[str, int]:
    """The highest number used so far by each id prefix (M, Q, C, E) of the annotations."""
    top: dict[str, int] = {}
    for layer in ("entities", "mentions", "quotes", "claims"):
        for item in annotations.get(layer, []):
            if (m := _ID.match(str(item.get("id", "")))) is not None:
                top[m[1]] = max(top.get(m[1], 0), int(m[2]))
    return dict(sorted(top.items()))


def _notes(record: Record, annotations: dict[str, Any]) -> dict[str, Any]:
    return {
        "spans": [[s.key, s.id] for s in record.spans],
        "mention_entities": {m["id"]: m["entity_id"] for m in annotations["mentions"]},
        "overrides": {s.key: {k: s.attrs[k]} for s in record.spans for k in ENTITY_OVERRIDES.values() if k in s.attrs},
        "entities": [{"entity": dict(e.entity), "mention": e.mention} for e in record.entities],
        "exceptions": [dict(x) for x in record.exceptions],
        **({"provenance": dict(record.provenance)} if record.provenance is not None else {}),
        "high_water": high_water(annotations),
        "links": [[a, kind, b] for (a, kind), b in record.links.items()],
    }


def entity_list(annotations: dict[str, Any]) -> str:
    """The entities as the page lists them: one line per entity, ``E3  Maria Lopez (PERSON, 4)``."""
    count: dict[str, int] = {}
    for m in annotations["mentions"]:
        count[m["entity_id"]] = count.get(m["entity_id"], 0) + 1
    lines = [f"{e['id']}  {e['name']} ({e['type']}, {count.get(e['id'], 0)})" for e in annotations["entities"]]
    return "\n".join(lines) if lines else "(no entities yet: type a new id such as E1)"


def _region(key: str, name: str, tag: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": key, "type": kind, "from_name": name, "to_name": tag, "value": value}


def export_task(annotations: dict[str, Any], text: str, config: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The Label Studio task of one document, and a problem for each span no label of the config
    can express (such a span is left out).  A document with nothing annotated gets no annotation."""
    record = from_annotations(annotations)
    entity_of = {m["id"]: m["entity_id"] for m in annotations["mentions"]}
    results: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for s in record.spans:
        name = _label_name(s, config)
        if name is None:
            message = f"no label of the mapping config means a {s.layer} with {s.attrs}"
            problems.append(Problem("", message, "labelstudio.no_label", annotation_id=s.id))
            continue
        where = {"start": s.start, "end": s.end}
        results.append(_region(s.key, FROM_NAME, TO_NAME, "labels", where | {"text": s.text, "labels": [name]}))
        if s.layer == "mention":
            results.append(_region(s.key, ENTITY_FIELD, TO_NAME, "textarea", where | {"text": [entity_of[s.key]]}))
            if "form" not in config["labels"][name]:
                results.append(_region(s.key, FORM_FIELD, TO_NAME, "choices", where | {"choices": [s.attrs["form"]]}))
    relation_name: dict[str, str] = {}
    for name, kind in config.get("relations", {}).items():
        relation_name.setdefault(kind, name)
    for (a, kind), b in record.links.items():
        names = [relation_name[kind]] if kind in relation_name else []
        results.append({"type": "relation", "from_id": a, "to_id": b, "direction": "right", "labels": names})
    data = {
        "text": text,
        "document_id": annotations["document_id"],
        ENTITY_LIST: entity_list(annotations),
        NOTES: _notes(record, annotations),
    }
    task: dict[str, Any] = {"data": data}
    if record.spans or record.entities:
        task["annotations"] = [{"result": results}]
    return task, problems
