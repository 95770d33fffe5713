"""The dataset's version: one place, ``[project] version`` in pyproject.toml."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path


def dataset_version() -> str:
    """The version of a source checkout's pyproject.toml, else of the installed package.

    The checkout wins so that a version bump shows in the next build without reinstalling.
    """
    found = project_version(Path(__file__).resolve().parent.parent / "pyproject.toml")
    return found if found is not None else importlib.metadata.version("newsanno")


def project_version(pyproject: Path) -> str | None:
    """``[project] version`` of a newsanno checkout's pyproject.toml; None when it is not one."""
    if not pyproject.is_file():
        return None
    with open(pyproject, "rb") as f:
        project = tomllib.load(f).get("project", {})
    return str(project["version"]) if project.get("name") == "newsanno" else None
