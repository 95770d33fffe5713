"""Imports that would write somewhere or something the user did not mean are refused: one located
line each, exit 1, nothing written (issue 13, "Importers and exporters"; issue 12, "Bad input")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import SEED_ID, copy_seed, run_cli


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def errors(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if ": error [" in line]


def exported(tmp_path: Path, raw: Path) -> tuple[list[dict[str, Any]], Path]:
    out = tmp_path / "ls"
    assert run_cli("export", "labelstudio", "--raw", raw, "--out", out).returncode == 0
    return json.loads((out / "tasks.json").read_text(encoding="utf-8")), out / "labelstudio-config.json"


def _refused_import(tmp_path: Path, raw: Path, config: Path, tasks: list[Any]) -> tuple[Path, str]:
    """Import ``tasks`` as a Label Studio export; it must be refused in one line, changing nothing."""
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tasks), encoding="utf-8")
    before = snapshot(raw)
    result = run_cli("import", "labelstudio", export, "--config", config, "--raw", raw)
    assert result.returncode == 1
    (line,) = errors(result.stdout)
    assert snapshot(raw) == before
    return export, line


def test_labelstudio_task_whose_text_differs_is_refused(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    (task,), config = exported(tmp_path, raw)
    task["data"]["text"] = task["data"]["text"].replace("Zelensky", "Zelenskyy", 1)  # offsets after it would shift
    export, line = _refused_import(tmp_path, raw, config, [task])
    assert line.startswith(f"{export}#0: error [import.text_mismatch]") and f"{SEED_ID}/text.txt" in line, line


def test_two_tasks_for_one_document_are_refused(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    (task,), config = exported(tmp_path, raw)
    shorter = json.loads(json.dumps(task))
    shorter["annotations"][0]["result"] = [r for r in shorter["annotations"][0]["result"] if r.get("id") != "M1"]
    shorter["annotations"][0]["result"] = [r for r in shorter["annotations"][0]["result"] if "M1" not in (r.get("from_id"), r.get("to_id"))]
    export, line = _refused_import(tmp_path, raw, config, [task, shorter])
    assert line.startswith(f"{export}#1: error [labelstudio.duplicate_document]") and f"{export}#0" in line, line


def brat_files(tmp_path: Path, raw: Path) -> Path:
    out = tmp_path / "brat"
    assert run_cli("export", "brat", "--raw", raw, "--out", out).returncode == 0
    return out / f"{SEED_ID}.ann"


def test_brat_into_a_document_folder_linked_outside_the_corpus_is_refused(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    ann = brat_files(tmp_path, raw)
    outside = tmp_path / "elsewhere"
    (raw / SEED_ID).rename(outside)
    (outside / "annotations.json").write_text("{}", encoding="utf-8")
    (raw / SEED_ID).symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)
    result = run_cli("import", "brat", raw / SEED_ID, ann)
    assert result.returncode == 1
    (line,) = errors(result.stdout)
    assert f"{SEED_ID}: error [layout.symlink]" in line, line
    assert snapshot(outside) == before


def test_brat_into_an_annotations_file_linked_outside_is_refused(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    ann = brat_files(tmp_path, raw)
    target = tmp_path / "precious.json"
    target.write_text("not yours\n", encoding="utf-8")
    (raw / SEED_ID / "annotations.json").unlink()
    (raw / SEED_ID / "annotations.json").symlink_to(target)
    result = run_cli("import", "brat", raw / SEED_ID, ann)
    assert result.returncode == 1
    (line,) = errors(result.stdout)
    assert "annotations.json: error [import.symlink]" in line, line
    assert target.read_text(encoding="utf-8") == "not yours\n" and (raw / SEED_ID / "annotations.json").is_symlink()


def test_brat_into_a_folder_outside_the_given_corpus_is_refused(tmp_path: Path) -> None:
    raw = copy_seed(tmp_path / "raw")
    ann = brat_files(tmp_path, raw)
    other = copy_seed(tmp_path / "other")
    before = snapshot(other)
    result = run_cli("import", "brat", other / SEED_ID, ann, "--raw", raw)
    assert result.returncode == 1
    (line,) = errors(result.stdout)
    assert "[layout.outside_root]" in line, line
    assert snapshot(other) == before
