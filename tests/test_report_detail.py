"""A text report capped at N problems per file (--max-problems) is the same whether the validator
locates and hints every problem or, as it does for such a report, only the first N of each file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import run_cli

from benchmarks.validate_many import make
from newsanno.cli import report
from newsanno.validate import DEFAULT_LIMITS, load_document


def _broken(tmp_path: Path, how: str) -> Path:
    folder = make(tmp_path / "raw", 400)
    path = folder / "annotations.json"
    ann = json.loads(path.read_text(encoding="utf-8"))
    for i, m in enumerate(ann["mentions"]):
        if how == "offsets":
            m["start"] += 1 + i % 3
            m["end"] += 1 + i % 3
        elif i % 2:  # every other mention names an entity that does not exist, near an existing id
            m["entity_id"] = "E11" if i % 4 == 1 else "E2"
    path.write_text(json.dumps(ann, indent=2) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("how", ["offsets", "references"])
@pytest.mark.parametrize("cap", [1, 7, 100])
def test_capped_text_report_equals_the_cap_applied_to_the_full_problems(tmp_path: Path, how: str, cap: int) -> None:
    folder = _broken(tmp_path, how)
    _, full = load_document(folder, DEFAULT_LIMITS)  # every problem located and hinted
    assert len(full) >= 200 and all(p.line is not None for p in full)
    assert sum(p.hint is not None for p in full) >= len(full) // 2  # a "did you mean" only where an id is close
    want = io.StringIO()
    report.emit(report.dedupe(full), "text", out=want, max_problems=cap)
    got = run_cli("validate", "--raw", folder.parent, "--max-problems", str(cap))
    assert got.returncode == 1
    assert got.stdout == want.getvalue()
    assert "hint:" in got.stdout.splitlines()[0] + got.stdout.splitlines()[1 if cap > 1 else 0]


def test_json_report_keeps_every_location_and_hint(tmp_path: Path) -> None:
    folder = _broken(tmp_path, "offsets")
    _, full = load_document(folder, DEFAULT_LIMITS)
    got = run_cli("validate", "--raw", folder.parent, "--format", "json", "--max-problems", "5")
    lines = [json.loads(line) for line in got.stdout.splitlines()]
    assert lines == [p.to_dict() for p in report.dedupe(full)]
    assert all(line["hint"] and line["line"] for line in lines)
