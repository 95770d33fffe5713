"""The Label Studio project folder that ``newsanno export labelstudio`` writes.

Three files, all derived from ``schema/`` and the documents, so that a contributor can set up a
Label Studio project, correct the annotations and bring them back with ``newsanno import
labelstudio`` with nothing lost:

- ``tasks.json``: one task per document (:func:`newsanno.convert.labelstudio_export.export_task`):
  the text and its annotations as ``annotations`` (none for a document not annotated yet, so
  Label Studio shows it as to do); when ``raw/<id>/suggestions.json`` exists (the
  proposals of ``newsanno suggest``, never gold), its items as ``predictions``, which Label Studio
  shows as pre-annotations a person accepts or rejects;
- ``labeling-config.xml``: the labeling interface (labels, quote kinds, cue, claims, the
  per-region entity and form fields, relations for speaker, cue, claimant and in_quote), to paste
  into the project settings;
- ``labelstudio-config.json``: the label mapping the importer needs (``--config``).

A suggestions file is read tolerantly: one that does not parse or does not fit the text is
skipped with a warning, and the document is exported without predictions.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from newsanno.atomic import read_named
from newsanno.convert.labelstudio import ENTITY_FIELD
from newsanno.convert.labelstudio_export import default_config, export_task, labeling_config
from newsanno.model import Document
from newsanno.problems import Problem, has_errors
from newsanno.validate import parse_json

TASKS, LABELING_CONFIG, MAPPING_CONFIG = "tasks.json", "labeling-config.xml", "labelstudio-config.json"
SUGGESTIONS = "suggestions.json"
# The model_version Label Studio shows for a prediction.
SUGGESTER = "newsanno suggest"
# Prediction result ids get this prefix: a prediction accepted in Label Studio becomes new spans
# with fresh ids on import, never a second copy of an annotated span's id.
PREDICTION_PREFIX = "suggested:"
_LAYERS = ("entities", "mentions", "quotes", "claims")


def _dumps(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _as_annotations(suggested: Any, doc_id: str) -> dict[str, Any]:
    """Suggestions in the shape of annotations.json: the layers they hold (others empty), each
    item without the suggestion's own ``source``/``reason`` keys."""
    if not isinstance(suggested, dict):
        raise TypeError("suggestions must be a JSON object")
    layers = {k: [{f: v for f, v in item.items() if f not in ("source", "reason")} for item in suggested.get(k, [])] for k in _LAYERS}
    return {"document_id": doc_id, **layers, "exceptions": []}


def _prefixed(result: dict[str, Any]) -> dict[str, Any]:
    out = dict(result)
    for key in ("id", "from_id", "to_id"):
        if key in out:
            out[key] = PREDICTION_PREFIX + out[key]
    if out.get("from_name") == ENTITY_FIELD:
        # A suggestion's entity ids are its own: accepted, they start new entities, never join gold ones.
        out["value"] = dict(out["value"], text=[PREDICTION_PREFIX + t for t in out["value"]["text"]])
    return out


def _reason(suggested: dict[str, Any], item_id: str) -> str | None:
    why = suggested.get("reasons", {}).get(item_id) if isinstance(suggested.get("reasons"), dict) else None
    return f"{why.get('source')}: {why.get('reason')}" if isinstance(why, dict) else None


def predictions(path: Path, doc: Document, config: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The Label Studio predictions of a document's suggestions file (none when it is absent);
    a warning, and no predictions, when it cannot be used."""
    if not os.path.lexists(path):
        return [], []
    try:
        suggested, found = parse_json(read_named(path), str(path))  # a link or a pipe is refused, never followed
        if has_errors(found):
            raise ValueError(found[0].message)
        task, lost = export_task(_as_annotations(suggested, doc.id), doc.text, config)
        results = task["annotations"][0]["result"] if "annotations" in task else []
        spans = [r["value"] for r in results if r["type"] == "labels"]
        if lost or any(v["text"] != doc.text[v["start"] : v["end"]] for v in spans):
            raise ValueError("its spans do not fit text.txt")
    except (AttributeError, IndexError, KeyError, TypeError, ValueError, OSError) as exc:
        message = f"suggestions not exported as predictions: the file is not what `newsanno suggest` writes ({exc})"
        return [], [Problem(str(path), message, "labelstudio.suggestions", severity="warning")]
    for r in results:
        if r["type"] == "labels" and (reason := _reason(suggested, r["id"])) is not None:
            r["meta"] = {"text": [reason]}
    # A relation to a region outside the predictions (a speaker guess that is a gold mention) has no
    # end in Label Studio's prediction; the quote's reason names that speaker instead.
    regions = {r["id"] for r in results if "id" in r}
    kept = [r for r in results if r["type"] != "relation" or {r["from_id"], r["to_id"]} <= regions]
    return [{"model_version": SUGGESTER, "result": [_prefixed(r) for r in kept]}], []


def project_files(raw: Path, documents: list[Document], out: Path, problems: list[Problem]) -> dict[Path, bytes]:
    """The files of the Label Studio project of ``documents`` in ``out``; problems are appended."""
    config = default_config()
    tasks = []
    for doc in documents:
        task, lost = export_task(dict(doc.annotations), doc.text, config)
        problems.extend(Problem(f"{doc.origin}/annotations.json", p.message, p.code, annotation_id=p.annotation_id) for p in lost)
        task["predictions"], found = predictions(raw / doc.id / SUGGESTIONS, doc, config)
        problems.extend(found)
        tasks.append(task)
    return {
        out / TASKS: _dumps(tasks),
        out / LABELING_CONFIG: labeling_config(config).encode("utf-8"),
        out / MAPPING_CONFIG: _dumps(config),
    }
