"""Nothing invisible hides in the data: the character rules of text.txt, annotations.json and document.json.

- ``text.txt``: control characters (other than the line feed) are errors; bidirectional and
  zero-width characters are warnings naming the code point and its line and column (an article
  may hold one legitimately), and errors where an annotation's span covers one (the rule below
  sees it in the span's ``text``).
- ``annotations.json``: every string (ids, names, span texts, reasons) holds no control, bidi
  or zero-width character, and entity names are in NFC like the text.
- ``document.json``: the same for every string; :mod:`~newsanno.validate.metadata` checks
  what the values mean.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

from newsanno import schema
from newsanno.model import Annotations
from newsanno.problems import Problem
from newsanno.validate import characters
from newsanno.validate.pointers import pointer
from newsanno.validate.reading import line_col
from newsanno.validate.rule import ITEM, Order, Rule, Scope, layer_index


def _strings(value: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], str]]:
    """Every string inside ``value`` with its path (objects and lists walked)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, [*path, key])
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _strings(child, [*path, i])


# In orjson's output a control character inside a string is an escape (``\\u0007``, ``\\t``) that
# starts at an unescaped backslash; DEL, C1, bidi and zero-width characters stay literal.
_ESCAPE = re.compile(r"\\(?:u00[01][0-9a-fA-F]|[btfrn])")
_LITERAL = re.compile(f"[\x7f-\x9f{re.escape(characters.BIDI + characters.ZERO_WIDTH)}]")


def _escapes(dumped: str) -> set[str]:
    """The control-character escapes of a JSON text (an escape after an escaped backslash is none)."""
    found = set()
    for match in _ESCAPE.finditer(dumped):
        at = match.start()
        while at > 0 and dumped[at - 1] == "\\":
            at -= 1
        if (match.start() - at) % 2 == 0:
            found.add(match.group())
    return found


def _clean(ann: Annotations, _text: str) -> bool:
    # Runs on every clean file: one C-level serialization and two scans instead of a Python
    # walk of every string. A line feed is allowed in span texts only, so the (rare) file that
    # holds one takes the exact walk.
    dumped = orjson.dumps([ann.get(layer, []) for layer in schema.ANNOTATION_LISTS]).decode("utf-8")  # type: ignore[attr-defined]
    if _LITERAL.search(dumped):
        return False
    escapes = _escapes(dumped)
    if escapes - {"\\n"}:
        return False
    if escapes:
        return _walk_clean(ann)
    return all(characters.is_nfc(e["name"]) for e in ann["entities"])


def _walk_clean(ann: Annotations) -> bool:
    """The exact, slow form of :func:`_clean` for items of an unexpected shape."""
    layers = schema.ANNOTATION_LISTS
    strings = (pair for layer in layers for item in ann.get(layer, []) for pair in _strings(item, [layer]))  # type: ignore[attr-defined]
    return all(_value_ok(path, s) for path, s in strings) and all(characters.is_nfc(e["name"]) for e in ann["entities"])


def _value_ok(path: list[str | int], value: str) -> bool:
    return not _findings(path, value)


def _findings(path: list[str | int], value: str) -> list[characters.Finding]:
    """What is not allowed in one string: span texts mirror text.txt, so a line feed is allowed there."""
    findings = characters.in_value(value)
    if path and path[-1] == "text":
        findings = [f for f in findings if f.char != "\n"]
    return findings


def _explain(scope: Scope) -> Iterator[tuple[Order, Problem]]:
    for layer, items in scope.kept.items():
        for i, item in items:
            ann_id = item.get("id")
            for path, value in _strings(item, [layer, i]):
                for finding in _findings(path, value):
                    where = "a span's text: the text.txt has it there" if path[-1] == "text" else "an id, name or value"
                    message = f"{finding.describe()} of {value!r}: not allowed in {where}"
                    yield (ITEM, layer_index(layer), i, 9), scope.problem(message, "text.invisible", pointer(path), ann_id)
            if layer == "entities" and not characters.is_nfc(item["name"]):
                message = f"entity name {item['name']!r} is not in Unicode NFC"
                yield (ITEM, layer_index(layer), i, 9), scope.problem(message, "text.nfc", pointer([layer, i, "name"]), ann_id)
    for i, item in enumerate(_exceptions(scope)):
        for path, value in _strings(item, ["exceptions", i]):
            for finding in characters.in_value(value):
                yield (
                    (ITEM, len(schema.LAYERS), i, 9),
                    scope.problem(f"{finding.describe()}: not allowed", "text.invisible", pointer(path), None),
                )


def _exceptions(scope: Scope) -> list[Any]:
    # Optional in files built in code (see the schema); lint's own checks read them too.
    return list(scope.ann.get("exceptions", []))  # type: ignore[attr-defined]


RULES = (Rule("visible characters", _clean, _explain),)


def text_character_problems(text: str, shown: str) -> list[Problem]:
    """Controls in text.txt are errors; bidi and zero-width characters warnings, each located."""
    problems = []
    for finding in sorted(characters.in_text(text), key=lambda f: f.offset):
        line, column = line_col(text, finding.offset)
        if finding.kind == "control":
            problems.append(Problem(shown, f"{finding.describe()} in the text", "text.control", line=line, column=column))
        else:
            message = f"{finding.describe()} in the text: invisible, and an error inside any annotation's span"
            problems.append(Problem(shown, message, "text.invisible", line=line, column=column, severity="warning"))
    return problems


def value_problems(value: Any, shown: str) -> list[Problem]:
    """Every control, bidi or zero-width character in the strings of a JSON file (document.json)."""
    return [
        Problem(shown, f"{finding.describe()} of {text!r}: not allowed in metadata", "text.invisible", pointer=pointer(path))
        for path, text in _strings(value, [])
        for finding in characters.in_value(text)
    ]
