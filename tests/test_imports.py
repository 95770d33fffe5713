"""Checking documents stays light: ``validate`` and ``lint`` never import ``datasets``, and with a
warm token cache not even spaCy or pyarrow (together seconds of start-up per run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli

HEAVY = ("datasets", "spacy", "pyarrow")

# Prints the heavy top-level packages in sys.modules after running the given statements.
PROBE = "import json, sys\n{body}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))))"


def _heavy_after(body: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body, heavy=HEAVY)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_validate_and_lint_modules_do_not_import_datasets() -> None:
    loaded = _heavy_after(
        "import newsanno.cli.validate, newsanno.cli.lint, newsanno.builder.pipeline, newsanno.builder.engines, newsanno.builder"
    )
    assert "datasets" not in loaded
    assert "pyarrow" not in loaded


def test_validate_with_a_warm_cache_imports_no_heavy_library(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ["validate", "--raw", str(corpus), "--cache-dir", str(cache), "--quiet"]
    assert run_cli(*args, new_process=True).returncode == 0  # fills the cache (this one tokenizes)
    for command in (args, ["lint", *args[1:]]):
        body = f"from newsanno.cli import main\nassert main({command!r}) == 0"
        assert _heavy_after(body) == []


def test_tokenizer_id_names_the_imported_spacy() -> None:
    import spacy

    from newsanno import tokens

    assert tokens.TOKENIZER_ID.startswith(f"spacy-{spacy.__version__}-blank-en-sentencizer-")
