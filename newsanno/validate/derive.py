"""Derive, not trust: does a document's text.txt and header still follow from its source.txt?

:func:`derivation_problems` re-runs the document's source profile on ``source.txt`` and
reports every derived value the folder no longer matches: ``text.txt`` (with the first
differing line) and the ``title``/``author``/``published`` fields of ``document.json`` (by
JSON pointer).  A hand correction of a header field is accepted only as a recorded override
(``document.json`` ``overrides``), which :func:`overrides` lists for the dataset card.

Wiring it into the document loader takes one call where the hashes are checked::

    problems.extend(derive.derivation_problems(data[corpus.SOURCE], data[corpus.TEXT], meta, shown))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from newsanno import corpus
from newsanno.corpus import profiles
from newsanno.corpus.normalize import Normalized, NormalizeError, normalize
from newsanno.problems import Problem
from newsanno.validate.reading import line_col

# The document.json fields the profile derives from the source, in schema order.
DERIVED_FIELDS = ("title", "author", "published")


@dataclass(frozen=True, slots=True)
class Override:
    """One hand-corrected header field of a document, as the card lists it."""

    document_id: str
    field: str
    value: str | None
    reason: str


def overrides(meta: Mapping[str, Any]) -> list[Override]:
    """The recorded overrides of one document.json, in field order (empty when there are none)."""
    recorded = meta.get("overrides") or {}
    return [Override(meta["id"], name, recorded[name]["value"], recorded[name]["reason"]) for name in DERIVED_FIELDS if name in recorded]


def _first_difference(expected: str, actual: str) -> tuple[int, int]:
    index = next((i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b), min(len(expected), len(actual)))
    return line_col(actual, index)


def _decode(data: bytes | str | None) -> str | None:
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None  # the loader reports the encoding; nothing can be derived
    return data


def _derive(source: str, meta: Mapping[str, Any], shown: Mapping[str, str]) -> tuple[Normalized | None, list[Problem]]:
    name = profiles.of_document(dict(meta))
    try:
        return normalize(source, profiles.load(name)), []
    except profiles.ProfileError as exc:
        return None, [Problem(shown[corpus.DOCUMENT], str(exc), "derive.profile", pointer="/profile")]
    except NormalizeError as exc:
        message = f"{exc} (text.txt and the header fields can no longer be derived from it)"
        return None, [Problem(shown[corpus.SOURCE], message.removeprefix(f"line {exc.line}: "), "derive.source", line=exc.line)]


def _field_problems(norm: Normalized, meta: Mapping[str, Any], where: str, profile: str) -> list[Problem]:
    problems = []
    recorded = meta.get("overrides") or {}
    for name in DERIVED_FIELDS:
        derived = getattr(norm, name)
        if name in recorded:
            value, pointer = recorded[name]["value"], f"/overrides/{name}"
            if value == derived:
                problems.append(
                    Problem(
                        where,
                        f"override of {name} equals what profile {profile} derives from source.txt; it is not needed",
                        "derive.override_unneeded",
                        pointer=pointer,
                        hint=f"remove overrides.{name}",
                        severity="warning",
                    )
                )
            expected, source_of = value, "its recorded override"
        else:
            expected, source_of = derived, f"what profile {profile} derives from source.txt"
        if expected is None and name == "published":
            problems.append(
                Problem(
                    where,
                    f"the source prints no full date (profile {profile}), so published must be a recorded override",
                    "derive.field",
                    pointer="/published",
                    hint="record overrides.published with value and reason (newsanno add --published does)",
                )
            )
        elif meta.get(name) != expected:
            problems.append(
                Problem(
                    where,
                    f"{name} {meta.get(name)!r} differs from {expected!r}, {source_of}",
                    "derive.field",
                    pointer=f"/{name}",
                    hint=f"write {expected!r}, or record a hand correction as overrides.{name} with value and reason",
                )
            )
    return problems


def derivation_problems(
    source: bytes | str | None, text: bytes | str | None, meta: Mapping[str, Any], shown: Mapping[str, str]
) -> list[Problem]:
    """Problems where text.txt or a derived document.json field disagrees with what the profile makes of source.txt.

    ``source``/``text`` are the files' contents (None when unreadable: nothing is reported
    for them, the loader already has); ``meta`` is the schema-valid document.json;
    ``shown`` maps each file name of :data:`corpus.FILES` to its path as the user sees it.
    """
    source_text = _decode(source)
    if source_text is None:
        return []
    norm, problems = _derive(source_text, meta, shown)
    if norm is None:
        return problems
    profile = profiles.of_document(dict(meta))
    actual = _decode(text)
    if actual is not None and actual != norm.text:
        line, column = _first_difference(norm.text, actual)
        problems.append(
            Problem(
                shown[corpus.TEXT],
                f"text.txt is not what profile {profile} derives from source.txt (first difference here)",
                "derive.text",
                line=line,
                column=column,
                hint="text.txt is derived, never edited: fix source.txt or the profile, then re-derive it and re-check every offset",
            )
        )
    if norm.source_url is not None and meta.get("source_url") != norm.source_url:
        # The profile reads the address from the source's own Source line: it is derived, not typed.
        problems.append(
            Problem(
                shown[corpus.DOCUMENT],
                f"source_url {meta.get('source_url')!r} differs from {norm.source_url!r}, the address the source line of source.txt gives",
                "derive.field",
                pointer="/source_url",
                hint=f"write {norm.source_url!r}",
            )
        )
    return problems + _field_problems(norm, meta, shown[corpus.DOCUMENT], profile)
