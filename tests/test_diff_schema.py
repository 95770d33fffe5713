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
