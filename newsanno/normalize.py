"""Turn an article as received (``source.txt``) into its canonical text and header fields.

The canonical text is what every annotation offset points into, so this function must be
deterministic and must never "improve" the author's words: it only removes page furniture
(headline, byline, date, site footer) and Markdown markup, and repairs layout (paragraph
breaks, line endings, Unicode normal form).  CARD.md documents each step.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# Page furniture the source site appends to every article.  A trailing paragraph that
# matches one of these is dropped from the text (source.txt keeps it).  "WSWWS" is a typo
# in the source itself, so the pattern accepts it.
FOOTER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^To contact the WSW+S and the Socialist Equality Party visit:$"),
    re.compile(r"^wsws\.org/contact$"),
)

# A paragraph that ends in none of these was broken mid-sentence by the source's layout.
_SENTENCE_END = tuple('.!?:;")\u201d\u2019\u2026')  # closing curly quotes and the ellipsis

# Markdown emphasis: *x*, **x**, _x_ is not used by the source and is left alone, since
# underscores occur in ordinary text.
_EMPHASIS = re.compile(r"(\*{1,2})(?=\S)([^*\n]+?)(?<=\S)\1")
# Backslash escapes of Markdown punctuation, as in "\$75 billion".
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$<>|~])")

_DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%Y-%m-%d")


class NormalizeError(ValueError):
    """The source does not have the expected header layout."""


@dataclass(frozen=True, slots=True)
class Normalized:
    """The header fields and canonical text derived from one source file."""

    title: str
    author: str | None
    published: str
    text: str


def _parse_date(line: str) -> str | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(line.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _paragraphs(text: str) -> list[str]:
    """Split on blank lines; a paragraph's own line breaks become single spaces."""
    blocks = re.split(r"\n[ \t]*\n", text)
    paragraphs = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n")]
        joined = " ".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return paragraphs


def _clean_inline(paragraph: str) -> str:
    paragraph = _EMPHASIS.sub(r"\2", paragraph)
    return _ESCAPE.sub(r"\1", paragraph)


def _rejoin_broken(paragraphs: list[str]) -> list[str]:
    out: list[str] = []
    for paragraph in paragraphs:
        if out and not out[-1].endswith(_SENTENCE_END):
            out[-1] = f"{out[-1]} {paragraph}"
        else:
            out.append(paragraph)
    return out


def normalize(source: str) -> Normalized:
    """Derive title, author, date and canonical text from a source article.

    The expected layout is the one the source site exports: a headline paragraph, then a
    paragraph of byline and date lines, then the body, then optional site footer.
    """
    source = unicodedata.normalize("NFC", source.replace("\r\n", "\n").replace("\r", "\n"))
    header_blocks = re.split(r"\n[ \t]*\n", source.strip("\n"), maxsplit=2)
    if len(header_blocks) < 3:
        raise NormalizeError("expected a headline, a byline/date paragraph and a body")
    title = " ".join(header_blocks[0].split())
    byline = [line.strip() for line in header_blocks[1].split("\n") if line.strip()]
    published = _parse_date(byline[-1]) if byline else None
    if published is None:
        raise NormalizeError(f"the last line of the byline is not a date: {byline[-1:]!r}")
    author = ", ".join(byline[:-1]) or None

    paragraphs = _paragraphs(header_blocks[2])
    while paragraphs and any(p.match(paragraphs[-1]) for p in FOOTER_PATTERNS):
        paragraphs.pop()
    paragraphs = _rejoin_broken([_clean_inline(p) for p in paragraphs])
    if not paragraphs:
        raise NormalizeError("the article has no body text")
    return Normalized(title=_clean_inline(title), author=author, published=published, text="\n\n".join(paragraphs) + "\n")
