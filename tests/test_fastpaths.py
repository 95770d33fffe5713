"""The hot path's shortcuts give exactly what the plain, slow computations give.

Each fast path (orjson exact parse, one-walk key-order check, windowed grapheme segmentation,
str.find name scan) is compared with the reference it replaces, on hostile and random input.
"""

from __future__ import annotations

import json
import random

import pytest
import regex

from newsanno import jsonio, schema
from newsanno.jsonio import Limits
from newsanno.lint import _whole_word, _whole_word_spans
from newsanno.validate import grapheme_boundaries

CANONICAL = jsonio.canonical_dumps({"document_id": "d", "entities": [], "mentions": []}, schema.ANNOTATIONS).encode()

HOSTILE = [
    CANONICAL,
    b'{\n  "a": 1,\n  "a": 2\n}\n',  # duplicate key, in otherwise canonical layout
    b'{\n  "a": NaN\n}\n',
    b'{\n  "a": Infinity\n}\n',
    b'{\n  "a": 18446744073709551616\n}\n',  # over 64 bits: orjson reads a float
    b'{\n  "a": ' + b"9" * 40 + b"\n}\n",  # over MAX_DIGITS
    b'{\n  "a": -9223372036854775809\n}\n',
    b'{\n  "a": 1e400\n}\n',
    b'{\n  "a": 1e16\n}\n',
    b'{\n  "a": 1.5\n}\n',
    b'{\n  "a": "\\ud800"\n}\n',  # lone surrogate
    b'{\n  "a": "\\ud83d\\ude00 \\u00e9 \\u2028"\n}\n',
    b'\xef\xbb\xbf{\n  "a": 1\n}\n',  # BOM
    b'{\n  "a": "\xff"\n}\n',  # bad UTF-8
    b'{\r\n  "a": 1\r\n}\r\n',
    b'{"a": 1}',
    b"[]\n",
    b"{}\n",
    b"",
    b"{\n",
]


def _nested(depth: int) -> bytes:
    value: object = 0
    for _ in range(depth - 1):
        value = [value]
    return (json.dumps(value, indent=2) + "\n").encode()


@pytest.mark.parametrize("data", HOSTILE + [_nested(d) for d in (3, 4, 5, 6)])
@pytest.mark.parametrize("max_depth", [2, 4, 32])
def test_exact_parse_equals_strict_parse(data: bytes, max_depth: int) -> None:
    limits = Limits(max_depth=max_depth)
    value, problems, exact = jsonio.parse_json_exact(data, "f.json", limits)
    ref_value, ref_problems = jsonio.parse_json(data, "f.json", limits)
    assert problems == ref_problems
    assert json.dumps(value) == json.dumps(ref_value)
    if exact and "." not in json.dumps(ref_value) and "e" not in json.dumps(ref_value).replace('"a"', ""):
        # Without floats the fast path's bytes are json.dumps' bytes.
        assert data == (json.dumps(ref_value, indent=2, ensure_ascii=False) + "\n").encode()


def test_exact_parse_takes_the_fast_path_on_canonical_bytes() -> None:
    assert jsonio.parse_json_exact(CANONICAL, "f.json")[2] is True
    assert jsonio.parse_json_exact(b'{\n  "a": 1,\n  "a": 2\n}\n', "f.json")[2] is False


def test_dumps_indented_equals_json_dumps() -> None:
    values = [{"a": [1.5, 1e16, -0.0, 2**70, "\ud800", "é\u2028\x00\x7f"]}, {"b": {}, "c": [], "d": None, "e": True}, 2**64, "x"]
    for value in values:
        expected = (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8", errors="surrogatepass")
        assert jsonio.dumps_indented(value) == expected


def _shuffled(value: object, rnd: random.Random) -> object:
    if isinstance(value, dict):
        items = [(k, _shuffled(v, rnd)) for k, v in value.items()]
        if rnd.random() < 0.2:
            rnd.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        return [_shuffled(v, rnd) for v in value]
    return value


def test_scan_agrees_with_canonical_order(corpus) -> None:  # type: ignore[no-untyped-def]
    root = schema.load(schema.ANNOTATIONS)
    rnd = random.Random(7)
    for folder in sorted(corpus.iterdir()):
        ann = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
        for _ in range(30):
            value = _shuffled(ann, rnd)
            if rnd.random() < 0.3 and value["mentions"]:  # type: ignore[index]
                value["mentions"][0]["extra"] = {"z": 1.5, "a": [2.0]}  # type: ignore[index]
            has_float, in_order = schema.scan(value, schema.ANNOTATIONS)
            reordered = schema.canonical_order(value, root, root)
            assert in_order == (json.dumps(reordered) == json.dumps(value))
            assert has_float == ("1.5" in json.dumps(value) or "2.0" in json.dumps(value))


GRAPHEME_POOL = [
    *'ab \n\r."',
    "\u0301",  # combining acute (Extend)
    "\u0600",  # Arabic number sign (Prepend)
    "\u0903",  # Devanagari visarga (SpacingMark)
    "\u200d",  # ZWJ
    "\U0001f600",
    "\U0001f1e6",  # regional indicators
    "\U0001f1fa",
    "\u1100",  # Hangul L, V, T, LV
    "\u1161",
    "\u11a8",
    "\uac00",
    "é",
    "\ufe0f",
    "\u20e3",
    "\u0915",  # Devanagari KA + virama (Indic conjuncts)
    "\u094d",
    "\u2764",
    "#",
]


def test_grapheme_boundaries_equal_full_segmentation() -> None:
    rnd = random.Random(11)
    for _ in range(20_000):
        text = "".join(rnd.choice(GRAPHEME_POOL) for _ in range(rnd.randint(0, 14)))
        full = frozenset([0, *(m.end() for m in regex.finditer(r"\X", text))])
        assert grapheme_boundaries(text) == full, repr(text)


def test_whole_word_spans_equal_regex() -> None:
    rnd = random.Random(13)
    alphabet = "aA b_1.é$-\n"
    for _ in range(20_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        needle = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 3)))
        assert list(_whole_word_spans(text, needle)) == [m.span() for m in _whole_word(needle).finditer(text)]
