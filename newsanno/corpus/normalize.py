"""Turn an article as received (``source.txt``) into its canonical text and header fields.

The canonical text is what every annotation offset points into, so this function must be
deterministic and must never "improve" the author's words: it only removes page furniture
(headline, byline, date, site footer) and Markdown markup, and repairs layout (paragraph
breaks, line endings, Unicode normal form).  CARD.md documents each step.  What counts as
furniture for one publisher (byline forms, date formats, footer lines) is data: its source
profile in ``schema/profiles/`` (see :mod:`newsanno.corpus.profiles`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from newsanno.corpus import profiles
from newsanno.corpus.profiles import Profile

# A paragraph that ends in none of these was broken mid-sentence by the source's layout.
_SENTENCE_END = tuple('.!?:;")\u201d\u2019\u2026')  # closing curly quotes and the ellipsis

# Markdown emphasis: *x*, **x**, _x_ is not used by the source and is left alone, since
# underscores occur in ordinary text.
_EMPHASIS = re.compile(r"(\*{1,2})(?=\S)([^*\n]+?)(?<=\S)\1")
# Backslash escapes of Markdown punctuation, as in "\$75 billion".
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$<>|~])")


class NormalizeError(ValueError):
    """The source does not have the layout its profile expects; ``line`` is the 1-based source line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True, slots=True)
class Normalized:
    """The header fields and canonical text derived from one source file."""

    title: str
    author: str | None
    published: str | None  # None only under a profile whose date line is optional
    text: str
    # (month, day) of the body's dateline, when the profile has one and the body opens with it.
    dateline: tuple[int, int] | None = None
    # The article's address, read from its page furniture when the profile has a source_url paragraph.
    source_url: str | None = None


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


def _drop_furniture(paragraphs: list[str], profile: Profile) -> str | None:
    """Pop the trailing page-furniture paragraphs; the address the profile's source_url paragraph gives, if any.

    Only one paragraph is read as the source line: a second one stays in the text, where it
    shows, rather than being dropped unseen.
    """
    url = None
    while paragraphs:
        found = profile.source_url.match(paragraphs[-1]) if profile.source_url and url is None else None
        if found is not None:
            url = found["url"]
        elif not any(p.match(paragraphs[-1]) for p in profile.footer_patterns):
            break
        paragraphs.pop()
    return url


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def _block(lines: list[str], i: int) -> tuple[list[tuple[int, str]], int]:
    """The paragraph starting at or after line index ``i`` as (1-based line, stripped text) pairs, and the index after it."""
    while i < len(lines) and _blank(lines[i]):
        i += 1
    block = []
    while i < len(lines) and not _blank(lines[i]):
        block.append((i + 1, lines[i].strip()))
        i += 1
    return block, i


def _author(lines: list[tuple[int, str]], profile: Profile) -> str | None:
    names = []
    for _, line in lines:
        for prefix in profile.byline_prefixes:
            if line.startswith(prefix):
                line = line[len(prefix) :].strip()
                break
        if line:
            names.append(line)
    return profile.author_separator.join(names) or None


def _dateline(paragraph: str, profile: Profile) -> tuple[int, int] | None:
    match = profile.dateline.match(paragraph) if profile.dateline else None
    if match is None:
        return None
    try:
        month = dt.datetime.strptime(match["month"], profile.dateline_month_format).month
        return month, dt.date(2000, month, int(match["day"])).day  # 2000: a leap year, so 29 February passes
    except ValueError:
        return None


def normalize(source: str, profile: Profile | str = profiles.DEFAULT_PROFILE) -> Normalized:
    """Derive title, author, date and canonical text from a source article laid out as ``profile`` says.

    The layout: a headline paragraph, then a paragraph of byline lines ending in the date line
    (optional under profiles whose date is not required), then the body, then optional page
    furniture.  Raises NormalizeError naming the source line that breaks the layout.
    """
    if isinstance(profile, str):
        profile = profiles.load(profile)
    about = f"(profile {profile.name})"
    source = unicodedata.normalize("NFC", source.replace("\r\n", "\n").replace("\r", "\n"))
    lines = source.split("\n")
    headline, i = _block(lines, 0)
    if not headline:
        raise NormalizeError(f"expected a headline, found only blank lines {about}", len(lines))
    byline, i = _block(lines, i)
    if not byline:
        raise NormalizeError(f"expected a byline and date paragraph after the headline {about}", len(lines))
    body_start = i
    if _dateline(" ".join(t for _, t in byline), profile) is not None:
        byline, body_start = [], byline[0][0] - 1  # no byline: the article opens with its dateline
    published = profile.parse_date(byline[-1][1]) if byline else None
    if published is None and profile.date_required:
        number, got = byline[-1] if byline else (body_start + 1, "")
        raise NormalizeError(f"{got!r} is not a date; expected a date like {profile.date_example!r} {about}", number)
    author_lines = byline[:-1] if published else byline
    if profile.fixed_author is not None:
        if author_lines:  # the publisher prints no byline: a line here is not furniture to drop unseen
            number, got = author_lines[0]
            raise NormalizeError(f"{got!r}: expected the date line alone after the headline (the source prints no byline) {about}", number)
        author: str | None = profile.fixed_author
    else:
        author = _author(author_lines, profile)

    paragraphs = _paragraphs("\n".join(lines[body_start:]))
    source_url = _drop_furniture(paragraphs, profile)
    if source_url is None and profile.source_url_required:
        last = max((n for n, line in enumerate(lines, 1) if not _blank(line)), default=len(lines))
        message = f"expected the last paragraph to be the source line, matching {profile.source_url.pattern!r} {about}"
        raise NormalizeError(message, last)
    clean = _clean_inline if profile.markdown else str
    paragraphs = [clean(p) for p in paragraphs]
    if profile.rejoin_broken_paragraphs:
        paragraphs = _rejoin_broken(paragraphs)
    if not paragraphs:
        raise NormalizeError(f"expected the article body after the byline {about}", len(lines))
    text = "\n\n".join(paragraphs) + "\n"
    title = clean(" ".join(" ".join(t for _, t in headline).split()))
    dateline = _dateline(paragraphs[0], profile)
    return Normalized(title=title, author=author, published=published, text=text, dateline=dateline, source_url=source_url)
