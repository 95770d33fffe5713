"""Which characters may appear where: nothing invisible hides in the data.

Control characters (C0 other than the line feed, DEL, C1) have no place in a news text, an
id, a name or a metadata value. Bidirectional controls can make a name display as something
it is not, and zero-width characters make two different strings look the same; the text of
an article may legitimately hold a few (a zero-width joiner in a name, a byte-order mark
pasted from a web page), so in ``text.txt`` they are warnings naming the code point and its
position, and errors only where an annotation's span covers one. Everywhere else (ids, names,
titles, every metadata string) all of them are errors. Names must also be in NFC, like the
text, so that the same name is always the same string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates, and the marks LRM, RLM, ALM.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Zero-width space, non-joiner, joiner, word joiner, and the zero-width no-break space (BOM).
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_CONTROL_CLASS = "\x00-\x09\x0b-\x1f\x7f-\x9f"  # C0 without the line feed, DEL, C1
_CONTROL = re.compile(f"[{_CONTROL_CLASS}]")
_INVISIBLE = re.compile(f"[{re.escape(BIDI + ZERO_WIDTH)}]")
_ANY = re.compile(f"[{_CONTROL_CLASS}\n{re.escape(BIDI + ZERO_WIDTH)}]")


@dataclass(frozen=True, slots=True)
class Finding:
    """One character that should not be where it is."""

    offset: int  # code point offset in the string
    char: str
    kind: str  # "control", "bidi" or "zero-width"

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.char):04X}"

    def describe(self) -> str:
        name = unicodedata.name(self.char, "control character" if self.kind == "control" else "unnamed")
        return f"{self.kind} character {self.code_point} {name} at {self.offset}"


def _kind(char: str) -> str:
    if char in BIDI:
        return "bidi"
    return "zero-width" if char in ZERO_WIDTH else "control"


def in_text(text: str) -> list[Finding]:
    """Controls, bidi and zero-width characters of a canonical text (the line feed is allowed)."""
    return [Finding(m.start(), m.group(), _kind(m.group())) for m in _CONTROL.finditer(text)] + [
        Finding(m.start(), m.group(), _kind(m.group())) for m in _INVISIBLE.finditer(text)
    ]


def in_value(value: str) -> list[Finding]:
    """Every control (the line feed included), bidi and zero-width character of an id, name or metadata value."""
    return [Finding(m.start(), m.group(), _kind(m.group())) for m in _ANY.finditer(value)]


def clean(value: str) -> bool:
    """Whether ``value`` holds none of the characters :func:`in_value` reports (the cheap check)."""
    return _ANY.search(value) is None


def is_nfc(value: str) -> bool:
    return unicodedata.is_normalized("NFC", value)
