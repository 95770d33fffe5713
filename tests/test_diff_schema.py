"""What schema changes ask of the version: an existing label set changed is MAJOR, a new one MINOR;
and an old revision is judged by its own schema, not today's."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from conftest import ROOT

from newsanno.releases import diff, revisions


def _schema(**label_sets: list[str]) -> dict:  # type: ignore[type-arg]
    return {"$defs": {name: {"oneOf": [{"const": v} for v in values]} for name, values in label_sets.items()}}


def _bump(old: dict, new: dict) -> str | None:  # type: ignore[type-arg]
    return diff.diff(
        diff.Snapshot(documents={}, schemas={"annotations": old}), diff.Snapshot(documents={}, schemas={"annotations": new})
    ).required_bump()


def test_a_new_label_set_is_minor_a_changed_or_removed_one_major() -> None:
    base = _schema(kind=["direct", "indirect"])
    assert _bump(base, _schema(kind=["direct", "indirect"], role=["SOURCE", "CUE"])) == "MINOR"
    assert _bump(base, _schema(kind=["direct", "indirect", "mixed"])) == "MAJOR"
    assert _bump(base, _schema(kind=["direct"])) == "MAJOR"
    assert _bump(_schema(kind=["direct"], role=["SOURCE"]), _schema(kind=["direct"])) == "MAJOR"


def test_the_suggestions_schema_does_not_decide_the_dataset_version() -> None:
    # Suggestions never reach the dataset: a new suggestion source is no change of the data at all.
    old, new = _schema(source=["name", "pattern"]), _schema(source=["name", "pattern", "coref"])
    same = {"annotations": _schema(kind=["direct"])}
    before = diff.Snapshot(documents={}, schemas={**same, "suggestions": old})
    after = diff.Snapshot(documents={}, schemas={**same, "suggestions": new})
    assert diff.diff(before, after).required_bump() is None
    assert _bump(old, new) == "MAJOR"  # the same change in the annotations schema is MAJOR


def test_an_old_release_is_validated_against_its_own_schema(tmp_path: Path) -> None:
    """v1.0.0's document.json has free-text rights, which today's schema refuses; diff still reads it."""
    first = "9296c4f0d571bba9d82f65eafc9e59a305ed8122"
    if subprocess.run(["git", "cat-file", "-e", f"{first}^{{commit}}"], cwd=ROOT, capture_output=True).returncode != 0:
        import pytest

        pytest.skip("this checkout is shallow and lacks the v1.0.0 release commit (a full clone has it)")
    old = revisions.snapshot(ROOT, first)
    meta = next(iter(old.documents.values()))["meta"]
    assert meta["rights"]["text"].startswith("Copyright 2024")
    assert json.dumps(old.schemas["document"]).count("notice") == 0


def test_a_new_conditional_rule_is_major_and_the_live_schema_has_one() -> None:
    """Scheme 2.0's "NOM/PRO only for the full-coverage types" refuses files 1.x accepted: MAJOR."""
    rule = {"if": {"properties": {"form": {"enum": ["NOM"]}}}, "then": {"properties": {"label": {"enum": ["PERSON"]}}}}
    base = _schema(form=["NAM", "NOM"])
    base["$defs"]["mention"] = {"type": "object"}
    with_rule = {"$defs": {**base["$defs"], "mention": {"type": "object", **rule}}}
    assert _bump(base, with_rule) == "MAJOR"
    assert _bump(with_rule, base) == "MAJOR"
    changed = {"$defs": {**base["$defs"], "mention": {"type": "object", **rule, "then": {"properties": {"label": {"enum": ["ORG"]}}}}}}
    assert _bump(with_rule, changed) == "MAJOR"
    assert _bump(with_rule, json.loads(json.dumps(with_rule))) is None
    # A rule in a schema or on an object the old revision did not have refuses no existing file.
    assert _bump({}, with_rule) == "MINOR"
    assert _bump(base, {"$defs": {**base["$defs"], "new_thing": dict(rule)}}) == "MINOR"
    live = json.loads((ROOT / "schema" / "annotations.schema.json").read_text(encoding="utf-8"))
    old = json.loads(json.dumps(live))
    del old["$defs"]["mention"]["if"], old["$defs"]["mention"]["then"]
    found = diff.diff(diff.Snapshot(documents={}, schemas={"annotations": old}), diff.Snapshot(documents={}, schemas={"annotations": live}))
    assert "annotations/$defs/mention" in found.schema_rules and found.required_bump() == "MAJOR"
    assert "~ schema rule annotations/$defs/mention: added" in diff.render_text(found)
