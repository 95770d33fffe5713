"""Source profiles: each publisher's page layout and defaults, as data in ``schema/profiles/<name>.json``.

A profile says where an article's headline, byline and date are, which page furniture to
drop and what ``document.json`` defaults its articles get; the normalizer and ``newsanno
add`` read it, so a new publisher is a new JSON file (checked against
``schema/profile.schema.json``), not new Python.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsanno import schema

PROFILE_SCHEMA = "profile"
# The profile of documents whose document.json names none: the corpus's first publisher,
# whose articles were committed before profiles existed (their bytes must not change).
DEFAULT_PROFILE = "wsws"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
_PLACEHOLDER = re.compile(r"\{(year|title|source_url)\}")


class ProfileError(ValueError):
    """A profile that does not exist or does not match schema/profile.schema.json."""


@dataclass(frozen=True, slots=True)
class Profile:
    """One publisher's layout, compiled for the normalizer."""

    name: str
    publisher: str | None
    language: str
    byline_prefixes: tuple[str, ...]
    author_separator: str
    fixed_author: str | None
    date_formats: tuple[str, ...]
    date_example: str
    date_required: bool
    dateline: re.Pattern[str] | None
    dateline_month_format: str
    footer_patterns: tuple[re.Pattern[str], ...]
    source_url: re.Pattern[str] | None
    source_url_required: bool
    rejoin_broken_paragraphs: bool
    markdown: bool
    rights_text: str
    rights_notice: str | None
    rights_annotations: str

    def parse_date(self, line: str) -> str | None:
        """The ISO date of a date line in one of the profile's formats, or None."""
        for fmt in self.date_formats:
            try:
                return dt.datetime.strptime(line.strip(), fmt).date().isoformat()
            except ValueError:
                continue
        return None

    def rights(self, published: str, title: str = "", source_url: str | None = None) -> dict[str, str]:
        """document.json ``rights`` of an article with headline ``title`` published on ``published`` (YYYY-MM-DD)."""
        rights = {"text": self.rights_text}
        if self.rights_notice is not None:
            # One pass over the placeholders, so a headline that contains "{year}" stays as printed.
            values = {"year": published[:4], "title": title, "source_url": source_url or ""}
            rights["notice"] = _PLACEHOLDER.sub(lambda m: values[m[1]], self.rights_notice)
        return {**rights, "annotations": self.rights_annotations}


def profiles_dir() -> Path:
    """Where the profiles are: next to the schemas (bundled in the wheel or in a checkout)."""
    return schema.schema_dir() / "profiles"


def names() -> tuple[str, ...]:
    """The names of every shipped profile, sorted."""
    return tuple(sorted(p.stem for p in profiles_dir().glob("*.json")))


@functools.cache
def load(name: str) -> Profile:
    """The profile ``name``; raises ProfileError naming the known ones when there is none."""
    if not _NAME.fullmatch(name) or not (profiles_dir() / f"{name}.json").is_file():
        raise ProfileError(f"unknown profile {name!r}; known profiles: {', '.join(names())}")
    path = profiles_dir() / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = sorted(schema.validator(PROFILE_SCHEMA).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path)
        raise ProfileError(f"profile {path}: /{where}: {errors[0].message}")
    if data["name"] != name:
        raise ProfileError(f"profile {path}: name {data['name']!r} differs from the file name {name!r}")
    return _compile(data, path)


def _pattern(path: Path, where: str, pattern: str, groups: tuple[str, ...] = ()) -> re.Pattern[str]:
    """A profile's regular expression, compiled; a broken one or one without its named groups is a ProfileError."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ProfileError(f"profile {path}: {where}: not a regular expression: {exc}") from None
    missing = [g for g in groups if g not in compiled.groupindex]
    if missing:
        raise ProfileError(f"profile {path}: {where}: the pattern has no named group {missing[0]!r}")
    return compiled


def _compile(data: dict[str, Any], path: Path) -> Profile:
    dateline = data["dateline"]
    source_url = data["source_url"]
    notice = data["rights"]["notice"]
    if notice is not None and "{source_url}" in notice and not (source_url and source_url["required"]):
        # Without a required Source paragraph the notice would name an empty address.
        raise ProfileError(f"profile {path}: /rights/notice: {{source_url}} needs a source_url whose required is true")
    return Profile(
        name=data["name"],
        publisher=data["publisher"],
        language=data["language"],
        byline_prefixes=tuple(data["byline"]["prefixes"]),
        author_separator=data["byline"]["separator"],
        fixed_author=data["byline"]["fixed_author"],
        date_formats=tuple(data["date"]["formats"]),
        date_example=data["date"]["example"],
        date_required=data["date"]["required"],
        dateline=_pattern(path, "/dateline/pattern", dateline["pattern"], ("month", "day")) if dateline else None,
        dateline_month_format=dateline["month_format"] if dateline else "%B",
        footer_patterns=tuple(_pattern(path, f"/footer_patterns/{i}", p) for i, p in enumerate(data["footer_patterns"])),
        source_url=_pattern(path, "/source_url/pattern", source_url["pattern"], ("url",)) if source_url else None,
        source_url_required=bool(source_url and source_url["required"]),
        rejoin_broken_paragraphs=data["rejoin_broken_paragraphs"],
        markdown=data["markdown"],
        rights_text=data["rights"]["text"],
        rights_notice=data["rights"]["notice"],
        rights_annotations=data["rights"]["annotations"],
    )


def of_document(meta: dict[str, Any]) -> str:
    """The profile name a document.json records (absent: :data:`DEFAULT_PROFILE`)."""
    return meta.get("profile") or DEFAULT_PROFILE
