"""The pre-commit configuration and the hook manifest are valid for real pre-commit."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_config_and_manifest_validate() -> None:
    for command, path in (("validate-config", ".pre-commit-config.yaml"), ("validate-manifest", ".pre-commit-hooks.yaml")):
        result = pre_commit(command, path)
        assert result.returncode == 0, result.stdout + result.stderr


def test_manifest_declares_the_validate_hook() -> None:
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["newsanno-validate"]["entry"] == "newsanno validate"
    local = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert {h["id"] for h in local} >= {"newsanno-validate", "ruff-check", "ruff-format"}


def test_regenerating_hooks_run_only_when_their_inputs_change() -> None:
    import re

    import yaml

    local = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]}
    build, render = local["newsanno-build"], local["newsanno-render"]
    assert build["entry"].startswith("python build.py") and render["entry"].startswith("python -m newsanno render")
    for hook in (build, render):
        # A formatter-like hook: it rewrites whole outputs, so it takes no file names and runs once.
        assert hook["language"] == "system" and hook["pass_filenames"] is False
    inputs = ["raw/doc/annotations.json", "schema/annotations.schema.json", "newsanno/review/render.py"]
    for path in [*inputs, "CARD.md", "CHANGELOG.md", "build.py", "pyproject.toml"]:
        assert re.search(build["files"], path), path
    for path in inputs:
        assert re.search(render["files"], path), path
    for path in ("dataset/README.md", "docs/review/index.html", "tests/test_render.py", "README.md", "GUIDELINES.md", "docs/CARD.md"):
        assert not re.search(build["files"], path) and not re.search(render["files"], path), path
