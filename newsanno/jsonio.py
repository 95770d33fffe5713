"""Canonical writing of the project's JSON files.

Writing produces the one canonical form (2-space indent, schema key order, non-ASCII kept,
one final LF) so that diffs stay small and a round trip is byte-exact.  Reading untrusted
files is :mod:`newsanno.validate`'s job.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import orjson

from newsanno import schema


def dumps_indented(value: Any) -> bytes:
    """``json.dumps(value, indent=2, ensure_ascii=False) + "\\n"`` as UTF-8, via orjson where it can.

    orjson writes the same bytes for everything but floats (``1e16`` where Python writes
    ``1e+16``), integers beyond 64 bits and lone surrogates, which it refuses or formats
    differently; those go the ``json`` way.
    """
    try:
        if not has_float(value):
            return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate or an integer over 64 bits
        pass
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8", errors="surrogatepass")


def has_float(value: Any) -> bool:
    """Whether a JSON value holds a float anywhere, walked a container at a time.

    The types of a container's members (and of all members of a list of objects at once) are
    collected by C loops (``set(map(type, ...))``); Python code only runs for nested containers.
    """
    if type(value) is float:
        return True
    stack = [value] if type(value) in (dict, list) else []
    while stack:
        node = stack.pop()
        members: Any = node.values() if type(node) is dict else node
        kinds = set(map(type, members))
        if kinds == {dict}:  # a list of objects: all their members in one go
            members = list(itertools.chain.from_iterable(map(dict.values, members)))
            kinds = set(map(type, members))
        if float in kinds:
            return True
        if dict in kinds or list in kinds:
            stack.extend([m for m in members if type(m) is dict or type(m) is list])
    return False


def canonical_dumps(value: Any, schema_name: str) -> str:
    """The canonical text of a JSON file described by ``schema/<schema_name>``."""
    root = schema.load(schema_name)
    ordered = schema.canonical_order(value, root, root)
    return dumps_indented(ordered).decode("utf-8", errors="surrogatepass")
