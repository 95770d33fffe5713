"""The normalizer reproduces the committed canonical text from the verbatim source."""

from __future__ import annotations

import hashlib
import json
import unicodedata

import pytest
from conftest import ROOT, SEED_ID

from newsanno.corpus.normalize import NormalizeError, normalize

SEED = ROOT / "raw" / SEED_ID
SEED_SHA256 = "74cee027ea00d987f32148df3305a2ee91281cd0d2e68fce37344c25d561b1bb"


@pytest.fixture(scope="module")
def source() -> str:
    return (SEED / "source.txt").read_bytes().decode("utf-8")


def test_source_is_the_article_as_received() -> None:
    assert hashlib.sha256((SEED / "source.txt").read_bytes()).hexdigest() == SEED_SHA256


def test_normalize_source_equals_text(source: str) -> None:
    assert normalize(source).text == (SEED / "text.txt").read_text(encoding="utf-8")


def test_header_fields_match_document_json(source: str) -> None:
    meta = json.loads((SEED / "document.json").read_text(encoding="utf-8"))
    result = normalize(source)
    assert (result.title, result.author, result.published) == (meta["title"], meta["author"], meta["published"])
    assert meta["published"] == "2024-02-07" and meta["author"] == "Jason Melanovski"


def test_seed_rules(source: str) -> None:
    text = normalize(source).text
    assert not text.startswith("\n") and text.endswith(".\n") and not text.endswith("\n\n")
    assert "Zelensky confirms planned purge" not in text  # the title is not repeated
    assert "Jason Melanovski" not in text and "7 February 2024" not in text
    assert "WSWWS" not in text and "wsws.org/contact" not in text  # the footer is dropped
    assert "*" not in text and "\\" not in text
    assert source.count("*") == 12 and "*Post*" in source and "Washington Post" in text
    assert "$75 billion" in text
    assert "artillery and potentially attempt" in text
    assert "\n\n\n" not in text and "\r" not in text
    assert all(p and p == p.strip() for p in text[:-1].split("\n\n"))
    assert unicodedata.is_normalized("NFC", text)
    assert "Yuroy Butusov" in text and "Kiev" in text  # the author's spellings stay


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("Title\n\nAuthor\n1 May 2024\n\nOne.\n\nTwo.", "One.\n\nTwo.\n"),
        ("\r\nTitle\r\n\r\nAuthor\r\n1 May 2024\r\n\r\nA *b* \\$5.\r\n", "A b $5.\n"),
        ("Title\n\nAuthor\n1 May 2024\n\nBroken\n\nsentence.\n\n\n\nNext.", "Broken sentence.\n\nNext.\n"),
        (
            "Title\n\nAuthor\n1 May 2024\n\nBody.\n\nTo contact the WSWS and the Socialist Equality Party visit:\n\nwsws.org/contact",
            "Body.\n",
        ),
        ("Title\n\nAuthor\n1 May 2024\n\nCafe\u0301.", "Caf\u00e9.\n"),
    ],
)
def test_rules_on_small_sources(source: str, text: str) -> None:
    assert normalize(source).text == text


def test_missing_date_is_an_error() -> None:
    with pytest.raises(NormalizeError, match="not a date"):
        normalize("Title\n\nAuthor only\n\nBody.")


@pytest.mark.parametrize(
    ("profile", "source", "line", "message"),
    [
        (
            "wsws",
            "\n\nTitle\n\nAuthor\nMarch 2024\n\nBody.",
            6,
            "'March 2024' is not a date; expected a date like '7 February 2024' (profile wsws)",
        ),
        ("wsws", "Title\n\nAuthor\n7 February 2024\n\n\n", 7, "expected the article body after the byline (profile wsws)"),
        ("wsws", "Title only\n", 2, "expected a byline and date paragraph after the headline (profile wsws)"),
    ],
)
def test_layout_errors_name_the_source_line(profile: str, source: str, line: int, message: str) -> None:
    with pytest.raises(NormalizeError) as caught:
        normalize(source, profile)
    assert caught.value.line == line and str(caught.value) == f"line {line}: {message}"


def test_plain_profile_strips_by_and_keeps_the_dateline() -> None:
    source = "Harbour strike ends\n\nBy Elena Marsh\n\nPORT CALDER, March 3 (Wire) \u2014 Dock workers voted.\n\nMore."
    result = normalize(source, "plain")
    assert (result.title, result.author, result.published, result.dateline) == ("Harbour strike ends", "Elena Marsh", None, (3, 3))
    assert result.text == "PORT CALDER, March 3 (Wire) \u2014 Dock workers voted.\n\nMore.\n"
    dated = normalize(source.replace("By Elena Marsh", "By Elena Marsh\nMarch 3, 2025"), "plain")
    assert (dated.author, dated.published) == ("Elena Marsh", "2025-03-03")
    no_byline = normalize("Harbour strike ends\n\nPORT CALDER, March 3 (Wire) \u2014 Dock workers voted.", "plain")
    assert no_byline.author is None and no_byline.text.startswith("PORT CALDER")
