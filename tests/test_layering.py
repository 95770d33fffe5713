"""Data flows one way: no library module imports the command line."""

from __future__ import annotations

import ast

from conftest import ROOT


def test_no_library_module_imports_the_cli() -> None:
    offenders = []
    for path in sorted((ROOT / "newsanno").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("newsanno/cli/") or relative == "newsanno/__main__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in getattr(node, "names", [])]
                if isinstance(node, ast.Import)
                else []
            )
            offenders += [f"{relative}: {n}" for n in names if n == "newsanno.cli" or n.startswith("newsanno.cli.")]
    assert offenders == []
