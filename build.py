#!/usr/bin/env python
"""Build the dataset: ``python build.py [--check] [--raw DIR] [--out DIR]`` == ``newsanno build``.

Paths default to this checkout's raw/, dataset/ and CARD.md wherever it is run from;
options given on the command line override them.
"""

import sys
from pathlib import Path

from newsanno.cli import main

ROOT = Path(__file__).resolve().parent

if __name__ == "__main__":
    defaults = [
        "--raw",
        str(ROOT / "raw"),
        "--out",
        str(ROOT / "dataset"),
        "--card",
        str(ROOT / "CARD.md"),
        "--changelog",
        str(ROOT / "CHANGELOG.md"),
    ]
    sys.exit(main(["build", *defaults, *sys.argv[1:]]))
