"""The dataset's version: one place, ``[project] version`` in pyproject.toml."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path


def dataset_version() -> str:
    """The version of a source checkout's pyproject.toml, else of the installed package.

    The checkout wins so that a version bump shows in the next build without reinstalling.
    """
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    if pyproject.is_file():
        with open(pyproject, "rb") as f:
            project = tomllib.load(f).get("project", {})
        if project.get("name") == "newsanno":
            return str(project["version"])
    return importlib.metadata.version("newsanno")
