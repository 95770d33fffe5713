"""Every Python example in README.md and docs/ runs as shown, against a checkout-like folder.

Each ```python block runs in a new interpreter in a folder holding what a checkout holds after
``python build.py``: ``raw/`` (the fixture corpus), ``CARD.md`` and ``dataset/``; a release
checked out by a preceding shell command (``newsanno checkout 1.0.0 newsanno-1.0.0``) is that
dataset folder under the name the docs use.  A ``print(...)  # <literal>`` line must print that
literal, so the results the docs promise are checked too, not only that the code runs.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
# Folders the docs' shell commands create before a Python example reads them.
CHECKED_OUT = ("newsanno-1.0.0",)


def documents() -> list[Path]:
    """README.md and the hand-written docs (the generated review pages hold no examples)."""
    return [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").rglob("*.md") if "review" not in p.relative_to(ROOT / "docs").parts)]


def examples() -> list[tuple[str, str]]:
    found = []
    for path in documents():
        for number, match in enumerate(BLOCK.finditer(path.read_text(encoding="utf-8")), 1):
            found.append((f"{path.relative_to(ROOT).as_posix()}#{number}", match.group(1)))
    return found


def expected_prints(code: str) -> list[str]:
    """The literals that ``print(...)  # literal`` lines promise, in order."""
    promised = []
    for line in code.splitlines():
        if line.lstrip().startswith("print(") and "#" in line:
            comment = line.rsplit("#", 1)[1].strip()
            try:
                promised.append(str(ast.literal_eval(comment)))
            except (ValueError, SyntaxError):
                continue  # a remark, not a result
    return promised


def test_the_docs_show_the_public_entry_points() -> None:
    shown = "\n".join(code for _, code in examples())
    assert "from newsanno import build_dataset" in shown
    assert "from newsanno import load_document" in shown
    assert "load_dataset(" in shown


@pytest.mark.parametrize(("where", "code"), examples(), ids=[where for where, _ in examples()])
def test_documented_example_runs(where: str, code: str, pristine: Path, tmp_path: Path) -> None:
    work = tmp_path / "checkout"
    shutil.copytree(pristine, work)
    for name in CHECKED_OUT:
        shutil.copytree(pristine / "dataset", work / name)
    # This checkout's package first, whatever newsanno is installed elsewhere.
    path = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env = {**os.environ, "PYTHONPATH": path, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_DATASETS_CACHE": str(tmp_path / "hf")}
    done = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, f"{where}:\n{done.stderr[-3000:]}"
    printed = done.stdout.splitlines()
    for literal in expected_prints(code):
        assert any(literal in line for line in printed), f"{where}: expected {literal} in output:\n{done.stdout}"
