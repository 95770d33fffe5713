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

from collections.abc import Iterator
from typing import Any

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


def _clean(ann: Annotations, _text: str) -> bool:
    for layer in schema.ANNOTATION_LISTS:
        for item in ann.get(layer, []):  # type: ignore[attr-defined]
            if not all(characters.clean(s) for _, s in _strings(item, [])):
                return False
    return all(characters.is_nfc(e["name"]) for e in ann["entities"])


def _explain(scope: Scope) -> Iterator[tuple[Order, Problem]]:
    for layer, items in scope.kept.items():
        for i, item in items:
            ann_id = item.get("id")
            for path, value in _strings(item, [layer, i]):
                for finding in characters.in_value(value):
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
