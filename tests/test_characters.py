"""Invisible and control characters are found wherever they hide, with their code point."""

from __future__ import annotations

import pytest

from newsanno.validate import characters


@pytest.mark.parametrize(
    ("char", "kind"),
    [
        ("\u202e", "bidi"),
        ("\u2066", "bidi"),
        ("\u200b", "zero-width"),
        ("\ufeff", "zero-width"),
        ("\x00", "control"),
        ("\x85", "control"),
        ("\t", "control"),
    ],
)
def test_each_class_is_found_with_its_position(char: str, kind: str) -> None:
    text = f"Zelensky{char} said.\n"
    found = characters.in_text(text)
    assert [(f.offset, f.kind) for f in found] == [(8, kind)]
    assert f"U+{ord(char):04X}" in found[0].describe()
    assert not characters.clean(f"E{char}1")


def test_line_feeds_are_text_but_not_values() -> None:
    assert characters.in_text("One.\n\nTwo.\n") == []
    assert [f.kind for f in characters.in_value("M1\n")] == ["control"]
    assert characters.clean("Volodymyr Zelensky")


def test_nfc() -> None:
    assert characters.is_nfc("Café")
    assert not characters.is_nfc("Cafe\u0301")
