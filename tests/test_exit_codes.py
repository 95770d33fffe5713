"""Every command exits non-zero on an error, also when its reader has gone (a closed pipe).

Each command is run in a new process with its standard output a pipe whose reading end is
already closed, the way ``newsanno ... | true`` leaves it under ``set -o pipefail``.  One case per
command names an input that does not exist: the command must refuse it in one line naming the
path, never pass (exit 0) and never print a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, alpha, write_corpus


def run_closed(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m newsanno ARGS`` with stdout a pipe nobody reads (closed before the child writes)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "newsanno", *args],
            cwd=cwd,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    finally:
        os.close(write_end)
    return proc


def missing_input_cases(tmp: Path) -> dict[str, list[str]]:
    """One invocation per command (and per importer/exporter) whose input does not exist."""
    missing = str(tmp / "missing")
    raw = str(tmp / "raw")
    doc = alpha().doc_id
    card = tmp / "CARD.md"
    return {
        "add": ["add", "--raw", raw, missing],
        "build": ["build", "--raw", raw, "--out", str(tmp / "out"), "--card", str(card), "--changelog", missing],
        "build-card": ["build", "--raw", raw, "--out", str(tmp / "out"), "--card", missing, "--no-changelog"],
        "build-raw": ["build", "--raw", missing, "--out", str(tmp / "out"), "--card", str(card), "--no-changelog"],
        "validate": ["validate", "--raw", missing],
        "lint": ["lint", "--raw", missing],
        "format": ["format", missing],
        "render": ["render", "--raw", missing, "--out", str(tmp / "pages")],
        "agreement": ["agreement", missing, missing + "2"],
        "adjudicate": ["adjudicate", missing, missing + "2", "--record", str(tmp / "record.json")],
        "verify": ["verify", missing],
        "diff": ["diff", "--repo", missing, "HEAD", "WORKTREE"],
        "release": ["release", "--repo", missing, "9.9.9", "--dry-run"],
        "import-brat": ["import", "brat", "--raw", raw, str(Path(raw) / doc), missing],
        "import-labelstudio": ["import", "labelstudio", "--raw", raw, "--config", missing, missing + ".json"],
        "export-brat": ["export", "brat", "--raw", missing, "--out", str(tmp / "brat")],
        "fix-offsets": ["fix-offsets", missing],
        "suggest": ["suggest", "--raw", missing, doc],
        "accept": ["accept", "--raw", missing, doc, "--all"],
        "versions": ["versions", "--repo", missing],
        "checkout": ["checkout", "--repo", missing, "1.0.0", str(tmp / "co")],
    }


CASES = list(missing_input_cases(Path("/x")))


@pytest.mark.parametrize("case", CASES)
def test_missing_input_is_refused_in_one_line_even_with_a_closed_pipe(case: str, tmp_path: Path) -> None:
    write_corpus(tmp_path / "raw")
    (tmp_path / "CARD.md").write_text("# card\n", encoding="utf-8")
    args = missing_input_cases(tmp_path)[case]
    closed = run_closed(args, cwd=tmp_path)
    assert closed.returncode not in (0, 3), (case, closed.returncode, closed.stderr)
    assert "Traceback" not in closed.stderr and "internal error" not in closed.stderr, closed.stderr
    # Read normally, the refusal is one located line naming the path (on stdout for commands
    # that report problems there, on stderr for the others).
    read = subprocess.run(
        [sys.executable, "-m", "newsanno", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    said = read.stdout + read.stderr
    assert read.returncode not in (0, 3), (case, read.returncode, said)
    assert "Traceback" not in said and "internal error" not in said, said
    assert "missing" in said, f"{case}: the refusal does not name the missing input: {said!r}"


def test_invalid_corpus_is_not_exit_0_when_the_report_cannot_be_written(tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    doc = next(p for p in sorted(raw.iterdir()) if p.is_dir())
    (doc / "annotations.json").write_text("{", encoding="utf-8")
    result = run_closed(["validate", "--raw", str(raw)], cwd=tmp_path)
    assert result.returncode == 141, (result.returncode, result.stderr)  # was 0: the errors vanished


def test_success_whose_output_was_lost_is_not_success(tmp_path: Path) -> None:
    # ``versions`` prints a table even for a history with no release; nobody read it.
    result = run_closed(["versions", "--repo", str(ROOT)], cwd=tmp_path)
    assert result.returncode == 141, (result.returncode, result.stderr)
    assert result.stderr == "", result.stderr


def test_pipefail_in_a_real_shell(tmp_path: Path) -> None:
    raw = write_corpus(tmp_path / "raw")
    doc = next(p for p in sorted(raw.iterdir()) if p.is_dir())
    (doc / "annotations.json").write_text("{", encoding="utf-8")
    script = f'set -o pipefail; "{sys.executable}" -m newsanno validate --raw "{raw}" | true'
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300
    )
    assert result.returncode != 0, result.stderr
