"""RFC 6901 JSON pointers: the one place where a key is escaped into a pointer.

Every problem names its spot in a JSON file by a pointer, and the locator maps pointers to
line and column; both sides must escape keys the same way, so both call :func:`escape`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def escape(part: str | int) -> str:
    """One reference token of a pointer: ``~`` becomes ``~0`` and ``/`` becomes ``~1``."""
    return str(part).replace("~", "~0").replace("/", "~1")


def pointer(path: Iterable[str | int]) -> str:
    """RFC 6901 JSON pointer of a path of keys and indexes."""
    return "".join(f"/{escape(p)}" for p in path)


def child(parent: str, part: str | int) -> str:
    """The pointer of ``part`` inside the value at ``parent``."""
    return f"{parent}/{escape(part)}"


def annotation_id(value: Any, path: Iterable[str | int]) -> str | None:
    """The ``id`` of the innermost annotation object on ``path`` into ``value``, if any."""
    found = None
    node = value
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found
