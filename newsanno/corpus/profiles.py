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
    date_formats: tuple[str, ...]
    date_example: str
    date_required: bool
    dateline: re.Pattern[str] | None
    dateline_month_format: str
    footer_patterns: tuple[re.Pattern[str], ...]
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

    def rights(self, published: str) -> dict[str, str]:
        """document.json ``rights`` of an article published on ``published`` (YYYY-MM-DD)."""
        rights = {"text": self.rights_text}
        if self.rights_notice is not None:
            rights["notice"] = self.rights_notice.replace("{year}", published[:4])
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
    return _compile(data)


def _compile(data: dict[str, Any]) -> Profile:
    dateline = data["dateline"]
    return Profile(
        name=data["name"],
        publisher=data["publisher"],
        language=data["language"],
        byline_prefixes=tuple(data["byline"]["prefixes"]),
        author_separator=data["byline"]["separator"],
        date_formats=tuple(data["date"]["formats"]),
        date_example=data["date"]["example"],
        date_required=data["date"]["required"],
        dateline=re.compile(dateline["pattern"]) if dateline else None,
        dateline_month_format=dateline["month_format"] if dateline else "%B",
        footer_patterns=tuple(re.compile(p) for p in data["footer_patterns"]),
        rights_text=data["rights"]["text"],
        rights_notice=data["rights"]["notice"],
        rights_annotations=data["rights"]["annotations"],
    )


def of_document(meta: dict[str, Any]) -> str:
    """The profile name a document.json records (absent: :data:`DEFAULT_PROFILE`)."""
    return meta.get("profile") or DEFAULT_PROFILE
